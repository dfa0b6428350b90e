import type { SurveyTally } from "@briefgeheim/client";
import type { StatsResponse } from "@briefgeheim/protocol";
import { lookup, t } from "../i18n/index.js";
import { meanHours, type Period, percent, toCsv } from "../lib/stats.js";
import { SURVEY_QUESTION_IDS, SURVEY_QUESTIONS } from "../lib/survey-ids.js";

/** The rows of the statistics CSV: one per period, a total, the workload, and the counted answers. */
export function statsCsvRows(
  d: StatsResponse,
  periods: readonly Period[],
  tally: SurveyTally | undefined,
  member: (id: string) => string,
): (string | number | undefined)[][] {
  const m = t();
  const rows: (string | number | undefined)[][] = [
    [
      m.statsPeriod,
      m.statsConversations,
      m.statsSeekerMessages,
      m.statsStaffMessages,
      m.statsFirstReplies,
      m.statsShareInTime,
      m.statsMeanHours,
      m.statsWithin1h,
      m.statsWithin24h,
      m.statsClosed,
      m.statsReassigned,
      m.statsDeleted,
      m.statsExpired,
    ],
  ];
  const line = (key: string, p: Omit<Period, "key" | "start">) => [
    key,
    p.conversations,
    p.seekerMessages,
    p.staffMessages,
    p.firstReplies,
    percent(p.firstInTime, p.firstReplies),
    meanHours(p.firstReplyMs, p.firstReplies),
    p.firstWithin1h,
    p.firstWithin24h,
    p.closed,
    p.reassigned,
    p.deleted,
    p.expired,
  ];
  for (const p of periods) rows.push(line(p.key, p));
  const total = { ...periods[0]! } as Record<string, number | string>;
  for (const k of Object.keys(total)) if (typeof total[k] === "number") total[k] = 0;
  for (const p of periods)
    for (const [k, v] of Object.entries(p)) if (typeof v === "number") (total[k] as number) += v;
  if (periods.length > 0) rows.push(line(`${d.from} – ${d.to}`, total as unknown as Period));
  rows.push([]);
  rows.push([m.statsMember, m.statsReplies, m.statsFirstRepliesShort, m.statsTaken, m.statsOpenNow]);
  for (const x of d.members) rows.push([member(x.memberId), x.replies, x.firstReplies, x.taken, x.openNow]);
  if (tally !== undefined) {
    rows.push([]);
    rows.push([m.statsSurvey, m.statsAnswer, m.statsCount, m.statsShare]);
    for (const q of SURVEY_QUESTION_IDS) {
      for (const a of SURVEY_QUESTIONS[q]) {
        const n = tally.questions[q].counts[a] ?? 0;
        rows.push([
          lookup(m.surveyQuestions, q) ?? q,
          lookup(m.surveyOptions, a) ?? a,
          n,
          percent(n, tally.questions[q].answered),
        ]);
      }
    }
  }
  return rows;
}

/** Downloads the CSV (a `blob:` URL clicked and revoked at once; nothing stored). */
export function downloadStatsCsv(
  d: StatsResponse,
  periods: readonly Period[],
  tally: SurveyTally | undefined,
  member: (id: string) => string,
): void {
  const blob = new Blob([toCsv(statsCsvRows(d, periods, tally, member))], { type: "text/csv;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = t().statsCsvFile(d.from, d.to);
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}
