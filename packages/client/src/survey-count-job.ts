import { type BoxKeyPair, type HelplineId, importNativeBoxKey, type Sodium } from "@briefgeheim/crypto";
import { SURVEY_QUESTION_IDS, SURVEY_QUESTIONS, type SurveyAnswerItem } from "@briefgeheim/protocol";
import { openSurveyItem, openSurveyItemNative } from "./survey-open-job.js";
import { type CountRange, parseSurveyPage } from "./survey-page.js";

/** Per item: counted, no grant of epoch 0 for this caller, or not counted (does not open or verify). */
export const ITEM_COUNTED = 0;
export const ITEM_NO_KEY = 1;
export const ITEM_INVALID = 2;

/**
 * What a count job gives back: no answer sets as objects, only small typed arrays (cheap to clone back
 * from a worker) and the thread ids, so the caller can count each conversation once across pages.
 * `answers[i * SURVEY_QUESTION_IDS.length + q]` is 0 for a skipped question q of item i, else 1 + the
 * index of the answer in `SURVEY_QUESTIONS[q]`; all 0 unless `status[i] === ITEM_COUNTED`.
 */
export interface SurveyCounts {
  readonly threadIds: string[];
  readonly status: Uint8Array;
  readonly answers: Uint8Array;
}

interface CountInput {
  readonly helplineId: HelplineId;
  /** The supervisor's box key pair (a worker's copy is wiped after the answer). */
  readonly box: BoxKeyPair;
}

/** The `countSurveyItems` job: items already parsed (the main-thread fallback, in small jobs). */
export interface CountSurveyItemsInput extends CountInput {
  readonly items: readonly SurveyAnswerItem[];
}

/** The `countSurveyPage` job: one page of `GET /api/stats/answers` as the body's bytes, unparsed. */
export interface CountSurveyPageInput extends CountInput {
  readonly bytes: Uint8Array;
  /** The cursor the page was asked for (`after`), null for the first. */
  readonly asked: string | null;
  /** The `Briefgeheim-Next` header of the response (null when absent). */
  readonly next: string | null;
  /** The days the count asked for: an item created outside them refuses the page. */
  readonly range: CountRange;
}

const Q = SURVEY_QUESTION_IDS.length;

/** Opens and encodes each item; an answer that is not one the app offers makes the item invalid. */
export function countSurveyItemsJob(sodium: Sodium, input: CountSurveyItemsInput): SurveyCounts {
  const { helplineId, box, items } = input;
  return encodeAll(
    items,
    items.map((item) => openOrNull(sodium, helplineId, box, item)),
  );
}

/** `openSurveyItem` with libsodium, null for an item that does not open or verify (counted invalid). */
function openOrNull(
  sodium: Sodium,
  helplineId: HelplineId,
  box: BoxKeyPair,
  item: SurveyAnswerItem,
): Record<string, string> | null {
  try {
    return openSurveyItem(sodium, helplineId, box, item);
  } catch {
    return null;
  }
}

/**
 * Parses and checks the page (survey-page.ts: refuses a page out of order or with a wrong cursor),
 * then counts it: the page's thread never parses it. Where the platform has X25519 in Web Crypto
 * (Chromium, Firefox, Safari, Node) the grants' sealed boxes are opened through it, all of the page's
 * at once: on this machine about 55 µs an X25519 in a Chromium worker against 95 µs for libsodium's
 * WebAssembly (docs/PERFORMANCE.md, Statistics). Elsewhere libsodium opens them, as
 * `countSurveyItems` does. An item the native path does not count is tried once more with libsodium,
 * so a platform whose Web Crypto differs (or fails) can only cost time, never turn a genuine record
 * into "changed or damaged": the counts are libsodium's either way (survey-tally.test.ts, and
 * survey-warm-up.test.ts with Web Crypto's X25519 failing).
 */
export async function countSurveyPageJob(sodium: Sodium, input: CountSurveyPageInput): Promise<SurveyCounts> {
  const items = parseSurveyPage(input.bytes, input.asked, input.next, input.range);
  const { helplineId, box } = input;
  const native = await importNativeBoxKey(box);
  if (native === undefined) return countSurveyItemsJob(sodium, { helplineId, box, items });
  const opened = await Promise.all(
    items.map((item) =>
      openSurveyItemNative(sodium, helplineId, box, item, native).catch(() =>
        openOrNull(sodium, helplineId, box, item),
      ),
    ),
  );
  return encodeAll(items, opened);
}

function encodeAll(
  items: readonly SurveyAnswerItem[],
  opened: readonly (Record<string, string> | null)[],
): SurveyCounts {
  const status = new Uint8Array(items.length);
  const answers = new Uint8Array(items.length * Q);
  for (const [i, item] of items.entries()) {
    const set = opened[i] ?? null;
    if (item.grant === null) status[i] = ITEM_NO_KEY;
    else if (set === null || !encode(set, answers, i * Q)) {
      answers.fill(0, i * Q, (i + 1) * Q);
      status[i] = ITEM_INVALID;
    }
  }
  return { threadIds: items.map((item) => item.threadId), status, answers };
}

/** A worker's copy of the secret key goes once the answer is posted. */
export function wipeCountSurvey(input: CountInput): void {
  input.box.secretKey.fill(0);
}

function encode(opened: Readonly<Record<string, string>>, out: Uint8Array, at: number): boolean {
  for (const [question, answer] of Object.entries(opened)) {
    const q = (SURVEY_QUESTION_IDS as readonly string[]).indexOf(question);
    if (q < 0) return false;
    const a = (SURVEY_QUESTIONS[SURVEY_QUESTION_IDS[q]!] as readonly string[]).indexOf(answer);
    if (a < 0) return false;
    out[at + q] = a + 1;
  }
  return true;
}
