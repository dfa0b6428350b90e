import { findMember, signAnnualReport, toBase64 } from "@briefgeheim/crypto";
import {
  ANNUAL_FIGURES,
  type AnnualReportContent,
  canonicalJson,
  SURVEY_QUESTION_IDS,
  suppressAnnualReport,
} from "@briefgeheim/protocol";
import { ClientError } from "./errors.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { fetchStats, tallySurvey } from "./staff-stats.js";
import { readJson } from "./transport.js";

/**
 * The helpline's annual report for `year` as it would be published (issue 13 part 4): the year's
 * figures and the survey counted on this device, with counts under 10 as "<10" and percentages only
 * over a base of 10 or more. Nothing is sent.
 *
 * @example
 * const content = await annualReport(ctx, "Hulplijn", 2026);
 */
export async function annualReport(
  ctx: StaffContext,
  helplineName: string,
  year: number,
): Promise<AnnualReportContent> {
  requireSupervisor(ctx);
  const range = { from: `${year}-01-01`, to: `${year}-12-31` };
  const stats = await fetchStats(ctx, range);
  const figures = Object.fromEntries(ANNUAL_FIGURES.map((f) => [f, 0])) as Record<
    (typeof ANNUAL_FIGURES)[number],
    number
  >;
  for (const d of stats.days) for (const f of ANNUAL_FIGURES) figures[f] += d[f];
  const tally = await tallySurvey(ctx, range);
  const questions = Object.fromEntries(SURVEY_QUESTION_IDS.map((q) => [q, tally.questions[q]])) as Parameters<
    typeof suppressAnnualReport
  >[0]["survey"]["questions"];
  return suppressAnnualReport({
    helplineName,
    year,
    replyTimeHours: stats.replyTimeHours,
    figures,
    // Only what this device could open and verify is counted.
    survey: { records: tally.records - tally.unreadable.noKey - tally.unreadable.invalid, questions },
  });
}

/**
 * Signs `content` (from `annualReport`) with this supervisor's key on the newest verified roster and
 * publishes it (type 0x0a). Publishing again replaces the helpline's report of that year.
 *
 * @example
 * await publishAnnualReport(ctx, await annualReport(ctx, name, 2026));
 */
export async function publishAnnualReport(ctx: StaffContext, content: AnnualReportContent): Promise<void> {
  requireSupervisor(ctx);
  const { sodium } = ctx.client;
  const roster = await ctx.client.helplines.latestRoster(ctx.helplineId);
  const me = findMember(roster, ctx.keys.signing.publicKey);
  if (me?.role !== "supervisor")
    throw new ClientError("NOT_A_SUPERVISOR", "not a supervisor on the newest roster");
  const bytes = signAnnualReport(
    sodium,
    {
      helplineId: ctx.helplineId,
      year: content.year,
      rosterVersion: roster.version,
      issuedAt: ctx.client.now(),
      content: canonicalJson(content),
    },
    ctx.keys.signing,
  );
  await readJson(
    await ctx.client.api.stats.reports[":year"].$put({
      param: { year: String(content.year) },
      json: { report: toBase64(sodium, bytes) },
    }),
  );
}
