/**
 * Bulk re-keying as a pipeline (issue 14): threads load in batch reads with their checks in a pool of
 * workers (`openBulkThreads` jobs), and each batch of loaded threads is signed, uploaded and announced
 * while later ones still load. The pool refuses what the calling thread refuses, with the same codes;
 * the round-robin over the new counsellors runs on across batches (loading is reported first:
 * bulk-progress.test.ts); an upload the server fails stops every upload after it and the loading, as
 * the sequential loop did, with no promise left unhandled; and a handover batch that cannot get its
 * roster is "not announced" without stopping the moves.
 */
import { randomBytes } from "node:crypto";
import { inlineRunner, type StaffSession, WorkerPool } from "@briefgeheim/client";
import type { MemberId, ThreadId } from "@briefgeheim/crypto";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import {
  type ChannelWorker,
  channelWorker,
  closeChannelWorkers,
} from "../../packages/client/test-support/channel-worker.js";
import { flipByte } from "./mutations.js";
import { admittedCounsellor, conversation, createWorld, endAttack, type World } from "./world.js";

let w: World;
let bramId: MemberId;
let chrisId: MemberId;
let pooled: StaffSession;
let pool: WorkerPool;
/** The pool's channel workers, each counting the jobs it was sent. */
const workers: ChannelWorker[] = [];
const jobsSent = () => workers.reduce((n, w) => n + w.jobs, 0);
const unhandled: unknown[] = [];
const onUnhandled = (e: unknown) => unhandled.push(e);

beforeAll(async () => {
  w = await createWorld();
  ({ id: bramId } = await admittedCounsellor(w, "bram"));
  ({ id: chrisId } = await admittedCounsellor(w, "chris"));
  // Vera on a second device whose checks run in a pool of two channel workers (real structured cloning).
  pooled = await w.staff("vera");
  pool = new WorkerPool(
    () => {
      const worker = channelWorker();
      workers.push(worker);
      return worker;
    },
    2,
    inlineRunner(pooled.client.sodium),
  );
  pooled.useWorkers(pool);
  process.on("unhandledRejection", onUnhandled);
});
afterEach(() => endAttack(w));
afterAll(async () => {
  process.off("unhandledRejection", onUnhandled);
  pool?.close();
  closeChannelWorkers();
  await w?.close();
});

async function conversations(tag: string, n: number): Promise<ThreadId[]> {
  const ids: ThreadId[] = [];
  for (let i = 0; i < n; i++) ids.push((await conversation(w, `${tag}-${i}`)).threadId);
  return ids;
}

/** Flips a byte of `threadId`'s epoch record 1 in the bulk reads (the batch reads that ask for heads). */
function damageRecord(threadId: ThreadId) {
  w.server.onResponse("POST /api/threads/read", (body) => {
    const b = body as { results: { threadId: string; records?: string[]; heads?: unknown }[] };
    if (!b.results.some((r) => r.heads !== undefined)) return body;
    const results = b.results.map((r) =>
      r.threadId === threadId
        ? { ...r, records: r.records!.map((t, i) => (i === 1 ? flipByte(t, -10) : t)) }
        : r,
    );
    return { ...b, results } as typeof body;
  });
}

const assignee = async (threadId: ThreadId) =>
  (await w.vera.listThreads("all")).find((t) => t.id === threadId)?.assigneeIds;

describe("bulk re-keying through the pool, a batch at a time", () => {
  it("a record the server altered: the same refusal in the pool as on the calling thread, the others move", async () => {
    const outcomes = [];
    for (const who of [w.vera, pooled]) {
      const [bad, good] = await conversations(who === pooled ? "pool" : "main", 2);
      damageRecord(bad!);
      const before = jobsSent();
      const outcome = await who.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [bad!, good!] });
      endAttack(w);
      expect(outcome.changed.map((c) => c.threadId)).toEqual([good]);
      expect(outcome.failed.map((f) => f.threadId)).toEqual([bad]);
      expect(jobsSent() > before).toBe(who === pooled);
      outcomes.push(outcome.failed.map((f) => f.code));
    }
    expect(outcomes).toEqual([["THREAD_TAMPERED"], ["THREAD_TAMPERED"]]);
  });

  it("a head the server altered, checked in the pool: that thread is read whole and moves on its real heads", async () => {
    const [c] = await conversations("kop", 1);
    w.server.onResponse("POST /api/threads/read", (body) => {
      const b = body as { results: { threadId: string; heads?: { envelope: string }[] }[] };
      const results = b.results.map((r) =>
        r.threadId === c && r.heads !== undefined && r.heads.length > 0
          ? {
              ...r,
              heads: [{ ...r.heads[0]!, envelope: flipByte(r.heads[0]!.envelope, -80) }, ...r.heads.slice(1)],
            }
          : r,
      );
      return { ...b, results } as typeof body;
    });
    w.server.log.length = 0;
    const outcome = await pooled.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: [c!] });
    expect(w.server.rewritten.length).toBeGreaterThan(0);
    // The whole thread read: its envelopes fetched on the single route (the honest server refuses a
    // record that names other heads: STALE_VIEW).
    expect(w.server.log.some((l) => l.startsWith(`GET /api/threads/${c}/envelopes`))).toBe(true);
    expect([outcome.changed.map((x) => x.threadId), outcome.failed]).toEqual([[c], []]);
  });

  it("one thread a batch: the round-robin goes on across batches, and the run reports loading, then the rest", async () => {
    const ids = await conversations("rondje", 4);
    const phases: string[] = [];
    const outcome = await pooled.reassignCaseload({
      from: w.annaId,
      to: [bramId, chrisId],
      threadIds: ids,
      batchSize: 1,
      onProgress: (p) => phases.push(p.phase),
    });
    expect(outcome.changed.map((c) => c.threadId)).toEqual(ids);
    expect(await Promise.all(ids.map(assignee))).toEqual([[bramId], [chrisId], [bramId], [chrisId]]);
    const lastLoading = phases.lastIndexOf("loading");
    const firstOther = phases.findIndex((p) => p !== "loading" && p !== "listing");
    expect(lastLoading).toBeGreaterThan(0);
    expect(firstOther).toBeGreaterThan(lastLoading);
  });

  it("an upload the server fails: the uploads after it are never sent, the run fails with its code", async () => {
    const ids = await conversations("stop", 4);
    let uploads = 0;
    w.server.intercept("POST /api/threads/epochs/batch", () => {
      uploads++;
      return uploads === 2
        ? { status: 400, json: { error: { code: "BAD_REQUEST", message: "nee" } } }
        : undefined;
    });
    const run = pooled.reassignCaseload({ from: w.annaId, to: [bramId], threadIds: ids, batchSize: 1 });
    await expect(run).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(uploads).toBe(2);
    expect(await Promise.all(ids.map(assignee))).toEqual([[bramId], [w.annaId], [w.annaId], [w.annaId]]);
  });

  it("an upload fails while later batches still load: loading stops at the next batch, nothing is left unhandled", async () => {
    const ids = await conversations("vroeg", 2);
    // Made-up ids make five batch reads of 50 in all (each a per-item NOT_FOUND).
    const made = Array.from({ length: 248 }, () => randomBytes(16).toString("base64url") as ThreadId);
    let reads = 0;
    w.server.intercept("POST /api/threads/read", () => {
      reads++;
      return undefined;
    });
    w.server.intercept("POST /api/threads/epochs/batch", () => ({
      status: 400,
      json: { error: { code: "BAD_REQUEST", message: "nee" } },
    }));
    unhandled.length = 0;
    const run = pooled.reassignCaseload({
      from: w.annaId,
      to: [bramId],
      threadIds: [...ids, ...made],
      batchSize: 1,
    });
    await expect(run).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(unhandled).toEqual([]);
    // Up to two reads go ahead of the one being finished; the fifth is never asked for.
    expect(reads).toBeLessThan(5);
    expect(await Promise.all(ids.map(assignee))).toEqual([[w.annaId], [w.annaId]]);
  });

  it("no roster for the handover events: each is not announced, the threads move, and the uploads go on", async () => {
    const ids = await conversations("geenrooster", 3);
    let uploads = 0;
    w.server.intercept("POST /api/threads/epochs/batch", () => {
      uploads++;
      return undefined;
    });
    w.server.intercept("GET /api/helplines/:helplineId/rosters", () =>
      uploads >= 1
        ? { status: 400, json: { error: { code: "BAD_REQUEST", message: "geen rooster" } } }
        : undefined,
    );
    const outcome = await pooled.reassignCaseload({
      from: w.annaId,
      to: [bramId],
      threadIds: ids,
      batchSize: 1,
    });
    expect(uploads).toBe(3);
    expect(outcome.changed.map((c) => c.threadId)).toEqual(ids);
    expect(outcome.notAnnounced.map((n) => [n.threadId, n.code])).toEqual(
      ids.map((id) => [id, "BAD_REQUEST"]),
    );
  });
});
