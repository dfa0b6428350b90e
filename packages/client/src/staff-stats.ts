import {
  type EpochRecordBytes,
  fromBase64,
  type GrantBytes,
  type HelplineId,
  openGrantKeyForCounting,
  openSurveyRecord,
  parseEpochRecord,
  type ThreadId,
} from "@briefgeheim/crypto";
import {
  type AnnualReportContent,
  type StatsResponse,
  SURVEY_QUESTION_IDS,
  SURVEY_QUESTIONS,
  type SurveyAnswerItem,
  type SurveyQuestion,
} from "@briefgeheim/protocol";
import { letPaint } from "./let-paint.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { isKnownAnswerSet } from "./survey-answers.js";
import { readJson } from "./transport.js";

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

/** Opens one item: the key of the epoch-0 grant (checked against the record's commitment), then the record. */
function openItem(ctx: StaffContext, item: SurveyAnswerItem): Record<string, string> {
  const { sodium } = ctx.client;
  const record = parseEpochRecord(sodium, fromBase64(sodium, item.epochRecord) as EpochRecordBytes);
  const expected = {
    helplineId: ctx.helplineId as HelplineId,
    threadId: item.threadId as ThreadId,
    epoch: 0,
  };
  if (
    record.helplineId !== expected.helplineId ||
    record.threadId !== expected.threadId ||
    record.epoch !== 0
  ) {
    throw new Error("epoch record of another conversation");
  }
  // For counting, the grant's key is checked against the record's commitment without the grant's
  // signature (openGrantKeyForCounting says why): half the public-key work per conversation.
  const key = openGrantKeyForCounting(
    sodium,
    fromBase64(sodium, item.grant!) as GrantBytes,
    record,
    ctx.keys.box,
  );
  try {
    return openSurveyRecord(sodium, fromBase64(sodium, item.record), expected, key);
  } finally {
    key.fill(0);
  }
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
  const questions = emptyTally();
  let records = 0;
  let noKey = 0;
  let invalid = 0;
  let repeated = 0;
  // One answer set per conversation (the server stores one per thread): a repeated listing is the
  // server inflating the count.
  const seen = new Set<string>();
  let after: string | undefined;
  do {
    const query = { from: range.from, to: range.to, ...(after === undefined ? {} : { after }) };
    const page = await readJson(await ctx.client.api.stats.answers.$get({ query }));
    for (const item of page.items) {
      if (seen.has(item.threadId)) {
        repeated++;
        continue;
      }
      seen.add(item.threadId);
      records++;
      if (item.grant === null) {
        noKey++;
        continue;
      }
      let answers: Record<string, string>;
      try {
        answers = openItem(ctx, item);
      } catch {
        // Altered, moved, or sealed under another key (CryptoError) or of another conversation.
        invalid++;
        continue;
      }
      if (!isKnownAnswerSet(answers)) {
        invalid++;
        continue;
      }
      for (const [q, a] of Object.entries(answers) as [SurveyQuestion, string][]) {
        questions[q].answered++;
        questions[q].counts[a] = (questions[q].counts[a] ?? 0) + 1;
      }
    }
    onProgress?.({ done: records });
    // Let the page paint its progress between pages.
    await letPaint(0);
    after = page.next ?? undefined;
  } while (after !== undefined);
  return { records, questions, unreadable: { noKey, invalid }, repeated };
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
