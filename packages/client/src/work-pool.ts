import type { Sodium } from "@briefgeheim/crypto";
import { ClientError } from "./errors.js";
import { WORK_JOBS, type WorkInput, type WorkJob, type WorkJobName, type WorkOutput } from "./work-jobs.js";
import { fromWire, type WireError } from "./work-wire.js";

/**
 * Runs the jobs of `WORK_JOBS` (work-jobs.ts): in a pool of workers (`WorkerPool`, the staff app's
 * Web Workers) or on the calling thread (`inlineRunner`, where there is no `Worker`: Node, tests).
 * The same handler gives the same answer either way; only where it runs differs.
 */
export interface WorkRunner {
  /** Workers that run jobs side by side; 0 when jobs run on the calling thread. */
  readonly workers: number;
  /**
   * Runs one job; rejects with the job's error, or `WIPED` once the runner is closed. `handOver`:
   * buffers of the input that a worker takes without a copy (the caller must not use them after);
   * on the calling thread they stay as they are.
   */
  run<N extends WorkJobName>(
    job: N,
    input: WorkInput<N>,
    handOver?: readonly ArrayBuffer[],
  ): Promise<WorkOutput<N>>;
  /** Ends every worker (and with it the keys they hold); pending and later jobs reject `WIPED`. */
  close(): void;
}

/** A request to a worker and its answer (work-serve.ts is the other side). */
export interface WorkRequest {
  readonly id: number;
  readonly job: WorkJobName;
  readonly input: unknown;
}
export type WorkReply =
  | { readonly id: number; readonly ok: true; readonly output: unknown }
  | { readonly id: number; readonly ok: false; readonly error: WireError }
  /** The worker could not start (libsodium did not load): its jobs run elsewhere. */
  | { readonly failed: WireError };

/** What the pool needs of a worker: a browser `Worker` has it. */
export interface WorkPort {
  postMessage(message: unknown, transfer?: ArrayBuffer[]): void;
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  terminate(): void;
}

const wiped = () => new ClientError("WIPED", "the session was wiped");

/**
 * Runs each job on the calling thread, one job per macrotask (a `setTimeout(0)` before each), so a
 * page gets a turn between jobs: give it small jobs. The fallback where there is no worker.
 *
 * @example
 * const runner = inlineRunner(client.sodium);
 * const out = await runner.run("verifyThreads", input);
 */
export function inlineRunner(sodium: Sodium): WorkRunner {
  let closed = false;
  return {
    workers: 0,
    run<N extends WorkJobName>(job: N, input: WorkInput<N>): Promise<WorkOutput<N>> {
      return new Promise((resolve, reject) => {
        setTimeout(() => {
          if (closed) return reject(wiped());
          try {
            resolve((WORK_JOBS[job] as unknown as WorkJob<N>).run(sodium, input));
          } catch (e) {
            reject(e);
          }
        }, 0);
      });
    },
    close() {
      closed = true;
    },
  };
}

interface Pending {
  readonly job: WorkJobName;
  readonly input: unknown;
  /** Its input's buffers were handed over: the worker holds the only copy, so it cannot run again. */
  readonly handedOver: boolean;
  readonly resolve: (output: unknown) => void;
  readonly reject: (error: unknown) => void;
}

interface Slot {
  readonly port: WorkPort;
  readonly pending: Map<number, Pending>;
  lost: boolean;
}

/**
 * A fixed pool of workers, each running `serveWork` (work-serve.ts) with libsodium loaded once. A
 * job goes to the worker with the fewest jobs waiting; answers come back by id. A worker that fails
 * (libsodium does not load, a script error) is ended and its jobs run on `fallback` instead, and so
 * do all jobs once no worker is left: a broken worker slows the page down, never loses a result;
 * except a job whose input's buffers were handed over (`handOver`: a survey count's pages, 31 MB a
 * year, no longer copied on the page's thread): its only copy went with the worker, so it rejects
 * `WORKER_LOST` and the caller starts again.
 * `close()` terminates every worker (the keys sent to them go with them).
 *
 * @example
 * const pool = new WorkerPool(() => new Worker(url), 2, inlineRunner(sodium));
 * await pool.run("verifyThreads", input);
 * pool.close();
 */
export class WorkerPool implements WorkRunner {
  readonly #slots: Slot[] = [];
  readonly #fallback: WorkRunner;
  readonly #onClose: (() => void) | undefined;
  #nextId = 1;
  #closed = false;

  constructor(spawn: () => WorkPort, size: number, fallback: WorkRunner, onClose?: () => void) {
    this.#fallback = fallback;
    this.#onClose = onClose;
    for (let i = 0; i < Math.max(1, Math.floor(size)); i++) {
      const slot: Slot = { port: spawn(), pending: new Map(), lost: false };
      slot.port.onmessage = (event) => this.#answer(slot, event.data as WorkReply);
      slot.port.onerror = () => this.#lose(slot);
      this.#slots.push(slot);
    }
  }

  get workers(): number {
    return this.#slots.filter((s) => !s.lost).length;
  }

  run<N extends WorkJobName>(
    job: N,
    input: WorkInput<N>,
    handOver?: readonly ArrayBuffer[],
  ): Promise<WorkOutput<N>> {
    if (this.#closed) return Promise.reject(wiped());
    const live = this.#slots.filter((s) => !s.lost);
    const slot = live.sort((a, b) => a.pending.size - b.pending.size)[0];
    if (slot === undefined) return this.#fallback.run(job, input);
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      // An empty buffer has nothing to spare, and a detached one (handed over before) must not be
      // listed: Node drops such a message without a word and the job would wait for ever; cloned
      // instead, it throws DataCloneError here.
      const list = (handOver ?? []).filter((b) => b.byteLength > 0);
      const handedOver = list.length > 0;
      slot.pending.set(id, { job, input, handedOver, resolve: resolve as (o: unknown) => void, reject });
      try {
        const request = { id, job, input } satisfies WorkRequest;
        if (handedOver) slot.port.postMessage(request, list);
        else slot.port.postMessage(request);
      } catch (e) {
        // Not cloneable: a bug in the caller, not the worker's fault.
        slot.pending.delete(id);
        reject(e);
      }
    });
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) {
      slot.lost = true;
      slot.port.terminate();
      for (const p of slot.pending.values()) p.reject(wiped());
      slot.pending.clear();
    }
    this.#fallback.close();
    this.#onClose?.();
  }

  #answer(slot: Slot, reply: WorkReply): void {
    if ("failed" in reply) {
      this.#lose(slot);
      return;
    }
    const p = slot.pending.get(reply.id);
    if (p === undefined) return;
    slot.pending.delete(reply.id);
    if (reply.ok) p.resolve(reply.output);
    else p.reject(fromWire(reply.error));
  }

  /** Ends a failed worker; what it had not answered runs elsewhere (a job is a pure function). */
  #lose(slot: Slot): void {
    if (slot.lost) return;
    slot.lost = true;
    slot.port.terminate();
    const orphans = [...slot.pending.values()];
    slot.pending.clear();
    for (const p of orphans) {
      if (p.handedOver) p.reject(new ClientError("WORKER_LOST", "a worker ended with data only it held"));
      else this.run(p.job, p.input as never).then(p.resolve, p.reject);
    }
  }
}
