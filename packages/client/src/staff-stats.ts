import type { HelplineId } from "@briefgeheim/crypto";
import {
  type AnnualReportContent,
  type StatsResponse,
  SURVEY_ANSWERS_NEXT_HEADER,
  type SurveyQuestion,
} from "@briefgeheim/protocol";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { countSurveyPages, type ListingPage } from "./survey-tally.js";
import { readJson } from "./transport.js";
import { inlineRunner, type WorkRunner } from "./work-pool.js";

/** A range of whole UTC days, `YYYY-MM-DD`, both included. */
export interface DayRange {
  readonly from: string;
  readonly to: string;
}

/**
 * The helpline's figures over a range (supervisors): per day, and the workload per staff member.
 *
 * @example
 * const { days, members } = await fetchStats(ctx, { from: "2026-01-01", to: "2026-12-31" });
 */
export async function fetchStats(ctx: StaffContext, range: DayRange): Promise<StatsResponse> {
  requireSupervisor(ctx);
  return readJson(await ctx.client.api.stats.$get({ query: { from: range.from, to: range.to } }));
}

/** Which survey questions the helpline asks. */
export async function fetchSurveyQuestions(ctx: StaffContext): Promise<SurveyQuestion[]> {
  return (await readJson(await ctx.client.api.stats.questions.$get())).questions;
}

/** Chooses the survey questions (supervisors). */
export async function saveSurveyQuestions(
  ctx: StaffContext,
  questions: readonly SurveyQuestion[],
): Promise<SurveyQuestion[]> {
  requireSupervisor(ctx);
  const json = { questions: [...questions] };
  return (await readJson(await ctx.client.api.stats.questions.$put({ json }))).questions;
}

/** The answers of a range, counted in the browser: nothing per conversation leaves this function. */
export interface SurveyTally {
  /** Conversations with a stored record. */
  readonly records: number;
  /** Per question: how many answered it (the base of its percentages) and the count per answer. */
  readonly questions: Record<SurveyQuestion, { answered: number; counts: Record<string, number> }>;
  /**
   * Records this device could not count: `noKey` (the caller had no grant of the conversation's first
   * epoch, e.g. a supervisor who joined later) or `invalid` (a record that does not open or verify, or
   * holds an unknown answer: altered, moved, or not from the app).
   */
  readonly unreadable: { readonly noKey: number; readonly invalid: number };
  /**
   * Listings of a conversation already seen in this tally: a server that lists one record several
   * times (same thread id) is not counted again; each conversation counts once (in `records` too).
   */
  readonly repeated: number;
}

export interface TallyProgress {
  readonly done: number;
}

/**
 * Fetches the sealed answers of a range page by page and counts them in the browser (supervisors).
 * A record that does not open is counted as `invalid`, never shown or guessed. Each page's body goes
 * unparsed to the pool (survey-tally.ts); a page out of order or with a cursor that does not move
 * forward stops the count with `UNEXPECTED_RESPONSE` (survey-page.ts names the reason).
 *
 * @example
 * const tally = await tallySurvey(ctx, { from: "2026-01-01", to: "2026-12-31" });
 * tally.questions.reason.counts.anonymity / tally.questions.reason.answered;
 */
export async function tallySurvey(
  ctx: StaffContext,
  range: DayRange,
  onProgress?: (p: TallyProgress) => void,
): Promise<SurveyTally> {
  requireSupervisor(ctx);
  const work = ctx.work ?? inlineRunner(ctx.client.sodium);
  const fetchPage = async (after: string | null): Promise<ListingPage> => {
    const res = await ctx.client.api.stats.answers.$get({
      query: { from: range.from, to: range.to, ...(after === null ? {} : { after }) },
    });
    // A refusal throws its typed error here; a page is read as bytes, not parsed on this thread.
    if (!res.ok) await readJson(res);
    const next = res.headers.get(SURVEY_ANSWERS_NEXT_HEADER);
    return { asked: after, next, bytes: new Uint8Array(await res.arrayBuffer()) };
  };
  // The days asked for as the server reads them: whole UTC days, both included.
  const day = (d: string) => Date.parse(`${d}T00:00:00Z`);
  const scope = {
    helplineId: ctx.helplineId as HelplineId,
    box: ctx.keys.box,
    range: { from: day(range.from), to: day(range.to) + 86_400_000 - 1 },
  };
  return countSurveyPages(work, scope, fetchPage, onProgress);
}

/** The pools already warmed up (a new pool, after lock and sign-in, is warmed again). */
const warmed = new WeakSet<WorkRunner>();

/** Made-up conversations each worker counts to warm up (survey-warm-up.ts): about 0.1 s of a worker. */
const WARM_UP_ITEMS = 300;

/**
 * Warms each crypto worker up for `tallySurvey` (survey-warm-up.ts): call when the screen that counts
 * shows. Without workers it does nothing (the count then runs in short jobs on the page's thread,
 * where a warm-up would only take the page's time). Nothing is fetched or kept.
 *
 * @example
 * void warmUpSurveyCount(ctx); // the statistics screen is open
 */
export async function warmUpSurveyCount(ctx: StaffContext): Promise<void> {
  requireSupervisor(ctx);
  const work = ctx.work;
  if (work === undefined || work.workers === 0 || warmed.has(work)) return;
  // Once per pool: its workers stay warm for their life, and the screen shows again on every visit.
  warmed.add(work);
  // One job per worker at once: the pool gives each job to the worker with the fewest waiting.
  await Promise.all(
    Array.from({ length: work.workers }, () => work.run("warmUpSurveyCount", { items: WARM_UP_ITEMS })),
  );
}

/** What `StaffSession.statistics()` offers (each call is `guard`ed: errors are `ClientError`s). */
export interface StaffStatistics {
  figures(range: DayRange): Promise<StatsResponse>;
  questions(): Promise<SurveyQuestion[]>;
  saveQuestions(questions: readonly SurveyQuestion[]): Promise<SurveyQuestion[]>;
  tallySurvey(range: DayRange, onProgress?: (p: TallyProgress) => void): Promise<SurveyTally>;
  /** Warms the crypto workers up for `tallySurvey` (`warmUpSurveyCount`): call when the counting screen shows. */
  warmUpCount(): Promise<void>;
  /** The annual report as it would be published (staff-report.ts); nothing is sent. */
  annualReport(year: number): Promise<AnnualReportContent>;
  /** Signs and publishes it. */
  publishAnnualReport(content: AnnualReportContent): Promise<void>;
}
