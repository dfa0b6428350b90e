import { loadSodium, type Sodium } from "@briefgeheim/crypto";
import { isWorkJobName, WORK_JOBS, type WorkJob, type WorkJobName } from "./work-jobs.js";
import type { WorkReply, WorkRequest } from "./work-pool.js";
import { wireError } from "./work-wire.js";

/** What a worker's global scope offers (`self` in a Web Worker). */
export interface WorkScope {
  onmessage: ((event: { readonly data: unknown }) => void) | null;
  postMessage(message: unknown): void;
}

/**
 * The worker side of `WorkerPool`: loads libsodium (and with it the crypto core) once, then answers
 * each request with its job's output or typed error, and overwrites its copies of the keys (the
 * job's `wipe`) once the answer is posted (a key a job imported into Web Crypto, as the survey
 * count does, is a non-extractable object that cannot be overwritten: it goes when it is collected or
 * when the worker ends). A worker whose libsodium does not load says so once
 * (`{ failed }`) and the pool runs its jobs elsewhere.
 *
 * @example
 * // apps/staff/src/workers/crypto-worker.ts
 * serveWork(self);
 */
export function serveWork(scope: WorkScope, load: () => Promise<Sodium> = loadSodium): void {
  const ready = load();
  const post = (reply: WorkReply) => scope.postMessage(reply);
  ready.catch((e: unknown) => post({ failed: wireError(e) }));
  scope.onmessage = (event) => {
    void answer(event.data as Partial<WorkRequest>);
  };

  async function answer(request: Partial<WorkRequest>): Promise<void> {
    const { id, job: name, input } = request;
    if (typeof id !== "number") return;
    if (!isWorkJobName(name)) {
      post({ id, ok: false, error: { message: `no job named ${String(name)}` } });
      return;
    }
    let sodium: Sodium;
    try {
      sodium = await ready;
    } catch {
      return; // said once with { failed }: the pool has moved this worker's jobs elsewhere
    }
    const job = WORK_JOBS[name] as unknown as WorkJob<WorkJobName>;
    let output: Awaited<ReturnType<WorkJob<WorkJobName>["run"]>> | undefined;
    try {
      output = await job.run(sodium, input as never);
      post({ id, ok: true, output });
    } catch (e) {
      post({ id, ok: false, error: wireError(e) });
    } finally {
      job.wipe?.(input as never, output);
    }
  }
}
