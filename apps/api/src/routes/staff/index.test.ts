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

  it("keeps no root key: the protocol-1 root-key endpoints are gone, a stored copy cannot be fetched or put", async () => {
    const wim = await w.addStaff(h, "Wim", "supervisor");
    const get = await w.request("GET", "/api/staff/root-key", { cookie: h.supervisor.cookie });
    expect(get.status).toBe(404);
    const put = await w.request("PUT", `/api/staff/${wim.memberId}/root-key`, {
      cookie: h.supervisor.cookie,
      body: { rootSealed: w.b64(w.random(80)) },
    });
    expect(put.status).toBe(404);
    // The first supervisor's acceptance carries no root copy any more: the field is refused.
    const listed = await w.request("GET", "/api/staff", { cookie: h.supervisor.cookie });
    for (const m of listed.body.members as Record<string, unknown>[])
      expect(m).not.toHaveProperty("rootSealed");
  });
});
