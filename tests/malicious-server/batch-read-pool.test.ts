/**
 * The staff inbox's batch read with its cryptographic checks in a pool of workers (issue 14): every
 * refusal of the calling-thread path comes out of the pool with the same code and the same crypto
 * reason. Each "worker" is the far end of a MessageChannel running `serveWork`, as the staff app's
 * Web Workers do, so jobs and answers really cross by structured cloning.
 */
import {
  inlineRunner,
  type StaffReadResult,
  type StaffSession,
  type VerifiedThreadItem,
  type VerifyThreadsInput,
  WorkerPool,
  type WorkPort,
} from "@briefgeheim/client";
import type { ThreadId } from "@briefgeheim/crypto";
import { LIMITS } from "@briefgeheim/protocol";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { channelWorker, closeChannelWorkers } from "../../packages/client/test-support/channel-worker.js";
import { flipByte } from "./mutations.js";
import { type Conversation, conversation, createWorld, endAttack, problemsOf, type World } from "./world.js";

let w: World;
let c: Conversation;
let other: Conversation;
let onThread: StaffSession;
let pooled: StaffSession;
let pool: WorkerPool;
let jobsSent = 0;

/** A channel worker counted into `jobsSent`. */
function countedWorker(): WorkPort {
  const worker = channelWorker();
  const post = worker.postMessage;
  worker.postMessage = (m) => {
    jobsSent++;
    post(m);
  };
  return worker;
}

beforeAll(async () => {
  w = await createWorld();
  c = await conversation(w, "gesprek");
  other = await conversation(w, "ander");
  // Anna twice, on two fresh devices: one verifies on the calling thread, one in the pool.
  onThread = await w.staff("anna");
  pooled = await w.staff("anna");
  pool = new WorkerPool(countedWorker, 2, inlineRunner(pooled.client.sodium));
  pooled.useWorkers(pool);
});
afterEach(() => endAttack(w));
afterAll(async () => {
  pool?.close();
  closeChannelWorkers();
  await w?.close();
});

async function readMany(who: StaffSession, ids: readonly ThreadId[]): Promise<Map<string, StaffReadResult>> {
  const out = new Map<string, StaffReadResult>();
  await who.readThreads(ids, (r) => out.set(r.threadId, r));
  return out;
}

interface BatchItem {
  threadId: string;
  ok: boolean;
  records?: string[];
  grants?: string[];
  envelopes?: { envelope: string }[];
}
function rewriteBatch(change: (item: BatchItem) => BatchItem) {
  w.server.onResponse("POST /api/threads/read", (body) => {
    const b = body as { results: BatchItem[] };
    return { ...b, results: b.results.map((r) => (r.threadId === c.threadId ? change(r) : r)) };
  });
}

/** The refusal of `c` as [code, crypto code] on both paths. */
async function refusalOnBothPaths(): Promise<[unknown, unknown]> {
  const ids = [c.threadId, other.threadId];
  const reason = (r: StaffReadResult | undefined) =>
    r === undefined || r.ok ? "read" : [r.error.code, (r.error.details as { code?: string })?.code];
  const [a, b] = [await readMany(onThread, ids), await readMany(pooled, ids)];
  expect(b.get(other.threadId)?.ok).toBe(true); // the other thread of the batch still reads
  return [reason(a.get(c.threadId)), reason(b.get(c.threadId))];
}

describe("batch read through the worker pool: the same checks, the same reasons", () => {
  it("without an attack, the pool's views are the calling thread's, and the work went to the workers", async () => {
    const before = jobsSent;
    const [a, b] = [await readMany(onThread, [c.threadId]), await readMany(pooled, [c.threadId])];
    expect(jobsSent).toBeGreaterThan(before);
    const [x, y] = [a.get(c.threadId)!, b.get(c.threadId)!];
    if (!x.ok || !y.ok) throw new Error("an honest thread was refused");
    expect(problemsOf(y.view)).toEqual([]);
    expect(y.view.messages.map((m) => m.body)).toEqual(c.bodies);
    expect(y.view).toEqual(x.view);
  });

  it("an epoch record altered by the server: THREAD_TAMPERED with BAD_SIGNATURE in both", async () => {
    rewriteBatch((r) => ({ ...r, records: r.records!.map((t, i) => (i === 1 ? flipByte(t, -10) : t)) }));
    const [onMain, inPool] = await refusalOnBothPaths();
    expect(inPool).toEqual(["THREAD_TAMPERED", "BAD_SIGNATURE"]);
    expect(inPool).toEqual(onMain);
  });

  it("the reader's grant withheld: THREAD_TAMPERED in both", async () => {
    rewriteBatch((r) => ({ ...r, grants: [] }));
    const [onMain, inPool] = await refusalOnBothPaths();
    expect(inPool).toEqual(["THREAD_TAMPERED", undefined]);
    expect(inPool).toEqual(onMain);
  });

  it("an envelope altered in the batch: the same BAD_SIGNATURE at the same place, its body not shown", async () => {
    rewriteBatch((r) => ({
      ...r,
      envelopes: r.envelopes!.map((e, i) => (i === 1 ? { ...e, envelope: flipByte(e.envelope, -80) } : e)),
    }));
    const [a, b] = [await readMany(onThread, [c.threadId]), await readMany(pooled, [c.threadId])];
    const [x, y] = [a.get(c.threadId)!, b.get(c.threadId)!];
    if (!x.ok || !y.ok) throw new Error("an envelope problem refused the whole thread");
    expect(problemsOf(y.view)).toContainEqual(["BAD_SIGNATURE", 1]);
    expect(problemsOf(y.view)).toEqual(problemsOf(x.view));
    expect(y.view.messages.map((m) => m.body)).not.toContain(c.bodies[1]);
  });

  it.each([
    ["in the pool", 1],
    ["on the calling thread (no pool)", 0],
  ])(
    "a listing cut short while the thread screen reads the thread honestly: WITHHELD all the same, %s",
    async (_, size) => {
      // Review finding 3: the job is prepared with the heads the device remembers before it starts;
      // the thread screen's own read finishes while the job runs and remembers the newest envelope.
      const s = await w.staff("anna");
      const own =
        size === 0
          ? inlineRunner(s.client.sodium)
          : new WorkerPool(countedWorker, size, inlineRunner(s.client.sodium));
      let meanwhile: (() => Promise<void>) | undefined;
      s.useWorkers({
        workers: own.workers,
        async run(job, input) {
          const started = own.run(job, input);
          const m = meanwhile;
          meanwhile = undefined;
          await m?.();
          return started;
        },
        close: () => own.close(),
      });
      rewriteBatch((r) => ({ ...r, envelopes: r.envelopes!.slice(0, -1) })); // the newest left out
      let direct: number | undefined;
      meanwhile = async () => {
        direct = (await s.readThread(c.threadId)).messages.length; // honest GETs
      };
      const first = await readMany(s, [c.threadId]);
      expect(direct).toBe(c.bodies.length);
      const r = first.get(c.threadId)!;
      if (!r.ok) throw new Error(`refused: ${r.error.code}`);
      expect(problemsOf(r.view)).toContainEqual(["WITHHELD", -1]);
      expect(r.view.messages.map((m) => m.body)).toEqual(c.bodies.slice(0, -1));
      // The next batch read of the same cut listing says so too (the device did not forget the head).
      const again = (await readMany(s, [c.threadId])).get(c.threadId)!;
      if (!again.ok) throw new Error(`refused: ${again.error.code}`);
      expect(problemsOf(again.view)).toContainEqual(["WITHHELD", -1]);
      s.wipe();
    },
  );

  it("the epoch keys a worker opened are overwritten: those dropped by the walk, a refused thread's", async () => {
    // Review finding 5a. The keys are made inside the job (slices of an opened grant), so every 32-byte
    // slice made in each step is collected, and after the step none may still hold an epoch key.
    const s = await w.staff("anna");
    const own = new WorkerPool(countedWorker, 1, inlineRunner(s.client.sodium));
    const keys: Uint8Array[] = [];
    let input: VerifyThreadsInput | undefined;
    s.useWorkers({
      workers: own.workers,
      async run(job, given) {
        const out = await own.run(job, given);
        if (job !== "verifyThreads") return out;
        input ??= structuredClone(given as VerifyThreadsInput);
        for (const t of out as VerifiedThreadItem[]) {
          if (!t.ok) continue;
          for (const k of t.opened.keys.values()) {
            keys.push(new Uint8Array(k.key), ...(k.staffKey ? [new Uint8Array(k.staffKey)] : []));
          }
        }
        return out;
      },
      close: () => own.close(),
    });
    const made: Uint8Array[] = [];
    const holds = (b: Uint8Array) => keys.some((k) => k.length === b.length && k.every((x, i) => x === b[i]));
    const leftAfter = async (step: () => Promise<void>) => {
      made.length = 0;
      await step();
      expect(made.length).toBeGreaterThan(0);
      return made.filter(holds).length;
    };
    const typed = Object.getPrototypeOf(Uint8Array.prototype) as { slice: (...a: unknown[]) => Uint8Array };
    const slice = typed.slice;
    typed.slice = function (this: Uint8Array, ...a: unknown[]) {
      const copy = slice.apply(this, a);
      if (copy.byteLength === 32) made.push(copy);
      return copy;
    };
    try {
      // Honest: Anna holds grants of several epochs; the keys of older ones also come from the walk.
      const honest = await leftAfter(async () => {
        expect((await readMany(s, [c.threadId])).get(c.threadId)?.ok).toBe(true);
      });
      expect(keys.length).toBeGreaterThan(2);
      // The newest grant withheld: the older ones open, then the thread is refused.
      const withheld = await leftAfter(async () => {
        rewriteBatch((r) => ({ ...r, grants: r.grants!.slice(0, -1) }));
        const refused = (await readMany(s, [c.threadId])).get(c.threadId);
        expect(refused?.ok === false && refused.error.code).toBe("THREAD_TAMPERED");
      });
      // More envelopes than any thread may have, after the keys opened (only a job's input can say so).
      const tooLarge = await leftAfter(async () => {
        const t = input!.threads[0]!;
        const stored = Array.from({ length: LIMITS.threadMaxEnvelopes + 1 }, () => t.stored[0]!);
        const [big] = await own.run("verifyThreads", { ...input!, threads: [{ ...t, stored }] });
        expect(big?.ok === false && big.error.code).toBe("THREAD_TOO_LARGE");
      });
      expect({ honest, withheld, tooLarge }).toEqual({ honest: 0, withheld: 0, tooLarge: 0 });
    } finally {
      typed.slice = slice;
      s.wipe();
    }
  });

  it("wiping the session closes the pool: nothing more runs in its workers", async () => {
    const extra = await w.staff("anna");
    const own = new WorkerPool(countedWorker, 1, inlineRunner(extra.client.sodium));
    extra.useWorkers(own);
    extra.wipe();
    expect(own.workers).toBe(0);
    await expect(own.run("verifyThreads", { threads: [] } as never)).rejects.toMatchObject({ code: "WIPED" });
  });
});
