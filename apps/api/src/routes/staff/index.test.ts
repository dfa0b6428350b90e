import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createWorld, type HelplineFixture, type World } from "../../testing/harness.js";

let w: World;
let h: HelplineFixture;

beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
});
afterEach(async () => {
  await w.cleanup();
});

describe("/api/staff", () => {
  it("lists the team for supervisors only, paged", async () => {
    const ines = await w.addStaff(h, "Ines", "counsellor", true);
    const res = await w.request("GET", "/api/staff?limit=1", { cookie: h.supervisor.cookie });
    expect(res.status).toBe(200);
    expect(res.body.members).toHaveLength(1);
    expect(res.body.nextCursor).not.toBeNull();
    const all = await w.request("GET", "/api/staff", { cookie: h.supervisor.cookie });
    const me = all.body.members.find((m: { id: string }) => m.id === ines.memberId);
    expect(me).toMatchObject({
      role: "counsellor",
      status: "active",
      intakeReader: true,
      displayName: "Ines",
      caseload: 0,
    });
    expect((await w.request("GET", "/api/staff", { cookie: ines.cookie })).status).toBe(403);
    const seeker = await w.newSeeker(h.id);
    expect((await w.request("GET", "/api/staff", { cookie: seeker.cookie })).status).toBe(403);
    expect((await w.request("GET", "/api/staff")).status).toBe(401);
  });

  it("root key copies: own copy, and stored for another supervisor of the same helpline", async () => {
    const mine = await w.request("GET", "/api/staff/root-key", { cookie: h.supervisor.cookie });
    expect(mine.status).toBe(200);
    const wim = await w.addStaff(h, "Wim", "supervisor");
    expect((await w.request("GET", "/api/staff/root-key", { cookie: wim.cookie })).status).toBe(404);
    const sealed = w.b64(w.random(80));
    const put = await w.request("PUT", `/api/staff/${wim.memberId}/root-key`, {
      cookie: h.supervisor.cookie,
      body: { rootSealed: sealed },
    });
    expect(put.status).toBe(200);
    expect((await w.request("GET", "/api/staff/root-key", { cookie: wim.cookie })).body.rootSealed).toBe(
      sealed,
    );
    const ines = await w.addStaff(h, "Ines", "counsellor");
    const toCounsellor = await w.request("PUT", `/api/staff/${ines.memberId}/root-key`, {
      cookie: h.supervisor.cookie,
      body: { rootSealed: sealed },
    });
    expect(toCounsellor.status).toBe(403);
    const other = await w.setupHelpline("beta", 2);
    const cross = await w.request("PUT", `/api/staff/${wim.memberId}/root-key`, {
      cookie: other.supervisor.cookie,
      body: { rootSealed: sealed },
    });
    expect(cross.status).toBe(404);
  });
});
