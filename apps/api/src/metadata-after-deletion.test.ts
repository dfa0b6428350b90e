// Issue 8, item 9: what stays on the server after a help-seeker's conversations go, and the audit log
// pruned with retention while what remains still verifies.
import { encodeDraft } from "@briefgeheim/crypto";
import { verifyAuditChain } from "@briefgeheim/protocol";
import { count, eq, sql } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, drafts, seekers, sessions, threads } from "./db/schema.js";
import { runMaintenance } from "./maintenance.js";
import { ensureSeekerRow } from "./services/seeker-row.js";
import { createWorld, type HelplineFixture, type Seeker, type World } from "./testing/harness.js";

const DAY = 24 * 3_600_000;
let w: World;
let h: HelplineFixture;
beforeEach(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1, { retentionDays: 1 });
});
afterEach(async () => {
  await w.cleanup();
});

async function rows(): Promise<{ seekers: number; drafts: number; seekerSessions: number }> {
  const one = async (q: Promise<{ n: number }[]>) => (await q)[0]?.n ?? 0;
  return {
    seekers: await one(w.db.read.select({ n: count() }).from(seekers)),
    drafts: await one(
      w.db.read.select({ n: count() }).from(drafts).where(sql`${drafts.owner} LIKE 'seeker:%'`),
    ),
    seekerSessions: await one(
      w.db.read.select({ n: count() }).from(sessions).where(eq(sessions.kind, "seeker")),
    ),
  };
}

/**
 * A conversation row as opening one leaves it (ids and keys only). Inserted directly: what is under
 * test is what happens when conversations go, not how they are opened (routes/threads tests that).
 */
async function openThread(seeker: Seeker, subject = ""): Promise<{ threadId: string }> {
  const signInPk = w.b64(seeker.signIn.publicKey);
  // The first conversation makes the help-seeker's row (services/seeker-row.ts), as opening one does.
  await w.writer.run((tx) =>
    ensureSeekerRow(
      tx,
      {
        kind: "seeker",
        role: "seeker",
        helplineId: h.id,
        seekerId: null,
        pendingSignInPk: signInPk,
        tokenHash: Buffer.alloc(32),
        expiresAt: 0,
        idleMs: 0,
      },
      w.clock.now(),
    ),
  );
  const [row] = await w.db.read
    .select({ id: seekers.id })
    .from(seekers)
    .where(eq(seekers.signInPk, signInPk));
  const now = w.clock.now();
  const threadId = w.b64(w.random(16));
  await w.db.write.insert(threads).values({
    id: threadId,
    helplineId: h.id,
    seekerId: row!.id,
    seekerSignPk: w.b64(seeker.messageSign.publicKey),
    seekerBoxPk: w.b64(seeker.box.publicKey),
    status: "open",
    currentEpoch: 0,
    intake: true,
    createdAt: now,
    expiresAt: now + DAY,
    sortKey: now + subject.length,
  });
  return { threadId };
}

/** A new-conversation draft and a reply draft, as the help-seeker app autosaves them. */
async function saveDrafts(seeker: Seeker, threadId: string): Promise<void> {
  for (const context of [`new:${w.b64(w.random(16))}`, `reply:${threadId}`]) {
    const draft = w.b64(encodeDraft({ context, sealed: w.random(80) }));
    const res = await w.request("PUT", `/api/drafts/${encodeURIComponent(context)}`, {
      cookie: seeker.cookie,
      body: { draft },
    });
    expect(res.status).toBe(200);
  }
}

async function auditEntries() {
  await w.signInStaff(h.supervisor);
  const res = await w.request("GET", "/api/audit?limit=200", { cookie: h.supervisor.cookie });
  expect(res.status).toBe(200);
  return res.body.entries as Parameters<typeof verifyAuditChain>[0] & { action: string; seq: number }[];
}

describe("a help-seeker's last conversation takes their metadata with it", () => {
  it("deleting: the seekers row, sessions and every draft go with the last thread, not before", async () => {
    const seeker = await w.newSeeker(h.id);
    const first = await openThread(seeker, "Een");
    const second = await openThread(seeker, "Twee");
    await saveDrafts(seeker, second.threadId);
    const bystander = await w.newSeeker(h.id);
    await openThread(bystander);
    expect(await rows()).toEqual({ seekers: 2, drafts: 2, seekerSessions: 2 });

    const del1 = await w.request("DELETE", `/api/threads/${first.threadId}`, { cookie: seeker.cookie });
    expect([del1.status, del1.body]).toEqual([200, { deleted: true, signedOut: false }]);
    expect(await rows()).toEqual({ seekers: 2, drafts: 2, seekerSessions: 2 });

    const del2 = await w.request("DELETE", `/api/threads/${second.threadId}`, { cookie: seeker.cookie });
    // The last one: the server ends the session itself and says so (the app sends no sign-out).
    expect([del2.status, del2.body]).toEqual([200, { deleted: true, signedOut: true }]);
    // Only the bystander (who still has a conversation) remains.
    expect(await rows()).toEqual({ seekers: 1, drafts: 0, seekerSessions: 1 });
    // The session went with the row: the next request is simply unauthenticated.
    expect((await w.request("GET", "/api/threads", { cookie: seeker.cookie })).status).toBe(401);
  });

  it("retention: when the last thread expires, the seekers row and drafts go in the same run", async () => {
    const seeker = await w.newSeeker(h.id);
    const t = await openThread(seeker);
    await saveDrafts(seeker, t.threadId);
    w.clock.advance(DAY + 1);
    const n = await runMaintenance(w.db, w.writer, w.clock);
    expect(n).toMatchObject({ threads: 1, seekers: 1 });
    expect(await rows()).toEqual({ seekers: 0, drafts: 0, seekerSessions: 0 });
  });
});

describe("a help-seeker who signed in and kept nothing", () => {
  it("is forgotten once their session ends; one with a saved first draft is kept", async () => {
    const left = await w.newSeeker(h.id);
    const drafting = await w.newSeeker(h.id);
    const context = `new:${w.b64(w.random(16))}`;
    const put = await w.request("PUT", `/api/drafts/${encodeURIComponent(context)}`, {
      cookie: drafting.cookie,
      body: { draft: w.b64(encodeDraft({ context, sealed: w.random(80) })) },
    });
    expect(put.status).toBe(200);
    // Signing in left no row; saving a draft made one (something kept). While sessions live, it stays.
    expect((await runMaintenance(w.db, w.writer, w.clock)).seekers).toBe(0);
    expect(await rows()).toMatchObject({ seekers: 1, seekerSessions: 2 });
    w.clock.advance(DAY + 1); // every session idle long past its limit
    const n = await runMaintenance(w.db, w.writer, w.clock);
    expect(n.seekers).toBe(0);
    expect(await rows()).toEqual({ seekers: 1, drafts: 1, seekerSessions: 0 });
    const kept = await w.db.read.select({ signInPk: seekers.signInPk }).from(seekers);
    expect(kept).toEqual([{ signInPk: w.b64(drafting.signIn.publicKey) }]);
    expect(kept).not.toContainEqual({ signInPk: w.b64(left.signIn.publicKey) });
  });
});

describe("the audit log is pruned with retention", () => {
  it("entries older than the retention go behind a chained checkpoint, and the rest still verifies", async () => {
    const seeker = await w.newSeeker(h.id);
    await openThread(seeker);
    const before = await auditEntries();
    expect(before.length).toBeGreaterThan(1);
    w.clock.advance(DAY + 1);
    // Something recent (this sign-in is audited), which must survive the pruning.
    await auditEntries();
    const n = await runMaintenance(w.db, w.writer, w.clock);
    // Exactly the entries from before the cut-off went: the recent sign-in is the first one left.
    expect(n.auditEntries).toBe(before.length);

    const after = await auditEntries();
    const checkpoint = after.find((e) => e.action === "audit-pruned");
    expect(checkpoint).toMatchObject({ actorKind: "operator", details: { prunedCount: n.auditEntries } });
    expect(after[0]).toMatchObject({ seq: before.length + 1, action: "sign-in" });
    expect(after.map((e) => e.action)).toContain("thread-deleted");
    expect(await verifyAuditChain(after)).toMatchObject({ ok: true, prunedThrough: before.length });
    // Pruning again later (the checkpoint itself old by then) still leaves a verifiable log.
    w.clock.advance(DAY + 1);
    await runMaintenance(w.db, w.writer, w.clock);
    expect(await verifyAuditChain(await auditEntries())).toMatchObject({ ok: true });
  });

  it("a checkpoint altered in the database fails verification", async () => {
    await w.newSeeker(h.id);
    w.clock.advance(DAY + 1);
    await w.signInStaff(h.supervisor); // at least one entry after the cut-off
    await runMaintenance(w.db, w.writer, w.clock);
    const entries = await auditEntries();
    expect((await verifyAuditChain(entries)).ok).toBe(true);
    const checkpoint = entries.find((e) => e.action === "audit-pruned")!;
    // Claim fewer entries were pruned than really were.
    await w.db.write
      .update(auditLog)
      .set({ details: JSON.stringify({ ...checkpoint.details, prunedThrough: 1 }) })
      .where(eq(auditLog.seq, checkpoint.seq));
    expect(await verifyAuditChain(await auditEntries())).toMatchObject({
      ok: false,
      reason: "UNANCHORED_START",
    });
    // A prefix removed without any checkpoint is refused too.
    await w.db.write.delete(auditLog).where(eq(auditLog.action, "audit-pruned"));
    const headless = await auditEntries();
    expect(await verifyAuditChain(headless)).toMatchObject({ ok: false, reason: "UNANCHORED_START" });
  });
});
