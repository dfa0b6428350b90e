import type { ThreadSummary } from "@briefgeheim/protocol";
import { eq, sql } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { prepared } from "../db/prepared.js";
import { helplines, threadReaders, threads } from "../db/schema.js";
import type { Auth } from "../deps.js";
import { AppError } from "../errors.js";

export type ThreadRow = typeof threads.$inferSelect;
export type HelplineRow = typeof helplines.$inferSelect;

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
/** Threads that do not wait sort after every waiting one (waitingSince is a real time, far below this). */
const NOT_WAITING_BASE = 4_000_000_000_000;

/**
 * Inbox order as one indexed integer: waiting threads first, oldest wait first; then the others,
 * most recent activity first.
 */
export function sortKeyOf(t: {
  waitingSince: number | null;
  lastSeekerMessageAt: number | null;
  lastStaffMessageAt: number | null;
  createdAt: number;
}): number {
  if (t.waitingSince !== null) return t.waitingSince;
  const last = Math.max(t.createdAt, t.lastSeekerMessageAt ?? 0, t.lastStaffMessageAt ?? 0);
  return NOT_WAITING_BASE + (NOT_WAITING_BASE - last);
}

export function expiresAtOf(lastActivity: number, retentionDays: number): number {
  return lastActivity + retentionDays * DAY_MS;
}

/** The API form of a thread; `flagged` is internal and omitted for help-seekers. */
export function summaryOf(
  t: ThreadRow,
  helpline: Pick<HelplineRow, "replyTimeHours">,
  auth: Auth,
): ThreadSummary {
  const summary: ThreadSummary = {
    id: t.id,
    helplineId: t.helplineId,
    status: t.status,
    currentEpoch: t.currentEpoch,
    intake: t.intake,
    assigneeIds: JSON.parse(t.assignees) as string[],
    createdAt: t.createdAt,
    lastSeekerMessageAt: t.lastSeekerMessageAt,
    lastStaffMessageAt: t.lastStaffMessageAt,
    waitingSince: t.waitingSince,
    replyDueAt: t.waitingSince === null ? null : t.waitingSince + helpline.replyTimeHours * HOUR_MS,
    expiresAt: t.expiresAt,
  };
  if (auth.kind === "staff") {
    summary.flagged = t.flagged;
    summary.flagNoteId = t.flagNoteId;
  }
  return summary;
}

/** A thread's row by id (no visibility check: for writes that already passed one), or undefined. */
export async function threadById(db: Queryable, threadId: string): Promise<ThreadRow | undefined> {
  const q = prepared(db, "thread-by-id", (d) =>
    d
      .select()
      .from(threads)
      .where(eq(threads.id, sql.placeholder("threadId")))
      .prepare(),
  );
  return (await q.all({ threadId }))[0];
}

export async function getHelpline(db: Queryable, helplineId: string): Promise<HelplineRow | undefined> {
  const q = prepared(db, "helpline-by-id", (d) =>
    d
      .select()
      .from(helplines)
      .where(eq(helplines.id, sql.placeholder("helplineId")))
      .prepare(),
  );
  return (await q.all({ helplineId }))[0];
}

/**
 * What the caller may do with a thread: see it (summary, records, envelopes) and, as a reader of the
 * current epoch, write to it. Help-seekers: only their own threads. Counsellors: threads of their
 * helpline in intake if they are intake readers, or whose current epoch lists them. Supervisors: every
 * thread of their helpline.
 *
 * Loads a thread the caller may see, else `404 NOT_FOUND` (the same answer as for a thread that does
 * not exist, so existence does not leak).
 */
export async function loadVisibleThread(
  db: Queryable,
  auth: Auth,
  threadId: string,
): Promise<{ thread: ThreadRow; reader: boolean }> {
  // One statement: the thread and whether the caller reads its current epoch.
  const q = prepared(db, "thread-with-reader", (d) =>
    d
      .select({
        thread: threads,
        isReader: sql<number>`exists(select 1 from ${threadReaders} where ${threadReaders.threadId} = ${threads.id} and ${threadReaders.memberId} = ${sql.placeholder("memberId")})`,
      })
      .from(threads)
      .where(eq(threads.id, sql.placeholder("threadId")))
      .prepare(),
  );
  const row = (await q.all({ threadId, memberId: auth.kind === "staff" ? auth.memberId : "" }))[0];
  if (row === undefined) throw new AppError("NOT_FOUND", "no such thread");
  const thread = row.thread;
  if (thread.helplineId !== auth.helplineId) throw new AppError("NOT_FOUND", "no such thread");
  if (auth.kind === "seeker") {
    if (thread.seekerId !== auth.seekerId) throw new AppError("NOT_FOUND", "no such thread");
    return { thread, reader: true };
  }
  const reader = auth.status === "active" && Number(row.isReader) === 1;
  const see =
    auth.status === "active" &&
    (reader || auth.role === "supervisor" || (thread.intake && auth.intakeReader));
  if (!see) throw new AppError("NOT_FOUND", "no such thread");
  return { thread, reader };
}

/** Keyset cursor over (sortKey, id). */
export function encodeThreadCursor(t: { sortKey: number; id: string }): string {
  return `${t.sortKey}.${t.id}`;
}

export function decodeThreadCursor(cursor: string | undefined): { sortKey: number; id: string } | undefined {
  if (cursor === undefined) return undefined;
  const m = /^(\d{1,16})\.([A-Za-z0-9_-]{22})$/.exec(cursor);
  if (!m) throw new AppError("VALIDATION_FAILED", "cursor: not a cursor from this API");
  return { sortKey: Number(m[1]), id: m[2]! };
}
