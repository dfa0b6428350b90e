import { verifyAuditChain } from "@briefgeheim/protocol";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { runMaintenance } from "./maintenance.js";
import { createWorld, type World } from "./testing/harness.js";

let w: World;
beforeEach(async () => {
  w = await createWorld();
});
afterEach(async () => {
  await w.cleanup();
});

describe("runMaintenance", () => {
  it("removes expired challenges, idle sessions and threads past retention (audited)", async () => {
    const h = await w.setupHelpline("alpha", 1, { retentionDays: 1 });
    const seeker = await w.newSeeker(h.id);
    const t = await w.openNewThread(h, seeker);
    await w.request("POST", "/api/auth/challenge", { body: { helplineId: h.id } });
    expect(await runMaintenance(w.db, w.writer, w.clock)).toEqual({
      challenges: 0,
      sessions: 0,
      threads: 0,
      seekers: 0,
      auditEntries: 0,
      attachments: 0,
    });
    w.clock.advance(24 * 3_600_000 + 1);
    const n = await runMaintenance(w.db, w.writer, w.clock);
    // The help-seeker's last thread went, so they did; the audit entries before the cut-off went too.
    expect(n).toMatchObject({ challenges: 1, sessions: 2, threads: 1, seekers: 1 });
    expect(n.auditEntries).toBeGreaterThan(0);
    await w.signInStaff(h.supervisor);
    const audit = await w.request("GET", "/api/audit?limit=200", { cookie: h.supervisor.cookie });
    const deleted = audit.body.entries.find((e: { action: string }) => e.action === "thread-deleted");
    expect(deleted).toMatchObject({
      threadId: t.threadId,
      actorKind: "operator",
      details: { reason: "retention" },
    });
    expect((await verifyAuditChain(audit.body.entries)).ok).toBe(true);
  });
});
