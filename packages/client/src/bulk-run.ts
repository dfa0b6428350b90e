import type { EpochStart, Roster, ThreadId } from "@briefgeheim/crypto";
import { epochBatchResponseSchema, LIMITS } from "@briefgeheim/protocol";
import { matchAnswers } from "./batch-answer.js";
import { type BulkLoaded, loadBulk } from "./bulk-load.js";
import { loadingFirst } from "./bulk-progress.js";
import { isClientError } from "./errors.js";
import { withRetry } from "./retry.js";
import type { StaffContext } from "./staff-context.js";
import { type CurrentEpoch, currentEpoch, encodeStart, raced } from "./staff-epochs.js";
import { type LoadedEpochs, wipeEpochKeys } from "./thread-loader.js";
import { rememberRecord } from "./thread-memory.js";
import { readJson } from "./transport.js";

/**
 * Progress of a bulk re-grant. Batches are signed, uploaded and announced while later ones still
 * load, so the progress shows loading until every thread is loaded (`done` up to `total`), then what is
 * left: signing, uploading (`done` of `total` across batches) and announcing, which alternate per batch
 * (announcing counts within its batch).
 */
export interface BulkProgress {
  readonly phase: "roster" | "listing" | "loading" | "signing" | "uploading" | "announcing";
  readonly done: number;
  readonly total: number;
}

/** What a bulk re-grant did, per thread. */
export interface BulkOutcome {
  /** Threads that got a new epoch now. */
  readonly changed: readonly { readonly threadId: ThreadId; readonly epoch: number }[];
  /** Threads that needed nothing (already done: a resumed run). */
  readonly skipped: readonly ThreadId[];
  /** Threads that could not be changed, with the reason; the others went on. */
  readonly failed: readonly {
    readonly threadId: ThreadId;
    readonly code: string;
    readonly message: string;
  }[];
}

/** One signed change of a bulk run, or why it could not be made. */
export type SignedChange =
  | { readonly ok: true; readonly threadId: ThreadId; readonly start: EpochStart }
  | { readonly ok: false; readonly threadId: ThreadId; readonly error: Error & { code?: string } };

export interface BulkOptions {
  readonly threadIds: readonly ThreadId[];
  /** Whether a loaded thread still needs the change (false: already done, skipped). */
  readonly needs: (epochs: LoadedEpochs) => boolean;
  /** Signs the new epochs of the threads that need it, on the newest roster. */
  readonly sign: (
    threads: readonly (CurrentEpoch & { epochs: LoadedEpochs })[],
    roster: Roster,
  ) => SignedChange[];
  /** Threads per batch request (1..100, default 100). */
  readonly batchSize?: number;
  readonly onProgress?: (progress: BulkProgress) => void;
  /**
   * Called with each batch's committed changes while their new epoch keys are still held (e.g. to post
   * the handover events, PROTOCOL.md §5.1), one batch after the other, beside the next batch's upload;
   * should handle its own errors: one it throws stops every upload not yet started, and the run throws
   * it. The keys are wiped after. Reports its own phase through `progress`.
   */
  readonly onCommitted?: (
    committed: readonly { threadId: ThreadId; start: EpochStart }[],
    progress: (progress: BulkProgress) => void,
  ) => Promise<void>;
}

type Loaded = CurrentEpoch & { epochs: LoadedEpochs };
type Committed = { threadId: ThreadId; start: EpochStart };
type Failed = { threadId: ThreadId; code: string; message: string };

/**
 * Bulk epoch changes through the batch endpoint, resumable by construction: each thread is loaded
 * and checked (`needs`) before it is signed, so running the same job again after an interruption
 * skips what was committed and finishes the rest; a thread is only ever moved to a complete new epoch
 * (record and grants in one commit), never left without one. Threads that raced (their epoch or the
 * roster changed meanwhile) are loaded and signed again, up to three rounds.
 *
 * A pipeline (issue 14): threads are loaded in batch reads with their checks in the staff app's pool
 * of workers (`loadBulk`); each `batchSize` loaded threads are signed at once and uploaded one batch
 * after the other, and `onCommitted` runs beside the next upload, while later threads still load.
 * Every check runs as before; only the waiting overlaps. The first failed upload (or `onCommitted`)
 * stops the uploads not yet started and the loading, and the run throws it once what was started ended.
 *
 * @example
 * const outcome = await runBulk(ctx, { threadIds, needs, sign, onProgress: (p) => bar(p) });
 */
export async function runBulk(ctx: StaffContext, options: BulkOptions): Promise<BulkOutcome> {
  const batchSize = Math.min(LIMITS.batchMaxItems, Math.max(1, options.batchSize ?? LIMITS.batchMaxItems));
  const outcome = {
    changed: [] as BulkOutcome["changed"][number][],
    skipped: [] as ThreadId[],
    failed: [] as Failed[],
  };
  let pending = [...new Set(options.threadIds)];
  for (let round = 1; pending.length > 0; round++) {
    pending = await runRound(ctx, options, { round, batchSize, pending, ...outcome });
  }
  return outcome;
}

interface Round {
  readonly round: number;
  readonly batchSize: number;
  readonly pending: readonly ThreadId[];
  readonly changed: { threadId: ThreadId; epoch: number }[];
  readonly skipped: ThreadId[];
  readonly failed: Failed[];
}

/** One round over `pending`; returns the threads that raced, to load and sign again. */
async function runRound(ctx: StaffContext, options: BulkOptions, r: Round): Promise<ThreadId[]> {
  const roster = await ctx.client.helplines.latestRoster(ctx.helplineId);
  const retry: ThreadId[] = [];
  const { report, loaded } = loadingFirst(options.onProgress);
  const held: Loaded[] = [];
  const signed: SignedChange[] = [];
  const tails: Promise<unknown>[] = [];
  // The first failure of an upload or of `onCommitted`: no upload starts after it, loading stops, and
  // the round throws it (the sequential loop this replaces stopped at the same failures).
  let failure: { readonly error: unknown } | undefined;
  const stopOn = (p: Promise<unknown>) => {
    tails.push(p);
    p.catch((error: unknown) => {
      failure ??= { error };
    });
  };
  let uploads: Promise<Committed[]> = Promise.resolve([]);
  let announced: Promise<unknown> = Promise.resolve();
  let toUpload = 0;
  let uploaded = 0;
  const submit = (threads: readonly Loaded[]) => {
    report({ phase: "signing", done: 0, total: threads.length });
    const changes = options.sign(threads, roster);
    signed.push(...changes);
    // The current epochs' keys served only to sign: overwritten now, not when the round ends.
    for (const t of threads) wipeEpochKeys(t.epochs.keys);
    report({ phase: "signing", done: threads.length, total: threads.length });
    const ready: Extract<SignedChange, { ok: true }>[] = [];
    for (const s of changes) {
      if (s.ok) ready.push(s);
      else
        r.failed.push({ threadId: s.threadId, code: s.error.code ?? "INTERNAL", message: s.error.message });
    }
    if (ready.length === 0) return;
    toUpload += ready.length;
    // One upload after the other, each beside the announcements of the one before.
    const upload = uploads.then(async () => {
      if (failure !== undefined) throw failure.error;
      const committed = await uploadChunk(ctx, ready, r, retry);
      uploaded += ready.length;
      report({ phase: "uploading", done: uploaded, total: toUpload });
      return committed;
    });
    uploads = upload;
    stopOn(upload);
    // Announcements one batch after the other too (each posts up to six at a time, slow path).
    announced = Promise.all([upload, announced]).then(([committed]) =>
      options.onCommitted !== undefined && committed.length > 0
        ? options.onCommitted(committed, report)
        : undefined,
    );
    stopOn(announced);
  };
  try {
    let done = 0;
    const chunk: Loaded[] = [];
    // At once: the first batch's report comes only when two batch reads are in and one is finished.
    report({ phase: "loading", done, total: r.pending.length });
    for await (const batch of loadBulk(ctx, r.pending, options.needs)) {
      for (const t of batch) take(t, r, held, chunk);
      for (let i = 0; i < batch.length; i++)
        report({ phase: "loading", done: ++done, total: r.pending.length });
      if (failure !== undefined) throw failure.error;
      while (chunk.length >= r.batchSize) submit(chunk.splice(0, r.batchSize));
    }
    loaded();
    if (chunk.length > 0) submit(chunk);
    else report({ phase: "signing", done: signed.length, total: signed.length });
    report({ phase: "uploading", done: uploaded, total: toUpload });
    await Promise.allSettled(tails);
    if (failure !== undefined) throw failure.error;
  } finally {
    // The new keys stay until every upload and `onCommitted` that uses them has ended, however it ended.
    await Promise.allSettled(tails);
    for (const l of held) wipeEpochKeys(l.epochs.keys);
    for (const s of signed) if (s.ok) wipeEpochKeys(new Map([[s.start.keys.epoch, s.start.keys]]));
  }
  return retry;
}

/** A loaded thread into the next chunk to sign (its keys held), or into the outcome. */
function take(t: BulkLoaded, r: Round, held: Loaded[], chunk: Loaded[]): void {
  if (t.kind === "skipped") r.skipped.push(t.threadId);
  else if (t.kind === "failed")
    r.failed.push({ threadId: t.threadId, code: t.error.code, message: t.error.message });
  else {
    try {
      const loaded = { ...currentEpoch(t.epochs, t.heads), epochs: t.epochs };
      held.push(loaded);
      chunk.push(loaded);
    } catch (e) {
      wipeEpochKeys(t.epochs.keys);
      if (!isClientError(e)) throw e;
      r.failed.push({ threadId: t.threadId, code: e.code, message: e.message });
    }
  }
}

/** One batch request of signed changes; returns what the server committed, held to what was sent. */
async function uploadChunk(
  ctx: StaffContext,
  chunk: readonly Extract<SignedChange, { ok: true }>[],
  r: Round,
  retry: ThreadId[],
): Promise<Committed[]> {
  const items = chunk.map((s) => ({ threadId: s.threadId, ...encodeStart(ctx, s.start) }));
  const answer = await withRetry(async () =>
    readJson(await ctx.client.api.threads.epochs.batch.$post({ json: { items } })),
  );
  const committed: Committed[] = [];
  // Only the threads of this chunk, each once: a server that adds a thread the caller did not
  // choose (even as a failure to retry), repeats one, or leaves one out gets nothing from it.
  const parsed = epochBatchResponseSchema.safeParse(answer);
  for (const { sent: mine, result, error } of matchAnswers(
    chunk,
    parsed.success ? parsed.data.results : undefined,
  )) {
    const threadId = mine.threadId;
    if (result === undefined) {
      r.failed.push({ threadId, code: error.code, message: error.message });
    } else if (result.ok) {
      // An acknowledgement is not trusted blindly: the record is remembered, so a server that says
      // ok and stores nothing is WITHHELD on this device's next load (and NOT_REKEYED on every view).
      rememberRecord(ctx.client.memory, ctx.client.sodium, threadId, mine.start.parsed, true);
      // The epoch is the record's own, whatever number the answer names.
      r.changed.push({ threadId, epoch: mine.start.parsed.epoch });
      committed.push({ threadId, start: mine.start });
    } else if (raced(result.error.code) && r.round < 3) {
      retry.push(threadId);
    } else r.failed.push({ threadId, code: result.error.code, message: result.error.message });
  }
  return committed;
}
