import { LIMITS } from "@briefgeheim/protocol";
import { and, eq, inArray, lt, or } from "drizzle-orm";
import type { Database } from "./db/client.js";
import { challenges, drafts, helplines, sessions, threads } from "./db/schema.js";
import type { Writer } from "./db/writer.js";
import type { Clock } from "./deps.js";
import { expireUploads } from "./services/attachments.js";
import { appendAudit } from "./services/audit.js";
import { pruneAudit } from "./services/audit-prune.js";
import { forgetSeekersWithoutThreads, sweepAbandonedSeekers } from "./services/seeker-cleanup.js";
import { countDay } from "./services/stats.js";

const DAY_MS = 24 * 3_600_000;

/** What one maintenance run removed. */
export interface MaintenanceCounts {
  readonly challenges: number;
  readonly sessions: number;
  readonly threads: number;
  /**
   * Help-seekers forgotten in this run: those whose last conversation went (their row, sessions and
   * drafts), and those who signed in, kept nothing (no conversation, draft or session) and left.
   */
  readonly seekers: number;
  /** Audit entries older than their helpline's retention (each pruning leaves a chained checkpoint). */
  readonly auditEntries: number;
  /** Attachment uploads no message named within their 24 hours (their chunks go with them). */
  readonly attachments: number;
}

/** Threads deleted per maintenance run at most (the rest wait for the next run). */
const RETENTION_BATCH = 500;

/**
 * Periodic clean-up through the writer: expired challenges and sessions, threads past their retention
 * (with an audit entry each, metadata only), help-seekers whose last thread went with them, and audit
 * entries past their helpline's retention (behind a checkpoint, services/audit-prune.ts). Returns the
 * counts.
 */
export async function runMaintenance(db: Database, writer: Writer, clock: Clock): Promise<MaintenanceCounts> {
  const now = clock.now();
  const expired = await db.read
    .select({ id: threads.id, helplineId: threads.helplineId })
    .from(threads)
    .where(lt(threads.expiresAt, now))
    .limit(RETENTION_BATCH);
  const retention = await db.read
    .select({ id: helplines.id, retentionDays: helplines.retentionDays })
    .from(helplines);
  return writer.run(async (tx) => {
    const c = await tx
      .delete(challenges)
      .where(lt(challenges.expiresAt, now))
      .returning({ n: challenges.expiresAt });
    const s = await tx
      .delete(sessions)
      .where(
        or(
          lt(sessions.expiresAt, now),
          and(eq(sessions.kind, "seeker"), lt(sessions.lastSeenAt, now - LIMITS.session.seekerIdleMs)),
          and(eq(sessions.kind, "staff"), lt(sessions.lastSeenAt, now - LIMITS.session.staffIdleMs)),
        ),
      )
      .returning({ n: sessions.expiresAt });
    let deleted = 0;
    let forgotten = 0;
    if (expired.length > 0) {
      const ids = expired.map((t) => t.id);
      const gone = await tx
        .delete(threads)
        .where(and(inArray(threads.id, ids), lt(threads.expiresAt, now)))
        .returning({ id: threads.id, helplineId: threads.helplineId, seekerId: threads.seekerId });
      if (gone.length > 0) {
        await tx.delete(drafts).where(
          inArray(
            drafts.context,
            gone.map((t) => `reply:${t.id}`),
          ),
        );
      }
      for (const t of gone) {
        await appendAudit(tx, {
          helplineId: t.helplineId,
          at: now,
          actorKind: "operator",
          actorId: null,
          action: "thread-deleted",
          threadId: t.id,
          details: { reason: "retention" },
        });
        await countDay(tx, t.helplineId, now, { expired: 1 });
      }
      deleted = gone.length;
      forgotten = await forgetSeekersWithoutThreads(
        tx,
        gone.map((t) => t.seekerId),
      );
    }
    // After the sessions above: someone who signed in, kept nothing and left is forgotten too.
    forgotten += await sweepAbandonedSeekers(tx, RETENTION_BATCH);
    let auditEntries = 0;
    for (const h of retention) {
      auditEntries += await pruneAudit(tx, h.id, now - h.retentionDays * DAY_MS, now);
    }
    // Bound attachments go with their thread (foreign keys cascade); unbound ones expire here.
    const uploads = await expireUploads(tx, now, RETENTION_BATCH);
    return {
      challenges: c.length,
      sessions: s.length,
      threads: deleted,
      seekers: forgotten,
      auditEntries,
      attachments: uploads,
    };
  });
}
