import type { ThreadId } from "@briefgeheim/crypto";
import {
  LIMITS,
  type ReadBatchResponse,
  readBatchResponseSchema,
  type StoredEnvelope,
  type ThreadDetail,
} from "@briefgeheim/protocol";
import { ClientError, toClientError } from "./errors.js";
import { mapLimit } from "./map-limit.js";
import {
  fetchEnvelopes,
  type LoadedThread,
  type ThreadContext,
  verifyEnvelopes,
  verifyEpochs,
} from "./thread-loader.js";
import { readJson } from "./transport.js";

/** One thread of a batch read, not verified yet: its detail and `Content`; or why not. */
type BatchFetched<Content> =
  | ({ readonly ok: true; readonly threadId: ThreadId; readonly detail: ThreadDetail } & Content)
  | { readonly ok: false; readonly threadId: ThreadId; readonly error: ClientError };

/** One thread of a batch read: its detail and every envelope, not verified yet; or why not. */
export type FetchedThread = BatchFetched<{ readonly stored: readonly StoredEnvelope[] }>;

/** Batch requests in flight at once: the next batch downloads while this one is verified. */
const IN_FLIGHT = 2;

/**
 * Fetches many threads through `POST /api/threads/read` (up to `LIMITS.readBatch.maxItems` a request,
 * in the order given, so the caller's order is the order they arrive in): detail, records, the
 * caller's grants and envelopes, paging on through the single-thread route for a long thread. Nothing
 * is verified here: `verifyFetched` does every check `loadThread` does. A thread the server answers
 * for with another id, or leaves out, is `THREAD_TAMPERED`. `afterArrival` runs after each batch's
 * answer arrived and before the batch is handed out (a roster refresh that must be newer than it).
 *
 * @example
 * for await (const batch of fetchThreadBatches(ctx, ids)) for (const t of batch) verifyFetched(ctx, t);
 */
export async function* fetchThreadBatches(
  ctx: ThreadContext,
  threadIds: readonly ThreadId[],
  afterArrival?: () => Promise<unknown>,
): AsyncGenerator<FetchedThread[]> {
  yield* inChunks(threadIds, async (ids) => {
    const batch = await fetchChunk(ctx, ids);
    // Run as soon as this batch is here, not when the caller takes it: the next batch's roster
    // refresh then overlaps the verification of the one before.
    await afterArrival?.();
    return batch;
  });
}

/**
 * `fetch` over `LIMITS.readBatch.maxItems` ids at a time, up to `IN_FLIGHT` requests ahead, the
 * answers handed out in the order of the ids.
 */
async function* inChunks<T>(
  threadIds: readonly ThreadId[],
  fetch: (ids: readonly ThreadId[]) => Promise<T[]>,
): AsyncGenerator<T[]> {
  const chunks: ThreadId[][] = [];
  for (let i = 0; i < threadIds.length; i += LIMITS.readBatch.maxItems) {
    chunks.push(threadIds.slice(i, i + LIMITS.readBatch.maxItems));
  }
  const started: Promise<T[]>[] = [];
  for (let i = 0; i < chunks.length; i++) {
    for (let j = i; j < Math.min(chunks.length, i + IN_FLIGHT); j++) {
      started[j] ??= fetch(chunks[j]!);
      started[j]!.catch(() => undefined); // awaited in turn below
    }
    yield await started[i]!;
  }
}

/** Why a thread of a batch answer cannot be used: left out, or refused as the single route would. */
function notAnswered(
  result: Extract<ReadBatchResponse["results"][number], { ok: false }> | undefined,
): ClientError {
  if (result === undefined) {
    return new ClientError("THREAD_TAMPERED", "the server left this thread out of its answer", {
      source: "server",
    });
  }
  return new ClientError(result.error.code, result.error.message, { source: "server" });
}

/**
 * All of `threadIds` fetched (see `fetchThreadBatches`), in order.
 *
 * @example
 * const fetched = await fetchThreads(ctx, ids);
 */
export async function fetchThreads(
  ctx: ThreadContext,
  threadIds: readonly ThreadId[],
): Promise<FetchedThread[]> {
  const out: FetchedThread[] = [];
  for await (const batch of fetchThreadBatches(ctx, threadIds)) out.push(...batch);
  return out;
}

async function fetchChunk(ctx: ThreadContext, ids: readonly ThreadId[]): Promise<FetchedThread[]> {
  const res = await readJson(
    await ctx.client.api.threads.read.$post({ json: { items: ids.map((threadId) => ({ threadId })) } }),
  );
  const byId = new Map(res.results.map((r) => [r.threadId, r]));
  return mapLimit(ids, 4, async (threadId): Promise<FetchedThread> => {
    const r = byId.get(threadId);
    if (r === undefined || !r.ok) return { ok: false, threadId, error: notAnswered(r) };
    try {
      const stored = await fetchEnvelopes(ctx, threadId, r.envelopes, r.nextAfter);
      const detail: ThreadDetail = { thread: r.thread, records: r.records, grants: r.grants };
      return { ok: true, threadId, detail, stored };
    } catch (e) {
      const error = toClientError(e);
      if (error instanceof ClientError) return { ok: false, threadId, error };
      throw error; // the network, not this thread: the caller's retry decides
    }
  });
}

/**
 * Verifies one fetched thread exactly as `loadThread` does (`verifyEpochs`, then `verifyEnvelopes`).
 * The caller refreshes the newest roster once per batch, after the batch arrived, where `loadThread`
 * does it before each thread: either way the roster is at least as new as the thread's bytes.
 *
 * @example
 * const thread = await verifyFetched(ctx, fetched);
 */
export async function verifyFetched(
  ctx: ThreadContext,
  fetched: Extract<FetchedThread, { ok: true }>,
): Promise<LoadedThread> {
  const epochs = await verifyEpochs(ctx, fetched.threadId, fetched.detail);
  return verifyEnvelopes(ctx, epochs, fetched.stored);
}

/** One thread of a bulk job's batch read: its detail and heads, not verified yet; or why not. */
export type BulkFetched = BatchFetched<{ readonly heads: readonly StoredEnvelope[] }>;

/**
 * What bulk re-keying loads of each thread (its detail and heads), `LIMITS.readBatch.maxItems`
 * threads per `POST /api/threads/read` with `heads`, `IN_FLIGHT` requests ahead, in the order given:
 * 50 times fewer requests than `loadEpochs` and `loadHeads` per thread (bench:reassign). Nothing is
 * verified here: the caller runs `verifyEpochs` and `verifyHeads` on each, the checks of the single
 * routes. A thread the server leaves out is `THREAD_TAMPERED`; a request that fails with a
 * `ClientError` (the network, the session) fails each thread of its batch with it, as a failed
 * single read did.
 *
 * @example
 * for await (const batch of fetchBulkBatches(ctx, ids)) for (const t of batch) if (t.ok) verify(t);
 */
export async function* fetchBulkBatches(
  ctx: ThreadContext,
  threadIds: readonly ThreadId[],
): AsyncGenerator<BulkFetched[]> {
  yield* inChunks(threadIds, (ids) => fetchBulkChunk(ctx, ids));
}

async function fetchBulkChunk(ctx: ThreadContext, ids: readonly ThreadId[]): Promise<BulkFetched[]> {
  let results: ReadBatchResponse["results"];
  try {
    const items = ids.map((threadId) => ({ threadId }));
    const answer = await readJson(await ctx.client.api.threads.read.$post({ json: { items, heads: true } }));
    // Checked before use: a malformed answer fails its threads with a typed error, never a TypeError.
    const parsed = readBatchResponseSchema.safeParse(answer);
    if (!parsed.success) {
      throw new ClientError("UNEXPECTED_RESPONSE", "the batch answer is not a batch result", {
        source: "server",
      });
    }
    results = parsed.data.results;
  } catch (e) {
    const error = toClientError(e);
    if (!(error instanceof ClientError)) throw error;
    return ids.map((threadId) => ({ ok: false, threadId, error }));
  }
  const byId = new Map(results.map((r) => [r.threadId, r]));
  return ids.map((threadId): BulkFetched => {
    const r = byId.get(threadId);
    if (r === undefined || !r.ok) return { ok: false, threadId, error: notAnswered(r) };
    if (r.heads === undefined) {
      const error = new ClientError("UNEXPECTED_RESPONSE", "the answer has no heads", { source: "server" });
      return { ok: false, threadId, error };
    }
    const detail: ThreadDetail = { thread: r.thread, records: r.records, grants: r.grants };
    return { ok: true, threadId, detail, heads: r.heads };
  });
}
