/**
 * The count of survey answers against a hostile listing (docs/PROTOCOL.md §13): pages handed over as
 * bytes with the `Briefgeheim-Next` header's cursor, as `tallySurvey` fetches them. A server whose
 * cursors loop or skip, whose page lies about its own order, or that lists an item of another
 * conversation: the count stops with a named reason or counts the item invalid, never loops, and the
 * pool of workers answers exactly as the calling thread.
 */
import {
  type EpochStart,
  loadSodium,
  openThread,
  type Sodium,
  sealSurveyRecord,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import { SURVEY_ANSWERS_PAGE, type SurveyAnswerItem } from "@briefgeheim/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { helpline, testId, testRandom } from "../../crypto/test-support/thread-fixtures.js";
import { channelWorker, closeChannelWorkers } from "../test-support/channel-worker.js";
import { ClientError } from "./errors.js";
import { countSurveyPages, type ListingPage } from "./survey-tally.js";
import { inlineRunner, WorkerPool, type WorkRunner } from "./work-pool.js";

let sodium: Sodium;
let h: ReturnType<typeof helpline>;
/** Five conversations with answers, in listing order (time, then thread id). */
let items: SurveyAnswerItem[];
let starts: EpochStart[];

const b64 = (b: Uint8Array) => toBase64(sodium, b);
const cursorOf = (item: SurveyAnswerItem) => `${item.createdAt}.${item.threadId}`;
const ANSWERS = [
  { age: "16-18" },
  { reason: "anonymity", gender: "other" },
  { age: "16-18", topic: "family" },
  { found: "friend" },
  { reason: "own-time" },
] as const;

beforeAll(async () => {
  sodium = await loadSodium();
  h = helpline(sodium);
  const random = testRandom(sodium, 7);
  starts = [];
  items = ANSWERS.map((answers, n) => {
    const threadId = testId<ThreadId>(sodium, 50 + n, "thread");
    const e0 = openThread(sodium, {
      helplineId: h.helplineId,
      threadId,
      roster: h.roster,
      seeker: h.seeker,
      random,
      now: 1,
    });
    starts.push(e0);
    const ctx = { helplineId: h.helplineId, threadId, epoch: 0 };
    const vera = e0.parsed.readers.findIndex(
      (r) => r.kind !== "seeker" && sameBytes(r.boxPk, h.people.vera.box.publicKey),
    );
    return {
      threadId,
      createdAt: 1000 + n,
      record: b64(sealSurveyRecord(sodium, ctx, e0.keys.key, answers, random)),
      grant: b64(e0.grants[vera]!),
    };
  });
});
afterAll(() => closeChannelWorkers());

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((x, i) => x === b[i]);
}

/** A body and header as the honest server sends them: pages of `size`, `next` the last item's cursor. */
function honestPages(list: readonly SurveyAnswerItem[], size: number) {
  const pages = new Map<string | null, { body: unknown; next: string | null }>();
  for (let i = 0; i < list.length; i += size) {
    const page = list.slice(i, i + size);
    const next = i + size < list.length ? cursorOf(page.at(-1)!) : null;
    pages.set(i === 0 ? null : cursorOf(list[i - 1]!), { body: { items: page, next }, next });
  }
  return pages;
}

/** `fetchPage` over a map of pages; `asks` records every cursor asked for (a loop would show here). */
function server(pages: Map<string | null, { body: unknown; next: string | null }>) {
  const asks: (string | null)[] = [];
  const fetchPage = async (after: string | null): Promise<ListingPage> => {
    asks.push(after);
    const page = pages.get(after);
    if (page === undefined) throw new Error(`no page after ${after}`);
    const text = typeof page.body === "string" ? page.body : JSON.stringify(page.body);
    return { asked: after, next: page.next, bytes: new TextEncoder().encode(text) };
  };
  return { asks, fetchPage };
}

/** The count's scope: Vera's key, days around the items' times (1000 to 1004 ms). */
const key = (range = { from: 1000, to: 1004 }) => ({
  helplineId: h.helplineId,
  box: h.people.vera.box,
  range,
});
const pool = () => new WorkerPool(() => channelWorker(), 2, inlineRunner(sodium));

async function refusal(work: WorkRunner, fetchPage: (a: string | null) => Promise<ListingPage>) {
  try {
    await countSurveyPages(work, key(), fetchPage);
  } catch (e) {
    if (e instanceof ClientError) return { code: e.code, reason: (e.details as { code: string }).code };
    throw e;
  }
  throw new Error("expected the count to stop");
}

describe("countSurveyPages", () => {
  it("counts every conversation of an honest listing once, the same in a pool as on the calling thread", async () => {
    const inline = await countSurveyPages(
      inlineRunner(sodium),
      key(),
      server(honestPages(items, 2)).fetchPage,
    );
    expect(inline.records).toBe(5);
    expect(inline.unreadable).toEqual({ noKey: 0, invalid: 0 });
    expect(inline.questions.age).toEqual({
      answered: 2,
      counts: expect.objectContaining({ "16-18": 2, "12-15": 0 }),
    });
    expect(inline.questions.reason.counts).toMatchObject({ anonymity: 1, "own-time": 1 });
    expect(inline.questions.found.answered).toBe(1);
    const workers = pool();
    try {
      const s = server(honestPages(items, 2));
      const done: number[] = [];
      expect(await countSurveyPages(workers, key(), s.fetchPage, (p) => done.push(p.done))).toEqual(inline);
      expect(s.asks).toEqual([null, cursorOf(items[1]!), cursorOf(items[3]!)]);
      expect(done.at(-1)).toBe(5);
    } finally {
      workers.close();
    }
  });

  it("counts an altered record, an item carrying another conversation's grant, and one without a grant apart", async () => {
    const altered = items[0]!.record.slice(0, -4) + (items[0]!.record.endsWith("AAAA") ? "BBBB" : "AAAA");
    const listing = [
      { ...items[0]!, record: altered },
      // Conversation 1's listing with conversation 2's grant: the grant names another conversation.
      { ...items[1]!, grant: items[2]!.grant },
      { ...items[2]!, grant: null },
      items[3]!,
      items[4]!,
    ];
    for (const work of [inlineRunner(sodium), pool()]) {
      try {
        const tally = await countSurveyPages(work, key(), server(honestPages(listing, 3)).fetchPage);
        expect(tally.records).toBe(5);
        expect(tally.unreadable).toEqual({ noKey: 1, invalid: 2 });
        expect(tally.questions.age.answered).toBe(0);
        expect(tally.questions.found.answered + tally.questions.reason.answered).toBe(2);
      } finally {
        work.close();
      }
    }
  });

  it("a conversation listed again at a later position is counted once", async () => {
    const again = { ...items[0]!, createdAt: 2000 };
    const tally = await countSurveyPages(
      inlineRunner(sodium),
      key({ from: 1000, to: 2000 }),
      server(honestPages([...items, again], 2)).fetchPage,
    );
    expect(tally.records).toBe(5);
    expect(tally.repeated).toBe(1);
    expect(tally.questions.age.counts["16-18"]).toBe(2);
  });

  it("refuses a header cursor that loops back, skips ahead, or is malformed; asks for each page once", async () => {
    for (const work of [inlineRunner(sodium), pool()]) {
      try {
        // Page 2's header points back at page 1's cursor: the same pages again and again, forever.
        const loop = honestPages(items, 2);
        const second = loop.get(cursorOf(items[1]!))!;
        loop.set(cursorOf(items[1]!), { ...second, next: cursorOf(items[1]!) });
        const s = server(loop);
        expect(await refusal(work, s.fetchPage)).toEqual({
          code: "UNEXPECTED_RESPONSE",
          reason: "CURSOR_NOT_FORWARD",
        });
        expect(s.asks.length).toBeLessThanOrEqual(3);

        // The header skips ahead past item 3 (the body's `next` is honest): items 3 and 4 would be lost.
        const skip = honestPages(items, 2);
        skip.set(null, { ...skip.get(null)!, next: cursorOf(items[3]!) });
        expect(await refusal(work, server(skip).fetchPage)).toEqual({
          code: "UNEXPECTED_RESPONSE",
          reason: "PAGE_CURSOR_MISMATCH",
        });

        // Header and body agree on a cursor past the page's last item.
        const both = honestPages(items, 2);
        both.set(null, {
          body: { items: items.slice(0, 2), next: cursorOf(items[3]!) },
          next: cursorOf(items[3]!),
        });
        expect(await refusal(work, server(both).fetchPage)).toEqual({
          code: "UNEXPECTED_RESPONSE",
          reason: "PAGE_CURSOR_MISMATCH",
        });

        const bad = honestPages(items, 2);
        bad.set(null, { ...bad.get(null)!, next: "../../etc" });
        expect(await refusal(work, server(bad).fetchPage)).toEqual({
          code: "UNEXPECTED_RESPONSE",
          reason: "CURSOR_NOT_FORWARD",
        });
      } finally {
        work.close();
      }
    }
  });

  it("refuses a page out of order or not of the documented shape", async () => {
    for (const work of [inlineRunner(sodium), pool()]) {
      try {
        // Page 2 starts with an item before the cursor it was asked for.
        const back = honestPages(items, 2);
        const second = back.get(cursorOf(items[1]!))!;
        back.set(cursorOf(items[1]!), {
          ...second,
          body: { items: [items[0]!, items[3]!], next: cursorOf(items[3]!) },
        });
        expect(await refusal(work, server(back).fetchPage)).toEqual({
          code: "UNEXPECTED_RESPONSE",
          reason: "PAGE_OUT_OF_ORDER",
        });

        const swapped = new Map([
          [null, { body: { items: [items[1]!, items[0]!], next: null }, next: null }],
        ]);
        expect(await refusal(work, server(swapped).fetchPage)).toEqual({
          code: "UNEXPECTED_RESPONSE",
          reason: "PAGE_OUT_OF_ORDER",
        });

        for (const body of ["{not json", { items: [{ ...items[0]!, createdAt: "1000" }], next: null }]) {
          const broken = new Map([[null, { body, next: null }]]);
          expect(await refusal(work, server(broken).fetchPage)).toEqual({
            code: "UNEXPECTED_RESPONSE",
            reason: "PAGE_MALFORMED",
          });
        }
      } finally {
        work.close();
      }
    }
  });

  it("refuses an item outside the days asked for, a page longer than the server's page, and a listing that never ends", async () => {
    for (const work of [inlineRunner(sodium), pool()]) {
      try {
        // An item dated after the range (a year's count given another year's conversations).
        const late = [...items.slice(0, 4), { ...items[4]!, createdAt: 5000 }];
        expect(await refusal(work, server(honestPages(late, 2)).fetchPage)).toEqual({
          code: "UNEXPECTED_RESPONSE",
          reason: "PAGE_OUT_OF_RANGE",
        });
        // One page of SURVEY_ANSWERS_PAGE + 1 items.
        const long = Array.from({ length: SURVEY_ANSWERS_PAGE + 1 }, (_, n) => ({
          ...items[0]!,
          threadId: testId<ThreadId>(sodium, 1000 + n, "thread"),
          createdAt: 1000,
          grant: null,
        })).sort((a, b) => (a.threadId < b.threadId ? -1 : 1));
        expect(await refusal(work, server(honestPages(long, long.length)).fetchPage)).toEqual({
          code: "UNEXPECTED_RESPONSE",
          reason: "PAGE_MALFORMED",
        });
        // Each page one new conversation and a cursor that moves forward: every check passes, and
        // the listing never ends. The count stops past its ceiling (lowered to 10 here).
        let n = 0;
        const endless = async (after: string | null): Promise<ListingPage> => {
          n++;
          const item = {
            ...items[0]!,
            threadId: testId<ThreadId>(sodium, 5000 + n, "thread"),
            createdAt: 1000 + n,
            grant: null,
          };
          const next = cursorOf(item);
          const bytes = new TextEncoder().encode(JSON.stringify({ items: [item], next }));
          return { asked: after, next, bytes };
        };
        let stopped: unknown;
        try {
          await countSurveyPages(work, key({ from: 0, to: 1_000_000 }), endless, undefined, 10);
        } catch (e) {
          stopped = e;
        }
        expect(stopped).toBeInstanceOf(ClientError);
        expect((stopped as ClientError).details).toMatchObject({ code: "LISTING_TOO_LONG" });
        expect(n).toBeLessThan(20);
      } finally {
        work.close();
      }
    }
  });
});
