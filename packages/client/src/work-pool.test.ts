import {
  type BoxKeyPair,
  type HelplineId,
  loadSodium,
  type SignPublicKey,
  type Sodium,
  type ThreadId,
} from "@briefgeheim/crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { channelWorker, closeChannelWorkers } from "../test-support/channel-worker.js";
import { ClientError } from "./errors.js";
import type { VerifyThreadsInput } from "./verify-threads-job.js";
import { inlineRunner, WorkerPool, type WorkReply } from "./work-pool.js";
import { serveWork, type WorkScope } from "./work-serve.js";

// The pool's plumbing with real structured cloning: each "worker" is the far end of a MessageChannel
// running serveWork, as a Web Worker of the staff app does (apps/staff/src/workers/crypto-worker.ts).

let sodium: Sodium;
let box: BoxKeyPair;

beforeAll(async () => {
  sodium = await loadSodium();
  const kp = sodium.crypto_box_keypair();
  box = { publicKey: kp.publicKey, secretKey: kp.privateKey } as unknown as BoxKeyPair;
});
afterAll(() => {
  closeChannelWorkers();
});

/** One thread whose epoch record is not an epoch record: the typed refusal must cross intact. */
function brokenThreadInput(): VerifyThreadsInput {
  return {
    helplineId: "h".repeat(22) as HelplineId,
    reader: {
      signPk: new Uint8Array(32) as SignPublicKey,
      box: { publicKey: box.publicKey, secretKey: box.secretKey.slice() } as BoxKeyPair,
    },
    streams: ["main", "staff"],
    rosters: new Map(),
    threads: [
      { threadId: "t".repeat(22) as ThreadId, records: ["AAAA"], grants: [], stored: [], remembered: [] },
    ],
  };
}

/** A pool of `size` channel workers, with them (and the first) at hand, to make them fail. */
function poolHoldingFirst(size: number) {
  const workers: ReturnType<typeof channelWorker>[] = [];
  const pool = new WorkerPool(
    () => {
      const w = channelWorker();
      workers.push(w);
      return w;
    },
    size,
    inlineRunner(sodium),
  );
  return { pool, workers, first: workers[0]! };
}

describe("WorkerPool", () => {
  it("answers a job in a worker exactly as on the calling thread, typed refusal included", async () => {
    const pool = new WorkerPool(() => channelWorker(), 2, inlineRunner(sodium));
    const [inWorker] = await pool.run("verifyThreads", brokenThreadInput());
    const [inline] = await inlineRunner(sodium).run("verifyThreads", brokenThreadInput());
    expect(inWorker).toEqual(inline);
    expect(inWorker?.ok).toBe(false);
    if (inWorker?.ok !== false) return;
    expect(inWorker.error.code).toBe("THREAD_TAMPERED");
    expect(inWorker.error.details).toEqual({ code: "UNSUPPORTED_VERSION" }); // "AAAA" decodes to zero bytes
    pool.close();
  });

  it("overwrites the worker's copy of the box key after answering, never the caller's own", async () => {
    const input = brokenThreadInput();
    const own = input.reader.box.secretKey.slice();
    await inlineRunner(sodium).run("verifyThreads", input);
    expect(input.reader.box.secretKey).toEqual(own); // the calling thread's key stays usable

    // A worker receives its own copy: here the request object itself, to look at it afterwards.
    const replies: WorkReply[] = [];
    const scope: WorkScope = { onmessage: null, postMessage: (m) => replies.push(m as WorkReply) };
    serveWork(scope);
    const request = { id: 7, job: "verifyThreads", input: brokenThreadInput() };
    scope.onmessage?.({ data: request });
    await expect.poll(() => replies.length).toBe(1);
    expect(replies[0]).toMatchObject({ id: 7, ok: true });
    expect(request.input.reader.box.secretKey.every((b) => b === 0)).toBe(true);
  });

  it("refuses a job name it does not know", async () => {
    const replies: WorkReply[] = [];
    const scope: WorkScope = { onmessage: null, postMessage: (m) => replies.push(m as WorkReply) };
    serveWork(scope);
    scope.onmessage?.({ data: { id: 1, job: "toString", input: {} } });
    await expect.poll(() => replies.length).toBe(1);
    expect(replies[0]).toMatchObject({ id: 1, ok: false });
  });

  it("close() ends every worker and rejects what is pending and anything later with WIPED", async () => {
    const { pool, workers } = poolHoldingFirst(3);
    expect(pool.workers).toBe(3);
    const pending = pool.run("verifyThreads", brokenThreadInput());
    pool.close();
    await expect(pending).rejects.toMatchObject({ code: "WIPED" });
    await expect(pool.run("verifyThreads", brokenThreadInput())).rejects.toBeInstanceOf(ClientError);
    expect(workers.map((w) => w.terminated)).toEqual([true, true, true]);
  });

  it("a worker whose libsodium does not load is ended; its jobs run on the fallback", async () => {
    const failing = () => channelWorker(() => Promise.reject(new Error("wasm blocked")));
    const pool = new WorkerPool(failing, 1, inlineRunner(sodium));
    const [answer] = await pool.run("verifyThreads", brokenThreadInput());
    expect(answer).toMatchObject({ ok: false, error: { code: "THREAD_TAMPERED" } });
    expect(pool.workers).toBe(0);
    pool.close();
  });

  /** An empty page of the survey listing, as the staff app hands it to a worker. */
  function emptyPage() {
    const bytes = new TextEncoder().encode(JSON.stringify({ items: [], next: null }));
    const input = {
      helplineId: "h".repeat(22) as HelplineId,
      box: { publicKey: box.publicKey, secretKey: box.secretKey.slice() } as BoxKeyPair,
      bytes,
      asked: null,
      next: null,
      range: { from: 0, to: 1 },
    };
    return { bytes, input };
  }

  it("hands a buffer over without a copy: the caller's bytes are gone, the answer is as on the calling thread", async () => {
    const pool = new WorkerPool(() => channelWorker(), 1, inlineRunner(sodium));
    const inline = emptyPage();
    const expected = await inlineRunner(sodium).run("countSurveyPage", inline.input, [inline.bytes.buffer]);
    expect(inline.bytes.byteLength).toBeGreaterThan(0); // on the calling thread nothing moves
    const { bytes, input } = emptyPage();
    const answer = await pool.run("countSurveyPage", input, [bytes.buffer]);
    expect(answer).toEqual(expected);
    expect(bytes.byteLength).toBe(0); // detached: the worker took the buffer itself
    const copied = emptyPage();
    await pool.run("countSurveyPage", copied.input);
    expect(copied.bytes.byteLength).toBeGreaterThan(0);
    // The same bytes handed over again are gone: the job is refused at once, it does not wait for ever.
    await expect(pool.run("countSurveyPage", input, [bytes.buffer])).rejects.toThrow(/detached/i);
    pool.close();
  });

  it("a worker lost holding a handed-over job: that job rejects WORKER_LOST, its others run again elsewhere", async () => {
    const { pool, first } = poolHoldingFirst(1);
    const { bytes, input } = emptyPage();
    const handedOver = pool.run("countSurveyPage", input, [bytes.buffer]);
    const copied = pool.run("verifyThreads", brokenThreadInput());
    first.onmessage = null; // no answer arrives
    first.onerror?.(new Error("script error"));
    await expect(handedOver).rejects.toMatchObject({ code: "WORKER_LOST" });
    expect((await copied)[0]).toMatchObject({ ok: false, error: { code: "THREAD_TAMPERED" } });
    expect(pool.workers).toBe(0);
    pool.close();
  });

  it("a worker that crashes with a job in hand: the job runs again elsewhere", async () => {
    const { pool, first } = poolHoldingFirst(2);
    // Both workers busy, then the first reports a script error before answering.
    const jobs = [
      pool.run("verifyThreads", brokenThreadInput()),
      pool.run("verifyThreads", brokenThreadInput()),
    ];
    first.onmessage = null; // its answer never arrives
    first.onerror?.(new Error("script error"));
    const answers = await Promise.all(jobs);
    expect(answers.map((a) => a[0]?.ok)).toEqual([false, false]);
    expect(pool.workers).toBe(1);
    expect(first.terminated).toBe(true);
    pool.close();
  });
});
