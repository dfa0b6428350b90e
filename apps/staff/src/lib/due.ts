import type { ThreadSummary } from "@briefgeheim/protocol";

/** Where a thread stands against the helpline's promised reply time. */
export type DueState = "late" | "due-soon" | "on-time" | "answered";

/** "Due soon" starts when less than this share of the promised time is left. */
export const DUE_SOON_SHARE = 0.25;

/**
 * The reply-time state of a thread: `answered` when the help-seeker is not waiting, `late` past
 * `replyDueAt`, `due-soon` in the last quarter of the promised time, else `on-time`.
 *
 * @example
 * dueState(summary, Date.now(), 72); // "due-soon"
 */
export function dueState(
  t: Pick<ThreadSummary, "waitingSince" | "replyDueAt">,
  now: number,
  replyTimeHours: number,
): DueState {
  if (t.waitingSince === null || t.replyDueAt === null) return "answered";
  if (now >= t.replyDueAt) return "late";
  const promised = replyTimeHours * 3_600_000;
  return t.replyDueAt - now <= promised * DUE_SOON_SHARE ? "due-soon" : "on-time";
}

/**
 * Inbox order: waiting threads first, longest wait first; then the others by most recent activity
 * (the server's order, kept when lists are merged or refreshed).
 */
export function byWaitingTime(a: ThreadSummary, b: ThreadSummary): number {
  if (a.waitingSince !== null && b.waitingSince !== null) return a.waitingSince - b.waitingSince;
  if (a.waitingSince !== null) return -1;
  if (b.waitingSince !== null) return 1;
  return lastActivity(b) - lastActivity(a);
}

export function lastActivity(t: ThreadSummary): number {
  return Math.max(t.createdAt, t.lastSeekerMessageAt ?? 0, t.lastStaffMessageAt ?? 0);
}
