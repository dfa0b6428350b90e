import {
  bytesEqual,
  type EnvelopeHead,
  type EnvelopeStream,
  type EpochRecord,
  fromBase64,
  type HelplineId,
  parseEnvelope,
  type Sodium,
  type ThreadId,
  verifyEnvelopeSignature,
} from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import { ClientError } from "./errors.js";

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
export function checkServedHeads(
  sodium: Sodium,
  input: {
    readonly helplineId: HelplineId;
    readonly threadId: ThreadId;
    /** The verified epoch chain, by epoch number. */
    readonly records: readonly EpochRecord[];
    readonly streams: readonly EnvelopeStream[];
    readonly envelopes: readonly StoredEnvelope[];
  },
): EnvelopeHead[] {
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
