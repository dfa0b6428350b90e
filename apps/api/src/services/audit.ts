import {
  type AuditAction,
  type AuditContent,
  type AuditEntry,
  auditHashInput,
  canonicalJson,
} from "@briefgeheim/protocol";
import { desc, eq, sql } from "drizzle-orm";
import type { WriteTx } from "../db/client.js";
import { insertRows, prepared } from "../db/prepared.js";
import { auditLog } from "../db/schema.js";
import { sha256, toB64 } from "../deps.js";

export interface AuditInput {
  helplineId: string;
  at: number;
  actorKind: "staff" | "seeker" | "operator";
  actorId: string | null;
  action: AuditAction;
  threadId?: string | null;
  subjectId?: string | null;
  details?: AuditContent["details"];
}

/**
 * Appends one entry to the helpline's hash chain, inside a write job (so entries of one batch chain
 * correctly): `hash = SHA-256(prevHash || canonical JSON of the content)`, as `verifyAuditChain`
 * in packages/protocol checks. Metadata only: ids, versions, reasons; never content.
 */
export async function appendAudit(tx: WriteTx, input: AuditInput): Promise<void> {
  // Prepared: a caseload move appends one entry a thread, hundreds in one request.
  const newest = prepared(tx, "audit-newest", (d) =>
    d
      .select({ seq: auditLog.seq, hash: auditLog.hash })
      .from(auditLog)
      .where(eq(auditLog.helplineId, sql.placeholder("helplineId")))
      .orderBy(desc(auditLog.seq))
      .limit(1)
      .prepare(),
  );
  const last = await newest.all({ helplineId: input.helplineId });
  const prevHash = last[0] ? Buffer.from(last[0].hash) : Buffer.alloc(32);
  const content: AuditContent = {
    helplineId: input.helplineId,
    seq: (last[0]?.seq ?? 0) + 1,
    at: input.at,
    actorKind: input.actorKind,
    actorId: input.actorId,
    action: input.action,
    threadId: input.threadId ?? null,
    subjectId: input.subjectId ?? null,
    details: input.details ?? {},
  };
  const hash = sha256(auditHashInput(prevHash, content));
  await insertRows(tx, auditLog, "audit", [
    {
      helplineId: content.helplineId,
      seq: content.seq,
      at: content.at,
      actorKind: content.actorKind,
      actorId: content.actorId,
      action: content.action,
      threadId: content.threadId,
      subjectId: content.subjectId,
      details: canonicalJson(content.details),
      prevHash,
      hash,
    },
  ]);
}

/** A stored row as the API returns it. */
export function auditEntryFromRow(row: typeof auditLog.$inferSelect): AuditEntry {
  return {
    helplineId: row.helplineId,
    seq: row.seq,
    at: row.at,
    actorKind: row.actorKind,
    actorId: row.actorId,
    action: row.action as AuditAction,
    threadId: row.threadId,
    subjectId: row.subjectId,
    details: JSON.parse(row.details) as AuditContent["details"],
    prevHash: toB64(row.prevHash),
    hash: toB64(row.hash),
  };
}
