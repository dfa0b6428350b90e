import type { BoxKeyPair, HelplineId } from "@briefgeheim/crypto";
import { SURVEY_COUNT_MAX_ITEMS, SURVEY_QUESTION_IDS, SURVEY_QUESTIONS } from "@briefgeheim/protocol";
import { letPaint } from "./let-paint.js";
import type { SurveyTally, TallyProgress } from "./staff-stats.js";
import { ITEM_COUNTED, ITEM_NO_KEY, type SurveyCounts } from "./survey-count-job.js";
import { type CountRange, checkNextCursor, parseSurveyPage, refusePage } from "./survey-page.js";
import type { WorkRunner } from "./work-pool.js";

/** One page of the listing as it came: the body's bytes, unparsed, and the cursors around it. */
export interface ListingPage {
  /** The cursor it was asked for (`after`); null for the first page. */
  readonly asked: string | null;
  /** The `Briefgeheim-Next` response header: the next page's cursor, null on the last page. */
  readonly next: string | null;
  readonly bytes: Uint8Array;
}

/** Whose answers are counted, with which key, over which days. */
export interface CountScope {
  readonly helplineId: HelplineId;
  readonly box: BoxKeyPair;
  readonly range: CountRange;
}

/** Items per `countSurveyItems` job when there is no pool (a short task on the page's thread each). */
const JOB_ITEMS = 250;

/**
 * Counts the listing page by page (docs/PROTOCOL.md §13). With a pool, each page goes whole and
 * unparsed to a worker (`countSurveyPage`: parse, check order and cursor, open, encode the answers as
 * small typed arrays), one page per worker at a time, while the next page downloads: the page's
 * thread only reads the next cursor from the header (which must move forward) and adds up. Without a
 * pool the page is parsed here and opened in small `countSurveyItems` jobs. Results are added in
 * listing order, so a conversation listed again (same thread id) is skipped the same way either way.
 * An item outside the range refuses its page; past `maxItems` conversations (tests lower it) the
 * count stops: cursors that only move forward still need not end.
 */
export async function countSurveyPages(
  work: WorkRunner,
  scope: CountScope,
  fetchPage: (after: string | null) => Promise<ListingPage>,
  onProgress?: (p: TallyProgress) => void,
  maxItems = SURVEY_COUNT_MAX_ITEMS,
): Promise<SurveyTally> {
  const tally = new Tally();
  const pending: Promise<SurveyCounts[]>[] = [];
  const settle = async () => {
    for (const counts of await pending.shift()!) tally.add(counts);
    // A listing that never ends (each cursor forward, each item new) would grow the tab's memory for ever.
    if (tally.records + tally.repeated > maxItems) {
      throw refusePage("LISTING_TOO_LONG", `the listing goes on past ${maxItems} conversations`);
    }
    onProgress?.({ done: tally.records });
    // Let the page paint its progress between pages.
    await letPaint(0);
  };
  try {
    let next: Promise<ListingPage> | undefined = fetchPage(null);
    while (next !== undefined) {
      const page: ListingPage = await next;
      checkNextCursor(page.next, page.asked);
      // The next page downloads while this one is counted.
      next = page.next === null ? undefined : fetchPage(page.next);
      // Handled here too, so a count that stops early leaves no unhandled rejection; awaiting still throws.
      next?.catch(() => undefined);
      const counted = countPage(work, scope, page);
      counted.catch(() => undefined);
      pending.push(counted);
      // One page per worker at a time (at most one page beyond that waits in memory: the download).
      if (pending.length >= Math.max(1, work.workers)) await settle();
    }
    while (pending.length > 0) await settle();
  } finally {
    pending.length = 0;
  }
  return tally.result();
}

function countPage(work: WorkRunner, scope: CountScope, page: ListingPage): Promise<SurveyCounts[]> {
  if (work.workers > 0) {
    const input = { ...scope, bytes: page.bytes, asked: page.asked, next: page.next };
    // Handed over, not copied: cloning a year's 31 MB of pages cost the page's thread and the workers
    // about 0.6 s together (docs/PERFORMANCE.md, Statistics). The page's bytes are not used here after.
    const { buffer, byteOffset, byteLength } = page.bytes;
    const whole = buffer instanceof ArrayBuffer && byteOffset === 0 && byteLength === buffer.byteLength;
    return work.run("countSurveyPage", input, whole ? [buffer] : undefined).then((counts) => [counts]);
  }
  let items: ReturnType<typeof parseSurveyPage>;
  try {
    items = parseSurveyPage(page.bytes, page.asked, page.next, scope.range);
  } catch (e) {
    return Promise.reject(e);
  }
  const jobs: Promise<SurveyCounts>[] = [];
  for (let i = 0; i < items.length; i += JOB_ITEMS) {
    const { helplineId, box } = scope;
    jobs.push(work.run("countSurveyItems", { helplineId, box, items: items.slice(i, i + JOB_ITEMS) }));
  }
  return Promise.all(jobs);
}

/** The running totals; each thread id counts once. */
class Tally {
  records = 0;
  #noKey = 0;
  #invalid = 0;
  #repeated = 0;
  /** Conversations listed again (skipped). */
  get repeated(): number {
    return this.#repeated;
  }
  readonly #seen = new Set<string>();
  readonly #questions = emptyQuestions();

  add(counts: SurveyCounts): void {
    const q = SURVEY_QUESTION_IDS.length;
    for (const [i, threadId] of counts.threadIds.entries()) {
      // One answer set per conversation (the server stores one per thread): a repeated listing is
      // the server inflating the count.
      if (this.#seen.has(threadId)) {
        this.#repeated++;
        continue;
      }
      this.#seen.add(threadId);
      this.records++;
      const status = counts.status[i];
      if (status === ITEM_NO_KEY) this.#noKey++;
      else if (status !== ITEM_COUNTED) this.#invalid++;
      else {
        for (const [k, question] of SURVEY_QUESTION_IDS.entries()) {
          const answer = counts.answers[i * q + k]!;
          if (answer === 0) continue;
          const entry = this.#questions[question];
          entry.answered++;
          const id = SURVEY_QUESTIONS[question][answer - 1]!;
          entry.counts[id] = (entry.counts[id] ?? 0) + 1;
        }
      }
    }
  }

  result(): SurveyTally {
    return {
      records: this.records,
      questions: this.#questions,
      unreadable: { noKey: this.#noKey, invalid: this.#invalid },
      repeated: this.#repeated,
    };
  }
}

function emptyQuestions(): SurveyTally["questions"] {
  const out = {} as SurveyTally["questions"];
  for (const q of SURVEY_QUESTION_IDS) {
    out[q] = { answered: 0, counts: Object.fromEntries(SURVEY_QUESTIONS[q].map((a) => [a, 0])) };
  }
  return out;
}
