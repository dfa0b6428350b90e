import { type AuditEntry, verifyAuditChain } from "@briefgeheim/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog } from "../../db/schema.js";
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

describe("GET /api/audit", () => {
  it("returns a verifiable hash chain, paged; a tampered row breaks it", async () => {
    const ines = await w.addStaff(h, "Ines", "counsellor", true);
    await w.signInStaff(ines);
    const all: AuditEntry[] = [];
    let after = 0;
    for (;;) {
      const page = await w.request("GET", `/api/audit?after=${after}&limit=2`, {
        cookie: h.supervisor.cookie,
      });
      expect(page.status).toBe(200);
      all.push(...page.body.entries);
      if (page.body.nextAfter === null) break;
      after = page.body.nextAfter;
    }
    expect(all.map((e) => e.action)).toEqual([
      "invite-created",
      "invite-accepted",
      "roster-change",
      "sign-in",
      "invite-created",
      "invite-accepted",
      "roster-change",
      "sign-in",
      "sign-in",
    ]);
    expect(await verifyAuditChain(all)).toMatchObject({ ok: true, count: 9 });
    const second = await verifyAuditChain(all.slice(4), { after: { hash: all[3]!.hash, seq: 4 } });
    expect(second.ok).toBe(true);

    await w.writer.run((tx) => tx.update(auditLog).set({ details: '{"role":"supervisor"}' }));
    const tampered = await w.request("GET", "/api/audit?limit=200", { cookie: h.supervisor.cookie });
    expect(await verifyAuditChain(tampered.body.entries)).toMatchObject({ ok: false, reason: "BAD_HASH" });
  });

  it("supervisors only; each helpline sees its own log", async () => {
    const ines = await w.addStaff(h, "Ines", "counsellor");
    expect((await w.request("GET", "/api/audit", { cookie: ines.cookie })).status).toBe(403);
    const other = await w.setupHelpline("beta", 2);
    const theirs = await w.request("GET", "/api/audit", { cookie: other.supervisor.cookie });
    expect(theirs.body.entries.every((e: AuditEntry) => e.helplineId === other.id)).toBe(true);
  });
});
