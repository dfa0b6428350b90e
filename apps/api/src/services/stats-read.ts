/**
 * Reading the statistics (routes/stats): a helpline's daily figures over a range and the workload per
 * staff member, each one indexed range scan over the counters of services/stats.ts, whatever the number
 * of conversations behind them.
 */
import type { StatsDay, StatsMember, StatsResponse } from "@briefgeheim/protocol";
import { and, between, eq, ne, sql } from "drizzle-orm";
import type { Queryable } from "../db/client.js";
import { statsDays, statsMemberDays, threadReaders, threads } from "../db/schema.js";
import { DAY_COUNTERS, DAY_MS } from "./stats.js";

export function dayNumber(day: string): number {
  return Date.parse(`${day}T00:00:00Z`) / DAY_MS;
}

export function dayText(n: number): string {
  return new Date(n * DAY_MS).toISOString().slice(0, 10);
}

export async function readStats(
  db: Queryable,
  helplineId: string,
  replyTimeHours: number,
  range: { from: string; to: string },
): Promise<StatsResponse> {
  const from = dayNumber(range.from);
  const to = dayNumber(range.to);
  const rows = await db
    .select()
    .from(statsDays)
    .where(and(eq(statsDays.helplineId, helplineId), between(statsDays.day, from, to)))
    .orderBy(statsDays.day);
  const days: StatsDay[] = rows.map((r) => {
    const d = { day: dayText(r.day) } as StatsDay;
    for (const k of DAY_COUNTERS) d[k] = r[k];
    return d;
  });
  const work = await db
    .select({
      memberId: statsMemberDays.memberId,
      replies: sql<number>`sum(${statsMemberDays.replies})`,
      firstReplies: sql<number>`sum(${statsMemberDays.firstReplies})`,
      taken: sql<number>`sum(${statsMemberDays.taken})`,
    })
    .from(statsMemberDays)
    .where(and(eq(statsMemberDays.helplineId, helplineId), between(statsMemberDays.day, from, to)))
    .groupBy(statsMemberDays.memberId);
  // Open conversations each counsellor reads now (not a range figure: today's caseload).
  const open = await db
    .select({ memberId: threadReaders.memberId, n: sql<number>`count(*)` })
    .from(threadReaders)
    .innerJoin(threads, eq(threads.id, threadReaders.threadId))
    .where(
      and(
        eq(threads.helplineId, helplineId),
        eq(threadReaders.role, "counsellor"),
        ne(threads.status, "closed"),
      ),
    )
    .groupBy(threadReaders.memberId);
  const members = new Map<string, StatsMember>();
  const member = (id: string) => {
    let m = members.get(id);
    if (m === undefined) {
      m = { memberId: id, replies: 0, firstReplies: 0, taken: 0, openNow: 0 };
      members.set(id, m);
    }
    return m;
  };
  for (const w of work) {
    const m = member(w.memberId);
    m.replies = Number(w.replies);
    m.firstReplies = Number(w.firstReplies);
    m.taken = Number(w.taken);
  }
  for (const o of open) member(o.memberId).openNow = Number(o.n);
  return {
    helplineId,
    from: range.from,
    to: range.to,
    replyTimeHours,
    days,
    members: [...members.values()].sort((a, b) => (a.memberId < b.memberId ? -1 : 1)),
  };
}
