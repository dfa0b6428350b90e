/**
 * Statistics counters (issue 13, docs/STAFF.md "Statistieken"): every write that changes a figure adds
 * to its helpline's row of that UTC day in the same transaction, so the figures of several years are a
 * few hundred rows per helpline, read in one indexed range scan, and they outlive the conversations
 * they count (deleted by the help-seeker or by retention). Nothing here is content.
 */

import { STATS_COUNTERS, type StatsCounter } from "@briefgeheim/protocol";
import { sql } from "drizzle-orm";
import type { WriteTx } from "../db/client.js";
import { prepared } from "../db/prepared.js";
import { statsDays, statsMemberDays } from "../db/schema.js";

export const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

/** The UTC day number (days since 1970-01-01) of a time in milliseconds. */
export function dayOf(ms: number): number {
  return Math.floor(ms / DAY_MS);
}

/** The counters of `stats_days` (every one starts at 0): the wire format's list. */
export type DayCounter = StatsCounter;
export const DAY_COUNTERS = STATS_COUNTERS;

export type MemberCounter = "replies" | "firstReplies" | "taken";
const MEMBER_COUNTERS: readonly MemberCounter[] = ["replies", "firstReplies", "taken"];

function upsertDay(tx: WriteTx) {
  const set = Object.fromEntries(
    DAY_COUNTERS.map((k) => [k, sql`${statsDays[k]} + excluded.${sql.identifier(statsDays[k].name)}`]),
  );
  return prepared(tx, "stats-day-upsert", (d) =>
    d
      .insert(statsDays)
      .values({
        helplineId: sql.placeholder("helplineId"),
        day: sql.placeholder("day"),
        ...Object.fromEntries(DAY_COUNTERS.map((k) => [k, sql.placeholder(k)])),
      })
      .onConflictDoUpdate({ target: [statsDays.helplineId, statsDays.day], set })
      .prepare(),
  );
}

function upsertMember(tx: WriteTx) {
  const set = Object.fromEntries(
    MEMBER_COUNTERS.map((k) => [
      k,
      sql`${statsMemberDays[k]} + excluded.${sql.identifier(statsMemberDays[k].name)}`,
    ]),
  );
  return prepared(tx, "stats-member-upsert", (d) =>
    d
      .insert(statsMemberDays)
      .values({
        helplineId: sql.placeholder("helplineId"),
        day: sql.placeholder("day"),
        memberId: sql.placeholder("memberId"),
        ...Object.fromEntries(MEMBER_COUNTERS.map((k) => [k, sql.placeholder(k)])),
      })
      .onConflictDoUpdate({
        target: [statsMemberDays.helplineId, statsMemberDays.day, statsMemberDays.memberId],
        set,
      })
      .prepare(),
  );
}

/**
 * Adds `delta` to the helpline's figures of the day of `now` (one statement, inside the caller's write).
 *
 * @example
 * await countDay(tx, helplineId, now, { conversations: 1, seekerMessages: 1 });
 */
export async function countDay(
  tx: WriteTx,
  helplineId: string,
  now: number,
  delta: Partial<Record<DayCounter, number>>,
): Promise<void> {
  const values: Record<string, number | string> = { helplineId, day: dayOf(now) };
  for (const k of DAY_COUNTERS) values[k] = delta[k] ?? 0;
  await upsertDay(tx).run(values);
}

/** Adds `delta` to a staff member's workload of the day of `now`. */
export async function countMember(
  tx: WriteTx,
  helplineId: string,
  memberId: string,
  now: number,
  delta: Partial<Record<MemberCounter, number>>,
): Promise<void> {
  const values: Record<string, number | string> = { helplineId, memberId, day: dayOf(now) };
  for (const k of MEMBER_COUNTERS) values[k] = delta[k] ?? 0;
  await upsertMember(tx).run(values);
}

/**
 * What a staff message adds: always a staff message; a reply when it ends a wait (with the wait
 * against the helpline's promised reply time); a first reply when no staff message came before (the
 * wait since the conversation began).
 */
export function staffMessageDelta(
  thread: { createdAt: number; waitingSince: number | null; lastStaffMessageAt: number | null },
  replyTimeHours: number,
  now: number,
): Partial<Record<DayCounter, number>> {
  const promise = replyTimeHours * HOUR_MS;
  const delta: Partial<Record<DayCounter, number>> = { staffMessages: 1 };
  if (thread.waitingSince !== null) {
    const wait = now - thread.waitingSince;
    delta.replies = 1;
    delta.replyMs = wait;
    delta.repliesInTime = wait <= promise ? 1 : 0;
  }
  if (thread.lastStaffMessageAt === null) {
    const wait = now - thread.createdAt;
    delta.firstReplies = 1;
    delta.firstReplyMs = wait;
    delta.firstInTime = wait <= promise ? 1 : 0;
    delta.firstWithin1h = wait <= HOUR_MS ? 1 : 0;
    delta.firstWithin24h = wait <= DAY_MS ? 1 : 0;
  }
  return delta;
}
