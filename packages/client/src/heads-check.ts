import {
  bytesEqual,
  type EnvelopeHead,
  type EnvelopeStream,
  type EpochRecord,
  fromBase64,
  type HelplineId,
  isCryptoError,
  parseEnvelope,
  type Sodium,
  type ThreadId,
  verifyEnvelopeSignature,
} from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import { ClientError, isClientError } from "./errors.js";

/** What `checkServedHeads` reads: the thread, its verified records, the reader's streams, the heads. */
export interface ServedHeadsInput {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  /** The verified epoch chain, by epoch number. */
  readonly records: readonly EpochRecord[];
  readonly streams: readonly EnvelopeStream[];
  readonly envelopes: readonly StoredEnvelope[];
}

/**
 * The cryptographic checks of the heads a server served for a thread (the newest envelope per
 * (stream, sender)), with no client, network or device memory, so a worker of the staff app's pool
 * runs the same code (`openBulkThreads`): each head parsed, its signature verified, of this thread and
 * helpline, in a verified epoch, signed by a reader of that epoch, one per (stream, sender). Heads of
 * a stream the reader does not read are left out. Throws a `CryptoError` or `THREAD_TAMPERED`; the
 * caller then reads the whole thread instead (`verifyHeads`).
 *
 * @example
 * const heads = checkServedHeads(sodium, { helplineId, threadId, records, streams, envelopes });
 */
export function checkServedHeads(sodium: Sodium, input: ServedHeadsInput): EnvelopeHead[] {
  const { helplineId, threadId, records, streams } = input;
  const heads: EnvelopeHead[] = [];
  for (const stored of input.envelopes) {
    const bytes = fromBase64(sodium, stored.envelope);
    const env = parseEnvelope(sodium, bytes);
    verifyEnvelopeSignature(sodium, bytes, env);
    const record = records[env.epoch];
    const reader = record?.readers.find((r) => bytesEqual(sodium, r.signPk, env.senderSignPk));
    if (env.helplineId !== helplineId || env.threadId !== threadId || reader === undefined) {
      throw new ClientError("THREAD_TAMPERED", "a head is not an envelope of this thread");
    }
    const stream: EnvelopeStream = env.kind === "note" ? "staff" : "main";
    if (!streams.includes(stream)) continue;
    if (heads.some((h) => h.stream === stream && bytesEqual(sodium, h.signPk, env.senderSignPk))) {
      throw new ClientError("THREAD_TAMPERED", "two heads for one sender");
    }
    heads.push({ stream, signPk: env.senderSignPk, seq: env.seq, hash: env.hash, pastDamaged: false });
  }
  return heads;
}

/**
 * `checkServedHeads`, with a refusal (a `CryptoError` or `THREAD_TAMPERED`) as `undefined`: the
 * served heads are not trusted and the caller reads the whole thread instead. Anything else is a bug
 * and is thrown. The one rule for `verifyHeads` and the `openBulkThreads` job alike.
 *
 * @example
 * const served = servedHeadsOrNone(sodium, input); // undefined: read the thread in full
 */
export function servedHeadsOrNone(sodium: Sodium, input: ServedHeadsInput): EnvelopeHead[] | undefined {
  try {
    return checkServedHeads(sodium, input);
  } catch (e) {
    if (isCryptoError(e) || isClientError(e, "THREAD_TAMPERED")) return undefined;
    throw e;
  }
}
