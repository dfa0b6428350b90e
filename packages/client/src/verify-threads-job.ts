import type { EnvelopeHead, Sodium, ThreadId, VerifiedPrefix } from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import { ClientError, toClientError } from "./errors.js";
import { openJobEpochs, type ReaderJobInput, type ReaderJobResult } from "./reader-job.js";
import { type CheckedEnvelopes, checkEnvelopes, type OpenedEpochs, wipeEpochKeys } from "./thread-open.js";
import { wireError } from "./work-wire.js";

/** One thread for the `verifyThreads` job: what the server sent and what this session knows of it. */
export interface VerifyThreadItem {
  readonly threadId: ThreadId;
  /** Epoch records and the reader's grants, base64url as the server sent them. */
  readonly records: readonly string[];
  readonly grants: readonly string[];
  /** Every envelope, server order. */
  readonly stored: readonly StoredEnvelope[];
  /** The heads this device remembers of the thread (`recallHeads`). */
  readonly remembered: readonly EnvelopeHead[];
  /** What this session verified of the thread before (`ThreadCache`). */
  readonly prefix?: VerifiedPrefix | undefined;
}

/** The `verifyThreads` job: threads of one helpline, read by one reader. */
export type VerifyThreadsInput = ReaderJobInput<VerifyThreadItem>;

/** Per thread, in the order given: its checked epochs and envelopes, or the typed refusal. */
export type VerifiedThreadItem = ReaderJobResult<{
  readonly opened: OpenedEpochs;
  readonly checked: CheckedEnvelopes;
}>;

/**
 * The cryptographic checks of reading threads (`openEpochs`, then `checkEnvelopes`), one after the
 * other: exactly what `verifyEpochs` and `verifyEnvelopes` run between their preparation and their
 * finish on the calling thread. A thread that does not verify is a typed failure (`THREAD_TAMPERED`,
 * `ROSTER_FORK`, ... with the crypto code in `details`); anything that is not a `ClientError` after
 * `toClientError` (a bug) fails the whole job.
 *
 * @example
 * const out = verifyThreadsJob(sodium, { helplineId, reader, streams, rosters, threads });
 */
export function verifyThreadsJob(sodium: Sodium, input: VerifyThreadsInput): VerifiedThreadItem[] {
  const { helplineId, rosters, streams } = input;
  return input.threads.map((t): VerifiedThreadItem => {
    const { threadId } = t;
    let opened: OpenedEpochs | undefined;
    try {
      opened = openJobEpochs(sodium, input, t);
      const checked = checkEnvelopes(sodium, {
        ...opened,
        helplineId,
        threadId,
        stored: t.stored,
        rosters,
        remembered: t.remembered,
        streams,
        prefix: t.prefix,
      });
      return { ok: true, threadId, opened, checked };
    } catch (e) {
      // A refused thread's keys (e.g. THREAD_TOO_LARGE after they were opened) are in no answer, so
      // they are overwritten here, in a worker and on the calling thread alike.
      if (opened !== undefined) wipeEpochKeys(opened.keys);
      const error = toClientError(e);
      if (error instanceof ClientError) return { ok: false, threadId, error: wireError(error) };
      throw error;
    }
  });
}

/**
 * Overwrites the copies of keys a worker held for the job, once its answer is posted: the reader's
 * box secret key and the epoch keys in the answer (the caller has its own copies from the message).
 * The epoch keys of a refused thread, and copies the history walk replaced, were overwritten by
 * `verifyThreadsJob` and `openEpochs` when they were dropped.
 *
 * @example
 * wipeVerifyThreads(input, output);
 */
export function wipeVerifyThreads(
  input: VerifyThreadsInput,
  output: readonly VerifiedThreadItem[] | undefined,
): void {
  input.reader.box.secretKey.fill(0);
  for (const item of output ?? []) {
    if (!item.ok) continue;
    for (const k of item.opened.keys.values()) {
      k.key.fill(0);
      k.staffKey?.fill(0);
    }
  }
}
