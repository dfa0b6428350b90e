import { encodeDraft } from "@briefgeheim/crypto";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorld, type HelplineFixture, type Seeker, type World } from "../../testing/harness.js";

let w: World;
let h: HelplineFixture;
let seeker: Seeker;

beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
  seeker = await w.newSeeker(h.id);
});
afterEach(async () => {
  await w.cleanup();
});

const draftOf = (context: string, sealed: Uint8Array) => encodeDraft({ context, sealed });

describe("drafts", () => {
  it("stores, replaces, reads and deletes the caller's own draft", async () => {
    const ctx = `new:${h.id}`;
    const url = `/api/drafts/${encodeURIComponent(ctx)}`;
    expect((await w.request("GET", url, { cookie: seeker.cookie })).status).toBe(404);
    const d1 = w.b64(draftOf(ctx, w.random(100)));
    expect((await w.request("PUT", url, { cookie: seeker.cookie, body: { draft: d1 } })).status).toBe(200);
    const d2 = w.b64(draftOf(ctx, w.random(120)));
    w.clock.advance(1000);
    const put2 = await w.request("PUT", url, { cookie: seeker.cookie, body: { draft: d2 } });
    expect(put2.body.updatedAt).toBe(w.clock.now());
    const got = await w.request("GET", url, { cookie: seeker.cookie });
    expect(got.body).toMatchObject({ context: ctx, draft: d2 });
    // nobody else sees it
    const other = await w.newSeeker(h.id);
    expect((await w.request("GET", url, { cookie: other.cookie })).status).toBe(404);
    expect((await w.request("GET", url, { cookie: h.supervisor.cookie })).status).toBe(404);
    expect((await w.request("DELETE", url, { cookie: seeker.cookie })).body).toEqual({ deleted: true });
    expect((await w.request("DELETE", url, { cookie: seeker.cookie })).body).toEqual({ deleted: false });
  });

  it("refuses a draft bound to another context, malformed drafts and bad contexts", async () => {
    const url = `/api/drafts/${encodeURIComponent(`new:${h.id}`)}`;
    const moved = await w.request("PUT", url, {
      cookie: seeker.cookie,
      body: { draft: w.b64(draftOf(`reply:${h.id}`, w.random(10))) },
    });
    expect([moved.status, moved.body.error.code]).toEqual([422, "WRONG_CONTEXT"]);
    const junk = await w.request("PUT", url, { cookie: seeker.cookie, body: { draft: w.b64(w.random(50)) } });
    expect(junk.status).toBe(400);
    expect((await w.request("GET", "/api/drafts/whatever", { cookie: seeker.cookie })).status).toBe(400);
    expect((await w.request("GET", url)).status).toBe(401);
  });
});
