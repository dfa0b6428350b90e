import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { members } from "../../db/schema.js";
import { createWorld, type HelplineFixture, type World } from "../../testing/harness.js";
import { TOUCH_AFTER_MS } from "./index.js";

let w: World;
let h: HelplineFixture;
beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
});
afterEach(async () => {
  await w.cleanup();
});

describe("sessionAuth", () => {
  it("401 for malformed cookies without touching the database", async () => {
    for (const cookie of ["short", "x".repeat(44), `${"A".repeat(42)}!`]) {
      const res = await w.request("GET", "/api/auth/session", { cookie });
      expect(res.status).toBe(401);
      expect(res.body.error.code).toBe("UNAUTHENTICATED");
    }
  });

  it("403 ACCOUNT_REMOVED for every request of a removed member's session, until it expires", async () => {
    const ines = await w.addStaff(h, "Ines", "counsellor");
    await w.writer.run((tx) =>
      tx.update(members).set({ status: "removed" }).where(eq(members.id, ines.memberId)),
    );
    const res = await w.request("GET", "/api/auth/session", { cookie: ines.cookie });
    expect([res.status, res.body.error.code]).toEqual([403, "ACCOUNT_REMOVED"]);
    const again = await w.request("GET", "/api/threads", { cookie: ines.cookie });
    expect([again.status, again.body.error.code]).toEqual([403, "ACCOUNT_REMOVED"]);
    w.clock.advance(30 * 60_000);
    const later = await w.request("GET", "/api/auth/session", { cookie: ines.cookie });
    expect([later.status, later.body.error.code]).toEqual([401, "SESSION_EXPIRED"]);
  });

  it("staff sessions idle out after 30 minutes; activity is recorded at most once a minute", async () => {
    const batches = w.writer.stats().batches;
    for (let i = 0; i < 5; i++) await w.request("GET", "/api/auth/session", { cookie: h.supervisor.cookie });
    expect(w.writer.stats().batches).toBe(batches); // no writes for reads within a minute
    w.clock.advance(TOUCH_AFTER_MS);
    await w.request("GET", "/api/auth/session", { cookie: h.supervisor.cookie });
    expect(w.writer.stats().batches).toBe(batches + 1);
    w.clock.advance(30 * 60_000);
    const res = await w.request("GET", "/api/auth/session", { cookie: h.supervisor.cookie });
    expect(res.body.error.code).toBe("SESSION_EXPIRED");
  });

  it("role checks: 403 FORBIDDEN", async () => {
    const seeker = await w.newSeeker(h.id);
    const res = await w.request("POST", "/api/invites", {
      cookie: seeker.cookie,
      body: { id: "A".repeat(22), role: "counsellor", expiresInHours: 1, token: "B".repeat(43) },
    });
    expect([res.status, res.body.error.code]).toEqual([403, "FORBIDDEN"]);
  });
});
