import { type AuditCheckpointDetails, bytesToBase64Url } from "@briefgeheim/protocol";
import { and, asc, count, desc, eq, lt, lte } from "drizzle-orm";
import type { WriteTx } from "../db/client.js";
import { auditLog } from "../db/schema.js";
import { appendAudit } from "./audit.js";

/**
 * Prunes a helpline's audit log with its retention: every entry older than `before` goes, and a
 * checkpoint entry (`audit-pruned`, chained like any other) is appended first that names the last
 * pruned seq and its hash, so the remaining log still verifies from there (`verifyAuditChain` in
 * packages/protocol). Only a prefix is ever pruned: entries are removed up to the newest one older than
 * the cut-off, so the remaining log stays one unbroken chain. Returns how many entries went.
 *
 * @example
 * await pruneAudit(tx, helplineId, now - retentionDays * DAY_MS, now);
 */
export async function pruneAudit(
  tx: WriteTx,
  helplineId: string,
  before: number,
  now: number,
): Promise<number> {
  // The cheap question first (one row by primary key): is anything old enough at all?
  const oldest = await tx
    .select({ at: auditLog.at })
    .from(auditLog)
    .where(eq(auditLog.helplineId, helplineId))
    .orderBy(asc(auditLog.seq))
    .limit(1);
  if (oldest[0] === undefined || oldest[0].at >= before) return 0;
  const last = await tx
    .select({ seq: auditLog.seq, hash: auditLog.hash })
    .from(auditLog)
    .where(and(eq(auditLog.helplineId, helplineId), lt(auditLog.at, before)))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const head = last[0];
  if (head === undefined) return 0;
  const pruned = await tx
    .select({ n: count() })
    .from(auditLog)
    .where(and(eq(auditLog.helplineId, helplineId), lte(auditLog.seq, head.seq)));
  const details: AuditCheckpointDetails = {
    prunedThrough: head.seq,
    prunedHeadHash: bytesToBase64Url(new Uint8Array(head.hash)),
    prunedCount: pruned[0]?.n ?? 0,
    before,
  };
  // Appended before the rows go: appendAudit chains to the newest entry, which may be a pruned one.
  await appendAudit(tx, {
    helplineId,
    at: now,
    actorKind: "operator",
    actorId: null,
    action: "audit-pruned",
    details: { ...details },
  });
  await tx.delete(auditLog).where(and(eq(auditLog.helplineId, helplineId), lte(auditLog.seq, head.seq)));
  return details.prunedCount;
}
