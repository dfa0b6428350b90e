/**
 * Signature verification on worker threads.
 *
 * Ed25519 verification in libsodium's wasm costs about 0.1 ms per signature on this machine, and a new
 * thread carries one signature per reader plus two; on the main thread that is a large share of every
 * write. The pool runs the same `@briefgeheim/crypto` verifiers (through crypto/index.ts) on worker
 * threads, so the main thread keeps parsing HTTP and running the database while another core checks
 * signatures. Requests that arrive in the same event-loop turn travel as one message (a message costs
 * tens of microseconds on the main thread, about as much as verifying one signature). Nothing is weakened: the same functions verify the same bytes, before the write is queued
 * (never inside a transaction); only the thread they run on changes. Errors come back with their code
 * and are rethrown as the crypto package's `CryptoError`, so they map to the same typed 4xx.
 *
 * @example
 * const pool = VerifierPool.start(1);
 * const envelope = await pool.envelope(bytes); // throws CryptoError like crypto.verifyEnvelope
 */
import { Worker } from "node:worker_threads";
import { CryptoError, type CryptoErrorCode } from "@briefgeheim/crypto";
import type { Envelope, EpochRecord, Grant, Roster } from "./index.js";

type Attempt<T> =
  | { ok: true; value: T }
  | { ok: false; error: { name: string; code?: string; message: string } };

export type VerifyRequest =
  | { id: number; op: "envelope"; bytes: Uint8Array }
  | {
      id: number;
      op: "open";
      helplineId: string;
      threadId: string;
      roster: Roster;
      record: Uint8Array;
      grants: Uint8Array[];
      envelope: Uint8Array;
    };

export type VerifyResponse =
  | { id: number; op: "envelope"; envelope: Attempt<Envelope> }
  | {
      id: number;
      op: "open";
      record: Attempt<EpochRecord>;
      /** One per grant, in order; empty when the record failed. */
      grants: Attempt<Grant>[];
      envelope: Attempt<Envelope>;
    };

/** The outcome of one verification: `get()` returns the value or throws the error it raised. */
export interface Verified<T> {
  get(): T;
}

function outcome<T>(a: Attempt<T>): Verified<T> {
  return {
    get() {
      if (a.ok) return a.value;
      if (a.error.name === "CryptoError" && a.error.code) {
        throw new CryptoError(a.error.code as CryptoErrorCode, a.error.message);
      }
      throw new Error(a.error.message);
    },
  };
}

/**
 * The bytes in an ArrayBuffer of their own: postMessage copies a view's WHOLE underlying buffer (for
 * libsodium's output that can be its entire wasm memory).
 */
function own(bytes: Uint8Array): Uint8Array {
  return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
}

interface Slot {
  worker: Worker;
  /** Ids of the requests sent to this worker and not yet answered. */
  pending: Set<number>;
}

/** Most requests in one message to a worker. */
const MAX_BATCH = 64;

export class VerifierPool {
  readonly #slots: Slot[];
  readonly #spawn: () => Worker;
  readonly #waiting = new Map<number, (res: VerifyResponse) => void>();
  #queue: VerifyRequest[] = [];
  #flushScheduled = false;
  #nextId = 1;
  #closed = false;

  private constructor(threads: number, spawn: () => Worker) {
    this.#spawn = spawn;
    this.#slots = Array.from({ length: threads }, () =>
      this.#attach({ worker: spawn(), pending: new Set() }),
    );
  }

  #attach(slot: Slot): Slot {
    slot.worker.on("message", (batch: VerifyResponse[]) => {
      for (const res of batch) {
        slot.pending.delete(res.id);
        const resolve = this.#waiting.get(res.id);
        this.#waiting.delete(res.id);
        resolve?.(res);
      }
    });
    const replace = (why: string) => {
      // A crashed verifier fails its own requests (500) and is replaced; the others go on.
      const error = { name: "Error", message: `signature verifier stopped: ${why}` };
      for (const id of slot.pending) {
        const resolve = this.#waiting.get(id);
        this.#waiting.delete(id);
        resolve?.({ id, op: "envelope", envelope: { ok: false, error } });
      }
      slot.pending.clear();
      slot.worker.removeAllListeners();
      if (!this.#closed) {
        slot.worker = this.#spawn();
        this.#attach(slot);
      }
    };
    slot.worker.once("error", (e) => replace(e.message));
    slot.worker.once("exit", (code) => replace(`exit ${code}`));
    slot.worker.unref();
    return slot;
  }

  /**
   * Starts `threads` workers. Under tsx (this file is TypeScript) each worker registers tsx's loader
   * first: worker threads do not inherit it.
   */
  static start(threads: number): VerifierPool {
    const ts = import.meta.url.endsWith(".ts");
    const script = new URL(`./verify-worker${ts ? ".ts" : ".js"}`, import.meta.url);
    const boot = `import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(script.href)}); });`;
    return new VerifierPool(Math.max(1, threads), () =>
      ts ? new Worker(boot, { eval: true }) : new Worker(script),
    );
  }

  get size(): number {
    return this.#slots.length;
  }

  #send(req: VerifyRequest): Promise<VerifyResponse> {
    if (this.#closed) return Promise.reject(new Error("the verifier pool is closed"));
    return new Promise((resolve) => {
      this.#waiting.set(req.id, resolve);
      this.#queue.push(req);
      if (this.#queue.length >= MAX_BATCH) this.#flush();
      else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        setImmediate(() => this.#flush());
      }
    });
  }

  /** Sends the queued requests to the least busy worker as one message. */
  #flush(): void {
    this.#flushScheduled = false;
    while (this.#queue.length > 0) {
      const batch = this.#queue.splice(0, MAX_BATCH);
      let slot = this.#slots[0]!;
      for (const s of this.#slots) if (s.pending.size < slot.pending.size) slot = s;
      for (const req of batch) slot.pending.add(req.id);
      slot.worker.postMessage(batch);
    }
  }

  /** Same as `crypto.verifyEnvelope(bytes)`, on a worker. */
  async envelope(bytes: Uint8Array): Promise<Envelope> {
    const res = await this.#send({ id: this.#nextId++, op: "envelope", bytes: own(bytes) });
    if (res.op !== "envelope") throw new Error("verifier answered another request");
    return outcome(res.envelope).get();
  }

  /**
   * A new thread's bundle in one round trip: the epoch-0 record (as `crypto.verifyRecord` with the given
   * roster), each grant against it (`crypto.verifyGrant`) and the first envelope. Each part's outcome is
   * returned separately so the caller keeps its order of checks (and so its error precedence).
   */
  async open(o: {
    helplineId: string;
    threadId: string;
    roster: Roster;
    record: Uint8Array;
    grants: Uint8Array[];
    envelope: Uint8Array;
  }): Promise<{ record: Verified<EpochRecord>; grants: Verified<Grant>[]; envelope: Verified<Envelope> }> {
    const res = await this.#send({
      id: this.#nextId++,
      op: "open",
      ...o,
      record: own(o.record),
      grants: o.grants.map(own),
      envelope: own(o.envelope),
    });
    if (res.op !== "open") {
      return { record: outcome(res.envelope) as never, grants: [], envelope: outcome(res.envelope) };
    }
    return { record: outcome(res.record), grants: res.grants.map(outcome), envelope: outcome(res.envelope) };
  }

  async close(): Promise<void> {
    this.#closed = true;
    await Promise.all(this.#slots.map((s) => s.worker.terminate()));
  }
}
