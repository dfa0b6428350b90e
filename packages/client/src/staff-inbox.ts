import { bytesEqual, type EnvelopeHead, type Roster, type ThreadId } from "@briefgeheim/crypto";
import type { ThreadView as InboxView, ThreadSummary } from "@briefgeheim/protocol";
import { ClientError, toClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import { readerJobInput } from "./reader-job.js";
import type { StaffContext } from "./staff-context.js";
import { type StaffThreadView, staffView } from "./staff-threads.js";
import { type FetchedThread, fetchThreadBatches } from "./thread-batch.js";
import {
  envelopeMemory,
  finishEnvelopes,
  finishEpochs,
  prepareEpochs,
  readerStreams,
} from "./thread-loader.js";
import { checkEnvelopes } from "./thread-open.js";
import { readJson } from "./transport.js";
import type { VerifiedThreadItem, VerifyThreadItem } from "./verify-threads-job.js";
import { inlineRunner, type WorkRunner } from "./work-pool.js";
import { fromWire } from "./work-wire.js";

/** What one tab knows of a list's pages, by cursor: the ETag and the page (memory only). */
export interface ListSnapshot {
  readonly view: InboxView | undefined;
  readonly pages: ReadonlyMap<string, { readonly tag: string; readonly page: ListPage }>;
}

interface ListPage {
  readonly threads: readonly ThreadSummary[];
  readonly nextCursor: string | null;
}

/** A list with how much the refresh cost on the wire. */
export interface ListedThreads {
  readonly threads: ThreadSummary[];
  readonly snapshot: ListSnapshot;
  /** Response bytes: bodies plus header lines (what a 304 saves shows here). */
  readonly bytes: number;
  /** Pages the server answered `304 Not Modified`. */
  readonly unchanged: number;
  readonly requests: number;
}

/**
 * An inbox view like `listStaffThreads`, each page asked with the ETag of the same page in `previous`
 * (`If-None-Match`): a page that did not change comes back as `304` without a body and is taken from
 * `previous`. The server's tag changes with every write to the helpline's lists (database triggers) and
 * with the caller and query, so nothing that changed is missed.
 * `onPage` sees the threads so far after each page but the last (the list's head, in the server's
 * order, before the rest has arrived).
 *
 * @example
 * let list = await listWithTags(ctx, "mine");
 * list = await listWithTags(ctx, "mine", list.snapshot); // every 30 s: a few hundred bytes
 */
export async function listWithTags(
  ctx: StaffContext,
  view: InboxView | undefined,
  previous?: ListSnapshot,
  onPage?: (soFar: readonly ThreadSummary[]) => void,
): Promise<ListedThreads> {
  const pages = new Map<string, { tag: string; page: ListPage }>();
  const old = previous !== undefined && previous.view === view ? previous.pages : undefined;
  let bytes = 0;
  let unchanged = 0;
  let requests = 0;
  const threads = await collectPages<ThreadSummary, string>(
    async (cursor) => {
      const key = cursor ?? "";
      const known = old?.get(key);
      const res = await ctx.client.api.threads.$get(
        {
          query: {
            limit: String(PAGE_SIZE),
            ...(view === undefined ? {} : { view }),
            ...(cursor === undefined ? {} : { cursor }),
          },
        },
        known === undefined ? {} : { headers: { "If-None-Match": known.tag } },
      );
      requests++;
      res.headers.forEach((value, name) => {
        bytes += name.length + value.length + 4;
      });
      let page: ListPage;
      if ((res.status as number) === 304 && known !== undefined) {
        unchanged++;
        page = known.page;
      } else {
        // Read once: its size counted, then parsed (readJson keeps its errors for a bad status or body).
        const body = await res.arrayBuffer();
        bytes += body.byteLength;
        const text = new TextDecoder().decode(body);
        page = await readJson<ListPage>({
          ok: res.ok,
          status: res.status,
          headers: res.headers,
          json: async () => JSON.parse(text),
        });
      }
      const tag = res.headers.get("ETag");
      if (tag !== null) pages.set(key, { tag, page });
      return { items: page.threads, next: page.nextCursor };
    },
    undefined,
    onPage,
  );
  return { threads, snapshot: { view, pages }, bytes, unchanged, requests };
}

/** A thread of a batch read as staff see it, or why it could not be read. */
export type StaffReadResult =
  | { readonly ok: true; readonly threadId: ThreadId; readonly view: StaffThreadView }
  | { readonly ok: false; readonly threadId: ThreadId; readonly error: ClientError };

/** Work on the calling thread in slices of at most this long before the page gets a turn. */
const SLICE_MS = 12;

/**
 * Threads per job when a pool of workers verifies them: small enough that the list fills in steadily
 * and each worker gets work from every batch, large enough that the rosters sent along with each job
 * are not sent for every thread. On the calling thread a job is one thread (a task each).
 */
const THREADS_PER_JOB = 5;

type Helpline = { readonly id: StaffContext["helplineId"]; readonly name: string };

/**
 * Reads many threads (batch reads, in the order given: give them oldest waiting first) and verifies
 * each exactly as `readThread` does, calling `onEach` in that order as each is done so a list fills
 * progressively. The cryptographic checks run as `verifyThreads` jobs on `ctx.work` (the staff app's
 * pool of Web Workers), or on the calling thread one thread per task where there is none; what needs
 * the network or this device's memory (rosters, remembered records and heads, the session cache, the
 * view) runs here before and after, in slices of `SLICE_MS`, so no task of a browser's main thread
 * runs much longer than one thread's finishing. The newest roster is refreshed once per batch, after
 * it arrived and while the batch before is verified. Stops early (without error) when `stop()` says so.
 *
 * @example
 * await readStaffThreads(ctx, helpline, ids, (r) => show(r));
 */
export async function readStaffThreads(
  ctx: StaffContext,
  helpline: Helpline,
  threadIds: readonly ThreadId[],
  onEach: (result: StaffReadResult) => void,
  stop: () => boolean = () => false,
): Promise<void> {
  const work = ctx.work ?? inlineRunner(ctx.client.sodium);
  // The newest roster is refreshed after each batch arrived (so it is at least as new as the batch's
  // bytes), while the batch before is still being verified.
  const refresh = () => ctx.client.helplines.latestRoster(ctx.helplineId);
  for await (const batch of fetchThreadBatches(ctx, threadIds, refresh)) {
    if (stop()) return;
    if (!(await verifyBatch(ctx, helpline, work, batch, onEach, stop))) return;
  }
}

/**
 * The verification part alone (for the benchmark's floor): each fetched thread verified and made into
 * a view as `readStaffThreads` does, with no network but the roster refresh.
 *
 * @example
 * const results = await verifyStaffThreads(ctx, helpline, fetched);
 */
export async function verifyStaffThreads(
  ctx: StaffContext,
  helpline: Helpline,
  fetched: readonly FetchedThread[],
): Promise<StaffReadResult[]> {
  await ctx.client.helplines.latestRoster(ctx.helplineId);
  const out: StaffReadResult[] = [];
  const work = ctx.work ?? inlineRunner(ctx.client.sodium);
  await verifyBatch(ctx, helpline, work, fetched, (r) => out.push(r));
  return out;
}

/** A fetched thread made ready for the job (rosters verified here), or why it cannot be read. */
type Prepared = Ready | { readonly ok: false; readonly result: StaffReadResult };
interface Ready {
  readonly ok: true;
  readonly fetched: Extract<FetchedThread, { ok: true }>;
  readonly item: VerifyThreadItem;
  /** The verified rosters its records rely on. */
  readonly rosters: ReadonlyMap<number, Roster>;
}

/**
 * One batch: each thread prepared here, the jobs started at once (the pool runs them side by side),
 * and each answer finished here in the batch's order. False when `stop()` ended it.
 */
async function verifyBatch(
  ctx: StaffContext,
  helpline: Helpline,
  work: WorkRunner,
  batch: readonly FetchedThread[],
  onEach: (result: StaffReadResult) => void,
  stop: () => boolean = () => false,
): Promise<boolean> {
  const perJob = work.workers === 0 ? 1 : THREADS_PER_JOB;
  let sliceStart = now();
  // The page gets a turn every SLICE_MS here too: preparing 50 threads (device memory, records
  // parsed, jobs cloned for the workers) in one task was itself a long task under load.
  const yieldNow = async () => {
    if (now() - sliceStart <= SLICE_MS) return;
    await new Promise((resolve) => setTimeout(resolve, 0));
    sliceStart = now();
  };
  const jobs: { part: Prepared[]; answer: Promise<VerifiedThreadItem[]> }[] = [];
  for (let i = 0; i < batch.length; i += perJob) {
    const part: Prepared[] = [];
    for (const fetched of batch.slice(i, i + perJob)) part.push(await prepare(ctx, fetched));
    const threads = part.flatMap((p) => (p.ok ? [p] : []));
    const answer = threads.length === 0 ? Promise.resolve([]) : runJob(ctx, work, threads);
    // An answer not waited for (stopped, or an earlier job failed) must not be an unhandled rejection.
    answer.catch(() => undefined);
    jobs.push({ part, answer });
    await yieldNow();
  }
  for (const job of jobs) {
    if (stop()) return false;
    const answers = await job.answer;
    let next = 0;
    for (const p of job.part) {
      if (stop()) return false;
      onEach(p.ok ? finish(ctx, helpline, p, answers[next++]!) : p.result);
      await yieldNow();
    }
  }
  return true;
}

async function prepare(ctx: StaffContext, fetched: FetchedThread): Promise<Prepared> {
  if (!fetched.ok) return { ok: false, result: fetched };
  const { threadId, detail, stored } = fetched;
  try {
    const rosters = await prepareEpochs(ctx, threadId, detail);
    const item: VerifyThreadItem = {
      threadId,
      records: detail.records,
      grants: detail.grants,
      stored,
      remembered: envelopeMemory(ctx, threadId),
      prefix: ctx.cache?.get(threadId),
    };
    return { ok: true, fetched, item, rosters };
  } catch (e) {
    return { ok: false, result: failed(threadId, e) };
  }
}

/** One job for `threads`, with the rosters any of them relies on. */
function runJob(
  ctx: StaffContext,
  work: WorkRunner,
  threads: readonly Ready[],
): Promise<VerifiedThreadItem[]> {
  return work.run(
    "verifyThreads",
    readerJobInput(ctx, threads, (t) => t.item),
  );
}

/**
 * What `verifyEpochs` and `verifyEnvelopes` do after their checks, then the staff view. The job saw
 * the device's memory of the thread as it was when it was prepared; another read of the same thread
 * may have finished since (the thread screen's `readThread`), so the envelope checks run again here
 * with the memory as it is now when it changed (cheap: the job's prefix spares every signature and
 * decryption), else a listing the server cut short would pass without `WITHHELD` (review finding 3).
 * The session cache then holds this listing's prefix, as after `readThread`: it only saves work (every
 * answer is the same with any prefix), so a later read's prefix being replaced costs time, not a check.
 */
function finish(
  ctx: StaffContext,
  helpline: Helpline,
  ready: Ready,
  answer: VerifiedThreadItem,
): StaffReadResult {
  const { fetched, item } = ready;
  const { threadId } = fetched;
  if (answer.threadId !== threadId) throw new Error("a job answered for another thread");
  if (!answer.ok) return { ok: false, threadId, error: fromWire(answer.error) as ClientError };
  try {
    const epochs = finishEpochs(ctx, threadId, fetched.detail.thread, answer.opened);
    const remembered = envelopeMemory(ctx, threadId);
    const checked = sameHeads(ctx, remembered, item.remembered)
      ? answer.checked
      : checkEnvelopes(ctx.client.sodium, {
          ...answer.opened,
          helplineId: ctx.helplineId,
          threadId,
          stored: fetched.stored,
          rosters: ready.rosters,
          remembered,
          streams: readerStreams(ctx.me),
          prefix: answer.checked.prefix,
        });
    const loaded = finishEnvelopes(ctx, epochs, fetched.stored, checked);
    return { ok: true, threadId, view: staffView(ctx, helpline, loaded) };
  } catch (e) {
    return failed(threadId, e);
  }
}

/** The same remembered heads (`recallHeads` gives them in the order they are stored). */
function sameHeads(ctx: StaffContext, a: readonly EnvelopeHead[], b: readonly EnvelopeHead[]): boolean {
  const { sodium } = ctx.client;
  return (
    a.length === b.length &&
    a.every((h, i) => {
      const o = b[i]!;
      return (
        h.stream === o.stream &&
        h.seq === o.seq &&
        bytesEqual(sodium, h.signPk, o.signPk) &&
        bytesEqual(sodium, h.hash, o.hash)
      );
    })
  );
}

function failed(threadId: ThreadId, e: unknown): StaffReadResult {
  const error = toClientError(e);
  if (error instanceof ClientError) return { ok: false, threadId, error };
  throw error;
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
