/**
 * A server that wants to read or inflate the help-seekers' survey answers (docs/PROTOCOL.md §13,
 * docs/THREAT-MODEL.md §3.18).
 *
 * - It serves, in place of the help-seeker's epoch 0, a record it signed itself that names the
 *   help-seeker's box key and a K_0 it chose, with a grant of that K_0: the help-seeker's SDK refuses
 *   with `THREAD_TAMPERED` / `SURVEY_EPOCH_NOT_OWN` and sends no sealed record.
 * - It lists one conversation's sealed answers twice more, later in the listing: the supervisor's
 *   tally counts it once. Listed out of order, or with a body's `next` that is not the header's
 *   cursor: the count stops (`UNEXPECTED_RESPONSE`, `PAGE_OUT_OF_ORDER` / `PAGE_CURSOR_MISMATCH`).
 *   (Header cursors that loop or skip: packages/client/src/survey-tally.test.ts.)
 * - It alters one record and moves another to a second conversation's listing: counted as invalid,
 *   the same in the staff app's pool of workers as on the calling thread.
 */

import { inlineRunner, WorkerPool } from "@briefgeheim/client";
import {
  type BoxKeyPair,
  type EpochRecordBytes,
  loadSodium,
  openThread,
  parseEpochRecord,
  type SignKeyPair,
  type Sodium,
  systemRandom,
  type ThreadId,
} from "@briefgeheim/crypto";
import type { SurveyAnswersResponse } from "@briefgeheim/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { type ChannelWorker, channelWorker } from "../../packages/client/test-support/channel-worker.js";
import { decode, encode } from "./mutations.js";
import { createWorld, endAttack, failure, type World } from "./world.js";

let w: World;
let sodium: Sodium;
let server: SignKeyPair;

beforeAll(async () => {
  w = await createWorld();
  sodium = await loadSodium();
  const pair = sodium.crypto_sign_keypair();
  server = { publicKey: pair.publicKey, secretKey: pair.privateKey } as SignKeyPair;
});
afterEach(() => endAttack(w));
afterAll(async () => {
  await w?.close();
});

const today = () => new Date().toISOString().slice(0, 10);
const answerPuts = () => w.server.log.filter((l) => l.startsWith("PUT /api/stats/answers/")).length;

describe("survey answers against a hostile server", () => {
  it("without an attack, the help-seeker's answers are stored and counted once", async () => {
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "eerlijk", body: "hallo" });
    await seeker.submitSurvey(threadId, { age: "16-18" });
    const tally = await w.vera.statistics().tallySurvey({ from: today(), to: today() });
    expect(tally.records).toBe(1);
    expect(tally.repeated).toBe(0);
    expect(tally.questions.age.counts["16-18"]).toBe(1);
  });

  it("an epoch 0 the server signed with its own key and its own K_0 is refused; nothing is sealed", async () => {
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "aanval", body: "hallo" });
    let chosenKey: Uint8Array | undefined;
    w.server.onResponse("GET /api/threads/:threadId", (detail, ex) => {
      if (ex.params.threadId !== threadId) return detail;
      const honest = parseEpochRecord(sodium, decode(detail.records[0]!) as EpochRecordBytes);
      const seekerBox = honest.readers.find((r) => r.kind === "seeker")!.boxPk;
      const roster = w.vera.client.helplines.cachedRoster(w.helplineId)!;
      // The help-seeker's box key (public), the server's signing key, a K_0 the server knows.
      const forged = openThread(sodium, {
        helplineId: w.helplineId,
        threadId: threadId as ThreadId,
        roster,
        seeker: { signing: server, box: { publicKey: seekerBox } as BoxKeyPair },
        random: systemRandom(sodium),
        now: Date.now(),
      });
      chosenKey = forged.keys.key;
      // The grant to the help-seeker's box key (readers are sorted, so find it).
      const toSeeker = forged.grants[forged.parsed.readers.findIndex((r) => r.kind === "seeker")]!;
      return { ...detail, records: [encode(forged.record)], grants: [encode(toSeeker)] };
    });
    const before = answerPuts();
    const e = await failure(seeker.submitSurvey(threadId, { age: "16-18" }));
    expect(chosenKey).toBeDefined();
    expect(e.code).toBe("THREAD_TAMPERED");
    expect((e.details as { code: string }).code).toBe("SURVEY_EPOCH_NOT_OWN");
    expect(answerPuts()).toBe(before);
  });
});

describe("the supervisor's tally against a hostile listing", () => {
  it("one conversation's record listed twice more, later in the listing, is counted once", async () => {
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "tweemaal", body: "hallo" });
    await seeker.submitSurvey(threadId, { age: "19-23" });
    const range = { from: today(), to: today() };
    const honest = await w.vera.statistics().tallySurvey(range);
    w.server.onResponse("GET /api/stats/answers", (json) => {
      const page = json as SurveyAnswersResponse;
      const item = page.items.find((i) => i.threadId === threadId)!;
      // Later positions (the listing's order is time, then thread id): in order, so not refused.
      const end = page.items.at(-1)!.createdAt;
      const again = [1, 2].map((d) => ({ ...item, createdAt: end + d }));
      return { ...page, items: [...page.items, ...again] };
    });
    const tally = await w.vera.statistics().tallySurvey(range);
    expect(tally.repeated).toBe(2);
    expect(tally.records).toBe(honest.records);
    expect(tally.questions.age.counts["19-23"]).toBe(honest.questions.age.counts["19-23"]);
    expect(tally.questions.age.answered).toBe(honest.questions.age.answered);
  });

  it("a page whose items are out of order, or whose next cursor is not its last item, stops the count", async () => {
    const seeker = await w.seeker();
    const { threadId } = await seeker.openThread({ subject: "volgorde", body: "hallo" });
    await seeker.submitSurvey(threadId, { age: "19-23" });
    const range = { from: today(), to: today() };
    const off = w.server.onResponse("GET /api/stats/answers", (json) => {
      const page = json as SurveyAnswersResponse;
      // The same item twice in a row: its position does not move forward.
      return { ...page, items: [...page.items, page.items.at(-1)!] };
    });
    const e = await failure(w.vera.statistics().tallySurvey(range));
    expect(e.code).toBe("UNEXPECTED_RESPONSE");
    expect((e.details as { code: string }).code).toBe("PAGE_OUT_OF_ORDER");
    off();
    // A body that says there is a next page while the header says this was the last (or the reverse).
    w.server.onResponse("GET /api/stats/answers", (json) => {
      const page = json as SurveyAnswersResponse;
      const last = page.items.at(-1)!;
      return { ...page, next: `${last.createdAt}.${last.threadId}` };
    });
    const f = await failure(w.vera.statistics().tallySurvey(range));
    expect(f.code).toBe("UNEXPECTED_RESPONSE");
    expect((f.details as { code: string }).code).toBe("PAGE_CURSOR_MISMATCH");
  });
});

describe("the tally in a pool of workers", () => {
  it("counts an altered and a moved record as invalid, exactly as on the calling thread", async () => {
    const seeker = await w.seeker();
    const a = await seeker.openThread({ subject: "pool a", body: "hallo" });
    const b = await seeker.openThread({ subject: "pool b", body: "hallo" });
    await seeker.submitSurvey(a.threadId, { reason: "anonymity" });
    await seeker.submitSurvey(b.threadId, { reason: "own-time" });
    const range = { from: today(), to: today() };
    const honest = await w.vera.statistics().tallySurvey(range);
    w.server.onResponse("GET /api/stats/answers", (json) => {
      const page = json as SurveyAnswersResponse;
      const itemA = page.items.find((i) => i.threadId === a.threadId)!;
      const itemB = page.items.find((i) => i.threadId === b.threadId)!;
      const altered = decode(itemA.record);
      altered[altered.length - 1]! ^= 1;
      return {
        ...page,
        items: page.items.map((i) =>
          i === itemA
            ? { ...i, record: encode(altered) }
            : // B's listing carries A's (genuine) record: it names conversation A.
              i === itemB
              ? { ...i, record: itemA.record }
              : i,
        ),
      };
    });
    const inline = await w.vera.statistics().tallySurvey(range);
    const workers: ChannelWorker[] = [];
    w.vera.useWorkers(
      new WorkerPool(
        () => {
          const worker = channelWorker();
          workers.push(worker);
          return worker;
        },
        2,
        inlineRunner(sodium),
      ),
    );
    try {
      const pooled = await w.vera.statistics().tallySurvey(range);
      expect(workers.reduce((n, x) => n + x.jobs, 0)).toBeGreaterThan(0);
      expect(pooled).toEqual(inline);
      expect(inline.unreadable.invalid).toBe(honest.unreadable.invalid + 2);
      expect(inline.questions.reason.answered).toBe(honest.questions.reason.answered - 2);
      expect(inline.records).toBe(honest.records);
    } finally {
      // A later useWorkers closes this pool: its workers end.
      w.vera.useWorkers(inlineRunner(sodium));
    }
    expect(workers.every((x) => x.terminated)).toBe(true);
  });
});
