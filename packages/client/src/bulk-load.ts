import type { EnvelopeHead, Roster, ThreadId } from "@briefgeheim/crypto";
import type { OpenedBulkItem } from "./bulk-open-job.js";
import { type ClientError, isClientError } from "./errors.js";
import { readerJobInput } from "./reader-job.js";
import type { StaffContext } from "./staff-context.js";
import { type BulkFetched, fetchBulkBatches } from "./thread-batch.js";
import { finishHeads } from "./thread-heads-load.js";
import { finishEpochs, type LoadedEpochs, prepareEpochs, wipeEpochKeys } from "./thread-loader.js";
import { inlineRunner, type WorkRunner } from "./work-pool.js";
import { fromWire } from "./work-wire.js";

/** One thread of a bulk run as loaded: verified and needing the change, verified and done, or refused. */
export type BulkLoaded =
  | {
      readonly kind: "loaded";
      readonly threadId: ThreadId;
      readonly epochs: LoadedEpochs;
      readonly heads: readonly EnvelopeHead[];
    }
  | { readonly kind: "skipped"; readonly threadId: ThreadId }
  | { readonly kind: "failed"; readonly threadId: ThreadId; readonly error: ClientError };

/**
 * Threads per job when a pool of workers runs the checks: a batch read of 50 becomes five jobs, so
 * both workers of a two-core machine get work from every batch; on the calling thread, one thread a
 * job (a task each).
 */
const THREADS_PER_JOB = 10;

type Fetched = Extract<BulkFetched, { ok: true }>;
type Prepared = { readonly ok: true; fetched: Fetched; rosters: Map<number, Roster> } | BulkLoaded;
interface Dispatched {
  readonly part: readonly Prepared[];
  readonly answer: Promise<OpenedBulkItem[]>;
}

/**
 * What a bulk re-key loads, batch by batch in the order given (`fetchBulkBatches`), each thread
 * checked exactly as `verifyEpochs` and `verifyHeads` check it: the rosters and this device's memory
 * here, the cryptographic checks as `openBulkThreads` jobs on `ctx.work` (the staff app's pool of Web
 * Workers) or on the calling thread where there is none. A batch's jobs start before the batch before
 * it is finished here, so the workers verify while this thread finishes, signs and uploads. The heads
 * of a thread that `needs` says is done already are not finished (nor read in full on a doubt).
 *
 * @example
 * for await (const batch of loadBulk(ctx, ids, needs)) for (const t of batch) if (t.kind === "loaded") sign(t);
 */
export async function* loadBulk(
  ctx: StaffContext,
  threadIds: readonly ThreadId[],
  needs: (epochs: LoadedEpochs) => boolean,
): AsyncGenerator<BulkLoaded[]> {
  const work = ctx.work ?? inlineRunner(ctx.client.sodium);
  // Dispatched and not yet handed to the caller: what a stop must overwrite.
  let waiting: Dispatched[] = [];
  try {
    for await (const batch of fetchBulkBatches(ctx, threadIds)) {
      const done = waiting;
      waiting = await dispatch(ctx, work, batch);
      if (done.length > 0) yield await finishAll(ctx, done, needs);
    }
    const done = waiting;
    waiting = [];
    if (done.length > 0) yield await finishAll(ctx, done, needs);
  } finally {
    wipeAnswers(waiting);
  }
}

/** The opened keys in answers no one will finish, overwritten when they arrive. */
function wipeAnswers(jobs: readonly Dispatched[]): void {
  for (const { answer } of jobs) {
    answer.then(
      (items) => {
        for (const item of items) if (item.ok) wipeEpochKeys(item.opened.keys);
      },
      () => undefined,
    );
  }
}

async function dispatch(
  ctx: StaffContext,
  work: WorkRunner,
  batch: readonly BulkFetched[],
): Promise<Dispatched[]> {
  const perJob = work.workers === 0 ? 1 : THREADS_PER_JOB;
  const out: Dispatched[] = [];
  try {
    for (let i = 0; i < batch.length; i += perJob) {
      const part: Prepared[] = [];
      for (const fetched of batch.slice(i, i + perJob)) part.push(await prepare(ctx, fetched));
      const ready = part.flatMap((p) => ("ok" in p ? [p] : []));
      const answer = ready.length === 0 ? Promise.resolve([]) : runJob(ctx, work, ready);
      // Awaited in turn by `finishAll`; a run that stops before must not leave an unhandled rejection.
      answer.catch(() => undefined);
      out.push({ part, answer });
    }
    return out;
  } catch (e) {
    wipeAnswers(out); // a bug stopped the batch: the jobs started go to no one
    throw e;
  }
}

async function prepare(ctx: StaffContext, fetched: BulkFetched): Promise<Prepared> {
  const { threadId } = fetched;
  if (!fetched.ok) return { kind: "failed", threadId, error: fetched.error };
  try {
    return { ok: true, fetched, rosters: await prepareEpochs(ctx, threadId, fetched.detail) };
  } catch (e) {
    if (!isClientError(e)) throw e;
    return { kind: "failed", threadId, error: e };
  }
}

function runJob(
  ctx: StaffContext,
  work: WorkRunner,
  threads: readonly Extract<Prepared, { ok: true }>[],
): Promise<OpenedBulkItem[]> {
  return work.run(
    "openBulkThreads",
    readerJobInput(ctx, threads, ({ fetched }) => ({
      threadId: fetched.threadId,
      records: fetched.detail.records,
      grants: fetched.detail.grants,
      heads: fetched.heads,
    })),
  );
}

/** Each answer finished here, in the batch's order. */
async function finishAll(
  ctx: StaffContext,
  jobs: readonly Dispatched[],
  needs: (epochs: LoadedEpochs) => boolean,
): Promise<BulkLoaded[]> {
  const out: BulkLoaded[] = [];
  let j = 0;
  try {
    for (; j < jobs.length; j++) {
      const { part, answer } = jobs[j]!;
      const items = await answer;
      let next = 0;
      for (const p of part) out.push("ok" in p ? await finish(ctx, p.fetched, items[next++], needs) : p);
    }
    return out;
  } catch (e) {
    // A bug stopped it (a `ClientError` is a thread's outcome, not a throw): nothing here is handed on.
    for (const t of out) if (t.kind === "loaded") wipeEpochKeys(t.epochs.keys);
    wipeAnswers(jobs.slice(j));
    throw e;
  }
}

async function finish(
  ctx: StaffContext,
  fetched: Fetched,
  item: OpenedBulkItem | undefined,
  needs: (epochs: LoadedEpochs) => boolean,
): Promise<BulkLoaded> {
  const { threadId } = fetched;
  // A job answers in the order it was given; anything else is a bug, not a server's doing.
  if (item?.threadId !== threadId) throw new Error("a job answered for another thread");
  if (!item.ok) return { kind: "failed", threadId, error: fromWire(item.error) as ClientError };
  let epochs: LoadedEpochs | undefined;
  try {
    epochs = finishEpochs(ctx, threadId, fetched.detail.thread, item.opened);
    if (!needs(epochs)) {
      wipeEpochKeys(epochs.keys);
      return { kind: "skipped", threadId };
    }
    return { kind: "loaded", threadId, epochs, heads: await finishHeads(ctx, epochs, item.heads) };
  } catch (e) {
    wipeEpochKeys(item.opened.keys);
    if (!isClientError(e)) throw e;
    return { kind: "failed", threadId, error: e };
  }
}
