import {
  type EnvelopeHead,
  type EpochKeys,
  type EpochRecord,
  type EpochStart,
  type Roster,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import { type EpochAck, epochBatchResponseSchema, LIMITS } from "@briefgeheim/protocol";
import { matchAnswers } from "./batch-answer.js";
import { ClientError, isClientError } from "./errors.js";
import { withRetry } from "./retry.js";
import type { StaffContext } from "./staff-context.js";
import { fetchBulkBatches } from "./thread-batch.js";
import { verifyHeads } from "./thread-heads-load.js";
import { type LoadedEpochs, loadThread, verifyEpochs, wipeEpochKeys } from "./thread-loader.js";
import { rememberRecord } from "./thread-memory.js";
import { readJson } from "./transport.js";

/** The current epoch of a loaded thread with the caller's keys of it. */
export interface CurrentEpoch {
  readonly prev: EpochRecord;
  readonly prevKeys: EpochKeys;
  /** The thread's heads, verified (`loadHeads`): the new record names them (PROTOCOL.md §4, D6). */
  readonly heads: readonly EnvelopeHead[];
}

/** Someone moved the thread or the roster on meanwhile: load again and sign again. */
function raced(code: string): boolean {
  return code === "EPOCH_CONFLICT" || code === "ROSTER_CONFLICT" || code === "STALE_VIEW";
}

/**
 * The caller's keys of the current epoch (`NOT_A_READER` when the caller does not read it, e.g. a
 * supervisor who joined after the epoch was made).
 */
export function currentEpoch(epochs: LoadedEpochs, heads: readonly EnvelopeHead[]): CurrentEpoch {
  const prevKeys = epochs.keys.get(epochs.current.epoch);
  if (prevKeys === undefined) {
    throw new ClientError("NOT_A_READER", "you hold no key of this thread's current epoch");
  }
  return { prev: epochs.current, prevKeys, heads };
}

function encodeStart(ctx: StaffContext, start: EpochStart): { record: string; grants: string[] } {
  const { sodium } = ctx.client;
  return { record: toBase64(sodium, start.record), grants: start.grants.map((g) => toBase64(sodium, g)) };
}

/**
 * Starts the next epoch of one thread (claim, assign, reassign, remove): loads and verifies it with
 * every envelope (its heads from `loadThread`, not the heads endpoint),
 * lets `build` make the signed record and grants on the newest roster, and posts them. If the thread
 * or the roster moved on meanwhile it loads again and rebuilds (up to three times). Epoch keys are
 * wiped after each attempt.
 *
 * @example
 * await changeEpoch(ctx, threadId, (cur, roster) => claimThread(sodium, { ...cur, roster, signer, random, now }));
 */
export async function changeEpoch(
  ctx: StaffContext,
  threadId: ThreadId,
  build: (current: CurrentEpoch, roster: Roster, epochs: LoadedEpochs) => EpochStart,
): Promise<EpochAck> {
  for (let attempt = 1; ; attempt++) {
    const roster = await ctx.client.helplines.latestRoster(ctx.helplineId);
    // One thread: every envelope loaded and verified (`loadThread`), so the record names each sender's
    // real newest envelope. The light heads endpoint could answer with an older genuine one
    // (PROTOCOL.md §4); only bulk runs take that path, for speed.
    const epochs = await loadThread(ctx, threadId);
    let start: EpochStart | undefined;
    try {
      start = build(currentEpoch(epochs, epochs.heads), roster, epochs);
      const json = encodeStart(ctx, start);
      const ack = await withRetry(async () =>
        readJson(await ctx.client.api.threads[":threadId"].epochs.$post({ param: { threadId }, json })),
      );
      // Remembered once acknowledged: if the server then does not serve it, every later load says WITHHELD.
      rememberRecord(ctx.client.memory, ctx.client.sodium, threadId, start.parsed, true);
      return ack;
    } catch (e) {
      if (!isClientError(e) || !raced(e.code) || attempt >= 3) throw e;
    } finally {
      wipeEpochKeys(epochs.keys);
      if (start !== undefined) wipeEpochKeys(new Map([[start.keys.epoch, start.keys]]));
    }
  }
}

/** Progress of a bulk re-grant: phases run in this order, `done` counts up to `total` in each. */
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
   * the handover events, PROTOCOL.md §5.1); must handle its own errors. The keys are wiped after.
   */
  readonly onCommitted?: (committed: readonly { threadId: ThreadId; start: EpochStart }[]) => Promise<void>;
}

/**
 * Bulk epoch changes through the batch endpoint, resumable by construction: each thread is loaded
 * and checked (`needs`) before it is signed, so running the same job again after an interruption
 * skips what was committed and finishes the rest; a thread is only ever moved to a complete new epoch
 * (record and grants in one commit), never left without one. Threads that raced (their epoch or the
 * roster changed meanwhile) are loaded and signed again, up to three rounds.
 *
 * @example
 * const outcome = await runBulk(ctx, { threadIds, needs, sign, onProgress: (p) => bar(p) });
 */
export async function runBulk(ctx: StaffContext, options: BulkOptions): Promise<BulkOutcome> {
  const batchSize = Math.min(LIMITS.batchMaxItems, Math.max(1, options.batchSize ?? LIMITS.batchMaxItems));
  const progress = options.onProgress ?? (() => {});
  const changed: { threadId: ThreadId; epoch: number }[] = [];
  const skipped: ThreadId[] = [];
  const failed: { threadId: ThreadId; code: string; message: string }[] = [];
  let pending = [...new Set(options.threadIds)];
  for (let round = 1; pending.length > 0; round++) {
    const roster = await ctx.client.helplines.latestRoster(ctx.helplineId);
    const loaded: (CurrentEpoch & { epochs: LoadedEpochs })[] = [];
    let done = 0;
    const total = pending.length;
    // Each thread's detail and heads come in batch reads (50 a request); every check of the single
    // routes runs on them here (verifyEpochs, verifyHeads).
    for await (const batch of fetchBulkBatches(ctx, pending)) {
      for (const fetched of batch) {
        const { threadId } = fetched;
        try {
          if (!fetched.ok) throw fetched.error;
          const epochs = await verifyEpochs(ctx, threadId, fetched.detail);
          if (options.needs(epochs)) {
            loaded.push({ ...currentEpoch(epochs, await verifyHeads(ctx, epochs, fetched.heads)), epochs });
          } else {
            skipped.push(threadId);
            wipeEpochKeys(epochs.keys);
          }
        } catch (e) {
          if (!isClientError(e)) throw e;
          failed.push({ threadId, code: e.code, message: e.message });
        } finally {
          progress({ phase: "loading", done: ++done, total });
        }
      }
    }
    const retry: ThreadId[] = [];
    let signed: SignedChange[] = [];
    try {
      progress({ phase: "signing", done: 0, total: loaded.length });
      signed = options.sign(loaded, roster);
      progress({ phase: "signing", done: loaded.length, total: loaded.length });
      const ready = signed.filter((s): s is Extract<SignedChange, { ok: true }> => s.ok);
      for (const s of signed) {
        if (!s.ok)
          failed.push({ threadId: s.threadId, code: s.error.code ?? "INTERNAL", message: s.error.message });
      }
      let uploaded = 0;
      for (let i = 0; i < ready.length; i += batchSize) {
        const chunk = ready.slice(i, i + batchSize);
        const items = chunk.map((s) => ({ threadId: s.threadId, ...encodeStart(ctx, s.start) }));
        const answer = await withRetry(async () =>
          readJson(await ctx.client.api.threads.epochs.batch.$post({ json: { items } })),
        );
        const committed: { threadId: ThreadId; start: EpochStart }[] = [];
        // Only the threads of this chunk, each once: a server that adds a thread the caller did not
        // choose (even as a failure to retry), repeats one, or leaves one out gets nothing from it.
        const parsed = epochBatchResponseSchema.safeParse(answer);
        for (const { sent: mine, result: r, error } of matchAnswers(
          chunk,
          parsed.success ? parsed.data.results : undefined,
        )) {
          const threadId = mine.threadId;
          if (r === undefined) {
            failed.push({ threadId, code: error.code, message: error.message });
          } else if (r.ok) {
            // An acknowledgement is not trusted blindly: the record is remembered, so a server that says
            // ok and stores nothing is WITHHELD on this device's next load (and NOT_REKEYED on every view).
            rememberRecord(ctx.client.memory, ctx.client.sodium, threadId, mine.start.parsed, true);
            // The epoch is the record's own, whatever number the answer names.
            changed.push({ threadId, epoch: mine.start.parsed.epoch });
            committed.push({ threadId, start: mine.start });
          } else if (raced(r.error.code) && round < 3) {
            retry.push(threadId);
          } else failed.push({ threadId, code: r.error.code, message: r.error.message });
        }
        uploaded += chunk.length;
        progress({ phase: "uploading", done: uploaded, total: ready.length });
        if (options.onCommitted !== undefined && committed.length > 0) await options.onCommitted(committed);
      }
    } finally {
      for (const l of loaded) wipeEpochKeys(l.epochs.keys);
      for (const s of signed) if (s.ok) wipeEpochKeys(new Map([[s.start.keys.epoch, s.start.keys]]));
    }
    pending = retry;
  }
  return { changed, skipped, failed };
}
