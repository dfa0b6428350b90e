import type { EnvelopeHead, Sodium, ThreadId } from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import { ClientError, toClientError } from "./errors.js";
import { servedHeadsOrNone } from "./heads-check.js";
import { openJobEpochs, type ReaderJobInput, type ReaderJobResult } from "./reader-job.js";
import { type OpenedEpochs, wipeEpochKeys } from "./thread-open.js";
import { wireError } from "./work-wire.js";

/** One thread for the `openBulkThreads` job: its records, the reader's grants and the served heads. */
export interface OpenBulkItem {
  readonly threadId: ThreadId;
  /** Epoch records and the reader's grants, base64url as the server sent them. */
  readonly records: readonly string[];
  readonly grants: readonly string[];
  /** The newest envelope per (stream, sender), as the batch read served them. */
  readonly heads: readonly StoredEnvelope[];
}

/** The `openBulkThreads` job: threads of one helpline that a bulk re-key loads, read by one reader. */
export type OpenBulkInput = ReaderJobInput<OpenBulkItem>;

/**
 * Per thread, in the order given: its opened epochs and the served heads that passed their checks
 * (`undefined` when they did not: the caller reads the whole thread instead), or the typed refusal.
 */
export type OpenedBulkItem = ReaderJobResult<{
  readonly opened: OpenedEpochs;
  readonly heads: readonly EnvelopeHead[] | undefined;
}>;

/**
 * The cryptographic checks of a bulk re-key's loading (`runBulk`), one thread after the other:
 * `openEpochs` (the chain, the grants, the walk back) and `checkServedHeads`, exactly what
 * `verifyEpochs` and `verifyHeads` run between their preparation and their finish on the calling
 * thread. A thread whose epochs do not verify is a typed failure; anything that is not a
 * `ClientError` after `toClientError` (a bug) fails the whole job.
 *
 * @example
 * const out = openBulkThreadsJob(sodium, { helplineId, reader, streams, rosters, threads });
 */
export function openBulkThreadsJob(sodium: Sodium, input: OpenBulkInput): OpenedBulkItem[] {
  const { helplineId, streams } = input;
  return input.threads.map((t): OpenedBulkItem => {
    const { threadId } = t;
    let opened: OpenedEpochs;
    try {
      opened = openJobEpochs(sodium, input, t);
    } catch (e) {
      const error = toClientError(e);
      if (error instanceof ClientError) return { ok: false, threadId, error: wireError(error) };
      throw error;
    }
    let heads: EnvelopeHead[] | undefined;
    try {
      heads = servedHeadsOrNone(sodium, {
        helplineId,
        threadId,
        records: opened.records,
        streams,
        envelopes: t.heads,
      });
    } catch (e) {
      wipeEpochKeys(opened.keys); // a bug fails the whole job: the keys opened here go to no one
      throw e;
    }
    return { ok: true, threadId, opened, heads };
  });
}

/**
 * Overwrites the copies of keys a worker held for the job, once its answer is posted: the reader's
 * box secret key and the epoch keys in the answer (the caller has its own copies from the message).
 *
 * @example
 * wipeOpenBulk(input, output);
 */
export function wipeOpenBulk(input: OpenBulkInput, output: readonly OpenedBulkItem[] | undefined): void {
  input.reader.box.secretKey.fill(0);
  for (const item of output ?? []) if (item.ok) wipeEpochKeys(item.opened.keys);
}
