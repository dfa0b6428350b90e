import type { MemberId } from "@briefgeheim/crypto";
import { type HelplineId, nextRoster, signRoster } from "@briefgeheim/crypto";
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

describe("GET /api/helplines", () => {
  it("lists helplines publicly with their root key and roster version, paged", async () => {
    await w.setupHelpline("beta", 2);
    const res = await w.request("GET", "/api/helplines?limit=1");
    expect(res.status).toBe(200);
    expect(res.body.helplines).toHaveLength(1);
    expect(res.body.helplines[0]).toMatchObject({
      slug: "alpha",
      tag: 1,
      rosterVersion: 1,
      rootPk: w.b64(h.root.keyPair.publicKey),
    });
    expect(res.body.nextCursor).toBe("alpha");
    const next = await w.request("GET", `/api/helplines?cursor=${res.body.nextCursor}`);
    expect(next.body.helplines.map((x: { slug: string }) => x.slug)).toEqual(["beta"]);
  });
});

describe("rosters", () => {
  it("serves the chain after a version", async () => {
    await w.addStaff(h, "Ines", "counsellor", true);
    const all = await w.request("GET", `/api/helplines/${h.id}/rosters`);
    expect(all.body).toMatchObject({ latestVersion: 2, nextAfter: null });
    expect(all.body.rosters).toHaveLength(2);
    const after1 = await w.request("GET", `/api/helplines/${h.id}/rosters?after=1`);
    expect(after1.body.rosters).toHaveLength(1);
    expect((await w.request("GET", `/api/helplines/${"A".repeat(22)}/rosters`)).status).toBe(404);
  });

  it("publishing: next version only, signed by the root, listing only known accounts; exact retries are 200", async () => {
    const ines = await w.addStaff(h, "Ines", "counsellor", true);
    const url = `/api/helplines/${h.id}/rosters`;
    const cookie = h.supervisor.cookie;
    // exact retry of v2
    const v2 = (await w.request("GET", `${url}?after=1`)).body.rosters[0];
    const retry = await w.request("POST", url, { cookie, body: { roster: v2 } });
    expect(retry.status).toBe(200);
    expect(retry.body.version).toBe(2);
    // another v2
    const otherV2 = signRoster(
      w.sodium,
      {
        helplineId: h.id as HelplineId,
        version: 2,
        prevHash: w.random(32),
        issuedAt: 1,
        members: [h.supervisor.member],
      },
      h.root.keyPair,
    );
    const rollback = await w.request("POST", url, { cookie, body: { roster: w.b64(otherV2) } });
    expect([rollback.status, rollback.body.error.code]).toEqual([409, "ROSTER_CONFLICT"]);
    // signed by another root
    const fakeRoot = (await import("@briefgeheim/crypto")).generateRootKey(w.sodium, w.random);
    const forged = nextRoster(
      w.sodium,
      h.roster,
      { remove: [ines.member.memberId as MemberId] },
      fakeRoot.keyPair,
      5,
    );
    const bad = await w.request("POST", url, { cookie, body: { roster: w.b64(forged) } });
    expect([bad.status, bad.body.error.code]).toEqual([422, "ROSTER_SIGNER_NOT_ALLOWED"]);
    // signed by a counsellor of the current roster (only supervisors and the root may sign)
    const byCounsellor = nextRoster(w.sodium, h.roster, {}, ines.signing, 5);
    const c1 = await w.request("POST", url, { cookie, body: { roster: w.b64(byCounsellor) } });
    expect([c1.status, c1.body.error.code]).toEqual([422, "ROSTER_SIGNER_NOT_ALLOWED"]);
    // a supervisor may not hand the root to a new key (succession is the old root's signature only)
    const takeover = nextRoster(w.sodium, h.roster, {}, h.supervisor.signing, 5, fakeRoot.keyPair.publicKey);
    const t1 = await w.request("POST", url, { cookie, body: { roster: w.b64(takeover) } });
    expect([t1.status, t1.body.error.code]).toEqual([422, "ROSTER_INVALID"]);
    // lists a key without an account
    const ghost = {
      ...ines.member,
      memberId: w.b64(w.random(16)) as MemberId,
      signPk: w.random(32) as never,
      boxPk: w.random(32) as never,
      displayName: "Ghost",
    };
    const unknown = nextRoster(w.sodium, h.roster, { add: [ghost] }, h.root.keyPair, 6);
    const u = await w.request("POST", url, { cookie, body: { roster: w.b64(unknown) } });
    expect([u.status, u.body.error.code]).toEqual([422, "ROSTER_INVALID"]);
    // only supervisors post a supervisor-signed roster ...
    const bySupervisor = nextRoster(w.sodium, h.roster, {}, h.supervisor.signing, 7);
    expect(
      (await w.request("POST", url, { cookie: ines.cookie, body: { roster: w.b64(bySupervisor) } })).status,
    ).toBe(403);
    expect((await w.request("GET", "/api/helplines")).body.helplines[0].rosterVersion).toBe(2);
    // ... while any staff member may post the root's emergency roster (typed from the root sheet)
    const emergency = nextRoster(w.sodium, h.roster, {}, h.root.keyPair, 7);
    expect(
      (await w.request("POST", url, { cookie: ines.cookie, body: { roster: w.b64(emergency) } })).status,
    ).toBe(200);
  });

  it("removal marks the member removed, revokes their sessions and is audited", async () => {
    const ines = await w.addStaff(h, "Ines", "counsellor", true);
    const res = await w.publishRoster(h, { remove: [ines.member.memberId as MemberId] });
    expect(res.body).toMatchObject({ version: 3, removed: [ines.memberId], added: [] });
    // The open session is told why on every request (not a bare 401).
    for (const path of ["/api/auth/session", "/api/threads", "/api/drafts/new:AAAAAAAAAAAAAAAAAAAAAA"]) {
      const r = await w.request("GET", path, { cookie: ines.cookie });
      expect([r.status, r.body.error.code]).toEqual([403, "ACCOUNT_REMOVED"]);
    }
    const signOut = await w.request("POST", "/api/auth/sign-out", { cookie: ines.cookie });
    expect(signOut.status).toBe(403);
    const staff = await w.request("GET", "/api/staff", { cookie: h.supervisor.cookie });
    expect(staff.body.members.find((m: { id: string }) => m.id === ines.memberId).status).toBe("removed");
    // a removed member cannot be listed again
    const back = nextRoster(w.sodium, h.roster, { add: [ines.member] }, h.root.keyPair, 9);
    const again = await w.request("POST", `/api/helplines/${h.id}/rosters`, {
      cookie: h.supervisor.cookie,
      body: { roster: w.b64(back) },
    });
    expect(again.body.error.code).toBe("ROSTER_INVALID");
  });

  it("a removed supervisor cannot sign the next roster (ROSTER_SIGNER_NOT_ALLOWED), not even via a colleague", async () => {
    const wim = await w.addStaff(h, "Wim", "supervisor");
    await w.publishRoster(h, { remove: [wim.member.memberId as MemberId] });
    // Wim kept his signing key; the server (or a colleague's session) posts his next roster.
    const comeback = nextRoster(w.sodium, h.roster, {}, wim.signing, 10);
    const res = await w.request("POST", `/api/helplines/${h.id}/rosters`, {
      cookie: h.supervisor.cookie,
      body: { roster: w.b64(comeback) },
    });
    expect([res.status, res.body.error.code]).toEqual([422, "ROSTER_SIGNER_NOT_ALLOWED"]);
    // The remaining supervisor signs with her own key (no root involved).
    const next = nextRoster(w.sodium, h.roster, {}, h.supervisor.signing, 11);
    const ok = await w.request("POST", `/api/helplines/${h.id}/rosters`, {
      cookie: h.supervisor.cookie,
      body: { roster: w.b64(next) },
    });
    expect(ok.status).toBe(200);
  });
});
