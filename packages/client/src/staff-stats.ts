import type { HelplineId } from "@briefgeheim/crypto";
import {
  type AnnualReportContent,
  type StatsResponse,
  SURVEY_QUESTION_IDS,
  SURVEY_QUESTIONS,
  type SurveyAnswerItem,
  type SurveyAnswersResponse,
  type SurveyQuestion,
} from "@briefgeheim/protocol";
import { letPaint } from "./let-paint.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { isKnownAnswerSet } from "./survey-answers.js";
import { readJson } from "./transport.js";
import { inlineRunner } from "./work-pool.js";

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

function emptyTally(): SurveyTally["questions"] {
  const out = {} as SurveyTally["questions"];
  for (const q of SURVEY_QUESTION_IDS) {
    out[q] = { answered: 0, counts: Object.fromEntries(SURVEY_QUESTIONS[q].map((a) => [a, 0])) };
  }
  return out;
}

/**
 * Fetches the sealed answers of a range page by page and counts them in the browser (supervisors).
 * A record that does not open is counted as `invalid`, never shown or guessed.
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
  const questions = emptyTally();
  let records = 0;
  let noKey = 0;
  let invalid = 0;
  let repeated = 0;
  // One answer set per conversation (the server stores one per thread): a repeated listing is the
  // server inflating the count.
  const seen = new Set<string>();
  const fetchPage = (after: string | undefined): Promise<SurveyAnswersResponse> =>
    ctx.client.api.stats.answers
      .$get({ query: { from: range.from, to: range.to, ...(after === undefined ? {} : { after }) } })
      .then(readJson);
  let next: Promise<SurveyAnswersResponse> | undefined = fetchPage(undefined);
  while (next !== undefined) {
    const page: SurveyAnswersResponse = await next;
    // The next page downloads while this one is opened.
    next = page.next === null ? undefined : fetchPage(page.next);
    // Handled here too, so a tally that stops early (a job refused, the session wiped) leaves no
    // unhandled rejection behind; awaiting `next` still throws.
    next?.catch(() => undefined);
    const openable: SurveyAnswerItem[] = [];
    for (const item of page.items) {
      if (seen.has(item.threadId)) {
        repeated++;
        continue;
      }
      seen.add(item.threadId);
      records++;
      if (item.grant === null) noKey++;
      else openable.push(item);
    }
    // Jobs of a few hundred items: every worker of the pool gets some, and without a pool each job
    // is a short task on the page's thread. The worker's copy of the box key is wiped after each job.
    const jobs = chunks(openable, JOB_ITEMS).map((items) =>
      work.run("openSurveyAnswers", { helplineId: ctx.helplineId as HelplineId, box: ctx.keys.box, items }),
    );
    for (const opened of await Promise.all(jobs)) {
      for (const answers of opened) {
        // null: altered, moved, or sealed under another key; or not answers the app could have sent.
        if (answers === null || !isKnownAnswerSet(answers)) {
          invalid++;
          continue;
        }
        for (const [q, a] of Object.entries(answers) as [SurveyQuestion, string][]) {
          questions[q].answered++;
          questions[q].counts[a] = (questions[q].counts[a] ?? 0) + 1;
        }
      }
    }
    onProgress?.({ done: records });
    // Let the page paint its progress between pages.
    await letPaint(0);
  }
  return { records, questions, unreadable: { noKey, invalid }, repeated };
}

/** Items per `openSurveyAnswers` job (about 30-40 ms of work on the page's thread without a pool). */
const JOB_ITEMS = 250;

function chunks<T>(items: readonly T[], size: number): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += size) out.push(items.slice(i, i + size));
  return out;
}

/** What `StaffSession.statistics()` offers (each call is `guard`ed: errors are `ClientError`s). */
export interface StaffStatistics {
  figures(range: DayRange): Promise<StatsResponse>;
  questions(): Promise<SurveyQuestion[]>;
  saveQuestions(questions: readonly SurveyQuestion[]): Promise<SurveyQuestion[]>;
  tallySurvey(range: DayRange, onProgress?: (p: TallyProgress) => void): Promise<SurveyTally>;
  /** The annual report as it would be published (staff-report.ts); nothing is sent. */
  annualReport(year: number): Promise<AnnualReportContent>;
  /** Signs and publishes it. */
  publishAnnualReport(content: AnnualReportContent): Promise<void>;
}
