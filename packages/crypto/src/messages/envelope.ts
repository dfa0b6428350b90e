import { aeadOpen, aeadSeal } from "../core/aead.js";
import type { EnvelopeBytes, HelplineId, SignKeyPair, ThreadId } from "../core/brand.js";
import { concat, labelBytes } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import { padPlaintext, unpadPlaintext } from "../core/padme.js";
import type { RandomSource } from "../core/random.js";
import { signWithLabel, verifyWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type {
  Envelope,
  EnvelopeHead,
  EnvelopeKind,
  EnvelopeStream,
  EpochKeys,
  Payload,
} from "../core/types.js";
import {
  ENVELOPE_SIGNATURE_BYTES,
  encodeEnvelopeHeader,
  envelopeSignedPart,
  parseEnvelope,
} from "./envelope-codec.js";
import { sortHeads } from "./heads.js";
import { encodePayload, parsePayload } from "./payload.js";
import { encodeThreadEvent, parseThreadEvent } from "./thread-event.js";

const STATUS_BODIES: ReadonlySet<string> = new Set(["open", "waiting", "closed"]);
/** KDF subkey id of the message key under K_e or S_e (id 1 is the epoch history key). */
const MESSAGE_KEY_ID = 2;

/** The stream an envelope kind belongs to; seq and hash links count per sender per stream. */
export function envelopeStream(kind: EnvelopeKind): EnvelopeStream {
  return kind === "note" ? "staff" : "main";
}

/**
 * The AEAD key of an envelope: `KDF(K_e, 2, "bg-epoch")` for messages and status changes,
 * `KDF(S_e, 2, "bg-epoch")` for notes. A note in epoch 0 is refused (`WRONG_CONTEXT`: the help-seeker
 * made that epoch), and a caller without the staff key gets `NOT_A_READER`.
 *
 * @example
 * const key = messageKey(sodium, epochKeys, "message"); // 32 bytes; wipe after use
 */
export function messageKey(sodium: Sodium, keys: EpochKeys, kind: EnvelopeKind): Uint8Array {
  if (envelopeStream(kind) === "main") {
    return sodium.crypto_kdf_derive_from_key(32, MESSAGE_KEY_ID, KDF_CONTEXT.epoch, keys.key);
  }
  if (keys.epoch === 0) throw new CryptoError("WRONG_CONTEXT", "epoch 0 has no staff key: notes are refused");
  if (keys.staffKey === undefined) throw new CryptoError("NOT_A_READER", "notes need the epoch's staff key");
  return sodium.crypto_kdf_derive_from_key(32, MESSAGE_KEY_ID, KDF_CONTEXT.epoch, keys.staffKey);
}

export interface SealEnvelopeOptions {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  readonly epochKeys: EpochKeys;
  readonly kind: EnvelopeKind;
  readonly sender: SignKeyPair;
  /** Per sender per stream, from 1. */
  readonly seq: number;
  /**
   * The newest envelope of every sender (every stream the sender reads) the sender had seen and
   * verified, its own previous one of this stream included when `seq` > 1; any order (sorted here).
   */
  readonly heads: readonly EnvelopeHead[];
  readonly createdAt: number;
  readonly payload: Payload;
  readonly random: RandomSource;
}

export interface OpenedEnvelope {
  readonly envelope: Envelope;
  readonly payload: Payload;
}

/**
 * Encrypt then sign a message, note, status change or event (type 0x04).
 *
 * @example
 * const bytes = sealEnvelope(sodium, {
 *   helplineId, threadId, epochKeys, kind: "message", sender, seq: 1,
 *   heads: [], createdAt: Date.now(),
 *   payload: { subject: "Vraag", body: "Hallo", attachments: [] }, random: systemRandom(sodium),
 * });
 */
export function sealEnvelope(sodium: Sodium, o: SealEnvelopeOptions): EnvelopeBytes {
  checkKindPayload(o.kind, o.payload);
  const header = encodeEnvelopeHeader(sodium, {
    helplineId: o.helplineId,
    threadId: o.threadId,
    epoch: o.epochKeys.epoch,
    kind: o.kind,
    senderSignPk: o.sender.publicKey,
    seq: o.seq,
    createdAt: o.createdAt,
    heads: sortHeads(o.heads),
  });
  const padded = padPlaintext(encodeKindPayload(sodium, o.kind, o.payload));
  const key = messageKey(sodium, o.epochKeys, o.kind);
  try {
    const sealed = aeadSeal(sodium, key, padded, concat(labelBytes(LABEL.envelope), header), o.random);
    const signed = envelopeSignedPart(header, sealed);
    const signature = signWithLabel(sodium, LABEL.envelope, signed, o.sender.secretKey);
    return concat(signed, signature) as EnvelopeBytes;
  } finally {
    sodium.memzero(key);
    sodium.memzero(padded);
  }
}

/**
 * Parse, verify the sender's signature (`BAD_SIGNATURE`), then decrypt (`DECRYPT_FAILED`). This proves who
 * signed, not that the signer may write here: check the sender against the epoch's readers, or use
 * `verifyThread`, which does.
 *
 * @example
 * const { envelope, payload } = openEnvelope(sodium, bytes, epochKeys);
 */
export function openEnvelope(sodium: Sodium, bytes: Uint8Array, epochKeys: EpochKeys): OpenedEnvelope {
  const envelope = parseEnvelope(sodium, bytes);
  verifyEnvelopeSignature(sodium, bytes, envelope);
  return { envelope, payload: decryptEnvelope(sodium, envelope, epochKeys) };
}

/** Throws `BAD_SIGNATURE` unless `bytes` (parsed as `envelope`) are signed by its sender. */
export function verifyEnvelopeSignature(sodium: Sodium, bytes: Uint8Array, envelope: Envelope): void {
  verifyWithLabel(
    sodium,
    LABEL.envelope,
    bytes.subarray(0, bytes.length - ENVELOPE_SIGNATURE_BYTES),
    envelope.signature,
    envelope.senderSignPk,
  );
}

/**
 * Decrypt a parsed envelope whose signature was already checked. `WRONG_CONTEXT` when the keys are of
 * another epoch, `DECRYPT_FAILED` when the AEAD fails, `MALFORMED` for a bad padding or payload.
 */
export function decryptEnvelope(sodium: Sodium, envelope: Envelope, epochKeys: EpochKeys): Payload {
  if (envelope.epoch !== epochKeys.epoch) {
    throw new CryptoError(
      "WRONG_CONTEXT",
      `envelope is in epoch ${envelope.epoch}, keys are of ${epochKeys.epoch}`,
    );
  }
  const key = messageKey(sodium, epochKeys, envelope.kind);
  let padded: Uint8Array | undefined;
  try {
    const ad = concat(labelBytes(LABEL.envelope), encodeEnvelopeHeader(sodium, envelope));
    padded = aeadOpen(sodium, key, envelope.sealed, ad);
    const plain = unpadPlaintext(padded);
    const payload: Payload =
      envelope.kind === "event"
        ? { subject: "", body: "", attachments: [], event: parseThreadEvent(sodium, plain) }
        : parsePayload(sodium, plain);
    checkKindPayload(envelope.kind, payload);
    return payload;
  } finally {
    sodium.memzero(key);
    if (padded !== undefined) sodium.memzero(padded);
  }
}

/** An event envelope carries the event payload (§5.1), every other kind the message payload. */
function encodeKindPayload(sodium: Sodium, kind: EnvelopeKind, payload: Payload): Uint8Array {
  return kind === "event" && payload.event !== undefined
    ? encodeThreadEvent(sodium, payload.event)
    : encodePayload(sodium, payload);
}

/**
 * A status change carries `open`, `waiting` or `closed` as its body; an event carries an event and
 * nothing else, and no other kind carries one.
 */
function checkKindPayload(kind: EnvelopeKind, payload: Payload): void {
  if (kind === "status" && !STATUS_BODIES.has(payload.body)) {
    throw new CryptoError("MALFORMED", "a status body is open, waiting or closed");
  }
  const bare = payload.subject === "" && payload.body === "" && payload.attachments.length === 0;
  if (kind === "event" && (payload.event === undefined || !bare)) {
    throw new CryptoError("MALFORMED", "an event envelope carries an event and no text");
  }
  if (kind !== "event" && payload.event !== undefined) {
    throw new CryptoError("MALFORMED", "only an event envelope carries an event");
  }
}
