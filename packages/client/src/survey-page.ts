import {
  SURVEY_CURSOR_PATTERN,
  type SurveyAnswerItem,
  surveyAnswersResponseSchema,
} from "@briefgeheim/protocol";
import { ClientError } from "./errors.js";

/**
 * Why a page of `GET /api/stats/answers` was refused (`ClientError` `UNEXPECTED_RESPONSE`, source
 * `server`, this code in `details.code`). The whole count stops: a listing that lies about its own
 * order could otherwise make the count loop or skip conversations.
 *
 * | code | meaning |
 * |---|---|
 * | PAGE_MALFORMED | the body is not JSON of the documented shape |
 * | PAGE_OUT_OF_ORDER | an item is not after the cursor the page was asked for, or not after the item before it |
 * | PAGE_CURSOR_MISMATCH | the `Briefgeheim-Next` header differs from the body's `next`, or `next` is not the page's last item |
 * | CURSOR_NOT_FORWARD | the header's cursor is malformed or not after the cursor the page was asked for (a loop) |
 * | PAGE_OUT_OF_RANGE | an item was created outside the days the count asked for |
 * | LISTING_TOO_LONG | the listing goes on past `SURVEY_COUNT_MAX_ITEMS` conversations (a listing that never ends) |
 */
export type SurveyPageRefusal =
  | "PAGE_MALFORMED"
  | "PAGE_OUT_OF_ORDER"
  | "PAGE_CURSOR_MISMATCH"
  | "CURSOR_NOT_FORWARD"
  | "PAGE_OUT_OF_RANGE"
  | "LISTING_TOO_LONG";

/** The count's range in milliseconds, both ends included (the days asked for, whole UTC days). */
export interface CountRange {
  readonly from: number;
  readonly to: number;
}

export function refusePage(code: SurveyPageRefusal, message: string): ClientError {
  return new ClientError("UNEXPECTED_RESPONSE", message, { source: "server", details: { code } });
}

/** A cursor `<createdAt>.<threadId>` as its two parts (the listing's order: time, then thread id). */
function cursorKey(cursor: string): readonly [number, string] {
  const dot = cursor.indexOf(".");
  return [Number(cursor.slice(0, dot)), cursor.slice(dot + 1)];
}

function after(a: readonly [number, string], b: readonly [number, string]): boolean {
  return a[0] > b[0] || (a[0] === b[0] && a[1] > b[1]);
}

/**
 * Checks a page's `next` as the header gave it, before the page is parsed: well formed and after the
 * cursor the page was asked for. So the cursors only move forward and the count ends.
 */
export function checkNextCursor(next: string | null, asked: string | null): void {
  if (next === null) return;
  if (!SURVEY_CURSOR_PATTERN.test(next)) throw refusePage("CURSOR_NOT_FORWARD", "malformed page cursor");
  if (asked !== null && !after(cursorKey(next), cursorKey(asked))) {
    throw refusePage("CURSOR_NOT_FORWARD", "the next page's cursor is not after this page's");
  }
}

/**
 * Parses one page of the listing (the response body's bytes) and checks its order against the cursor
 * it was asked for (`asked`) and the `next` the header announced: every item after the one before it
 * (and after `asked`) and inside the count's range, at most `SURVEY_ANSWERS_PAGE` of them (the
 * schema), and the body's `next` equal to the header's and to the page's last item.
 */
export function parseSurveyPage(
  bytes: Uint8Array,
  asked: string | null,
  headerNext: string | null,
  range: CountRange,
): SurveyAnswerItem[] {
  let json: unknown;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw refusePage("PAGE_MALFORMED", "the page is not JSON");
  }
  const parsed = surveyAnswersResponseSchema.safeParse(json);
  if (!parsed.success) throw refusePage("PAGE_MALFORMED", "the page is not a listing of survey answers");
  const { items, next } = parsed.data;
  let previous: readonly [number, string] | null = asked === null ? null : cursorKey(asked);
  for (const item of items) {
    const key = [item.createdAt, item.threadId] as const;
    if (previous !== null && !after(key, previous)) {
      throw refusePage("PAGE_OUT_OF_ORDER", "an item is not after the one before it");
    }
    if (item.createdAt < range.from || item.createdAt > range.to) {
      throw refusePage("PAGE_OUT_OF_RANGE", "an item was created outside the days asked for");
    }
    previous = key;
  }
  const last = items.at(-1);
  if (
    next !== headerNext ||
    (next !== null && (last === undefined || next !== `${last.createdAt}.${last.threadId}`))
  ) {
    throw refusePage("PAGE_CURSOR_MISMATCH", "the page's next cursor is not its last item");
  }
  return items;
}
