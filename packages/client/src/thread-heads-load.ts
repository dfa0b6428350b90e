import { type EnvelopeHead, threadHeads } from "@briefgeheim/crypto";
import { headsResponseSchema, type StoredEnvelope } from "@briefgeheim/protocol";
import { ClientError } from "./errors.js";
import { servedHeadsOrNone } from "./heads-check.js";
import {
  type LoadedEpochs,
  loadThread,
  readerStreams,
  type ThreadContext,
  wipeEpochKeys,
} from "./thread-loader.js";
import { recallHeads } from "./thread-memory.js";
import { readJson } from "./transport.js";

/**
 * The heads of a thread for an epoch record, from the light heads endpoint (the newest envelope per
 * (stream, sender)) instead of every envelope: each is parsed, its signature verified, and it must
 * belong to this thread, be in a verified epoch and be signed by a reader of that epoch. If any fails,
 * the whole thread is loaded and verified instead (`loadThread`), so a damaged newest envelope is
 * handled as there (named lower, flag set). Bulk re-keying uses this; a stale result is refused by the
 * server (`STALE_VIEW`).
 *
 * @example
 * const heads = await loadHeads(ctx, epochs);
 */
export async function loadHeads(ctx: ThreadContext, epochs: LoadedEpochs): Promise<EnvelopeHead[]> {
  const { threadId } = epochs;
  const res = await readJson(await ctx.client.api.threads[":threadId"].heads.$get({ param: { threadId } }));
  const parsed = headsResponseSchema.safeParse(res);
  if (!parsed.success) {
    throw new ClientError("UNEXPECTED_RESPONSE", "the heads answer is not a list of envelopes", {
      source: "server",
    });
  }
  return verifyHeads(ctx, epochs, parsed.data.envelopes);
}

/**
 * The checks of `loadHeads` over heads fetched already (one thread of a batch read with `heads`,
 * `fetchBulkBatches`): the same checks, and the same whole-thread fallback when one fails.
 *
 * @example
 * const heads = await verifyHeads(ctx, epochs, result.heads);
 */
export async function verifyHeads(
  ctx: ThreadContext,
  epochs: LoadedEpochs,
  envelopes: readonly StoredEnvelope[],
): Promise<EnvelopeHead[]> {
  const served = servedHeadsOrNone(ctx.client.sodium, {
    helplineId: ctx.helplineId,
    threadId: epochs.threadId,
    records: epochs.records,
    streams: readerStreams(ctx.me),
    envelopes,
  });
  return finishHeads(ctx, epochs, served);
}

/**
 * What `verifyHeads` does after `checkServedHeads` (which a worker may run): served heads that did
 * not pass (`undefined`) make it read and verify the whole thread instead (`loadThread`), so a damaged
 * newest envelope is handled as there; heads that passed are combined with what this device remembers
 * and with the heads the current record names, both floors.
 *
 * @example
 * const heads = await finishHeads(ctx, epochs, served);
 */
export async function finishHeads(
  ctx: ThreadContext,
  epochs: LoadedEpochs,
  served: readonly EnvelopeHead[] | undefined,
): Promise<EnvelopeHead[]> {
  const { client } = ctx;
  const { sodium } = client;
  const { threadId } = epochs;
  if (served === undefined) {
    const thread = await loadThread(ctx, threadId);
    wipeEpochKeys(thread.keys);
    return [...thread.heads];
  }
  const streams = readerStreams(ctx.me);
  const remembered = recallHeads(client.memory, sodium, threadId, ctx.me.signing.publicKey);
  // The current record's heads are a floor too (a verified signer saw them): served heads that are
  // older, or none at all, can no longer make the new record name less than the record before it.
  const named = epochs.current.heads.filter((h) => streams.includes(h.stream));
  return threadHeads(sodium, [], { streams, remembered: [...remembered, ...named, ...served] });
}
