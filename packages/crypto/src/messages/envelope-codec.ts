import type { EnvelopeBytes, HelplineId, SignPublicKey, ThreadId } from "../core/brand.js";
import { concat, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { idFromBytes, idToBytes } from "../core/ids.js";
import { LABEL, THREAD_WIRE_VERSION, WIRE_TYPE } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";
import type { Envelope, EnvelopeHeader, EnvelopeKind } from "../core/types.js";
import { readHeads, writeHeads } from "./heads.js";

/** `version | type | helplineId | threadId | epoch | kind | senderSignPk | seq | createdAt | u8 headCount`. */
export const ENVELOPE_HEADER_BYTES = 2 + 16 + 16 + 4 + 1 + 32 + 4 + 8 + 1;
/** One head: `u8 stream | u8 flags | fixed32 signPk | u32 seq | fixed32 envelopeHash`. */
export const ENVELOPE_HEAD_BYTES = 1 + 1 + 32 + 4 + 32;
export const ENVELOPE_SIGNATURE_BYTES = 64;
export const ENVELOPE_HASH_BYTES = 32;

const KIND_CODE: Readonly<Record<EnvelopeKind, number>> = { message: 1, note: 2, status: 3, event: 4 };
const KIND_BY_CODE: Readonly<Record<number, EnvelopeKind>> = {
  1: "message",
  2: "note",
  3: "status",
  4: "event",
};

/**
 * The header bytes of an envelope (PROTOCOL.md §5), from the version byte to the last head. They are the
 * AEAD associated data (after the label) and the start of the signed bytes, so version, type and the
 * heads (what the author had seen) are bound.
 */
export function encodeEnvelopeHeader(sodium: Sodium, header: EnvelopeHeader): Uint8Array {
  if (header.seq < 1) throw new CryptoError("MALFORMED", "seq counts from 1");
  const w = new Writer()
    .u8(THREAD_WIRE_VERSION)
    .u8(WIRE_TYPE.envelope)
    .fixed(idToBytes(sodium, header.helplineId), 16)
    .fixed(idToBytes(sodium, header.threadId), 16)
    .u32(header.epoch)
    .u8(KIND_CODE[header.kind])
    .fixed(header.senderSignPk, 32)
    .u32(header.seq)
    .u64(header.createdAt);
  return writeHeads(w, header.heads).finish();
}

/** The bytes the sender signs: `header || u32 len || sealed`. */
export function envelopeSignedPart(headerBytes: Uint8Array, sealed: Uint8Array): Uint8Array {
  return concat(headerBytes, new Writer().bytes(sealed).finish());
}

/** `signedPart || signature`: the full envelope. */
export function encodeEnvelope(
  sodium: Sodium,
  envelope: Pick<Envelope, keyof EnvelopeHeader | "sealed" | "signature">,
): EnvelopeBytes {
  if (envelope.signature.length !== ENVELOPE_SIGNATURE_BYTES) {
    throw new CryptoError("MALFORMED", "an envelope signature is 64 bytes");
  }
  const signed = envelopeSignedPart(encodeEnvelopeHeader(sodium, envelope), envelope.sealed);
  return concat(signed, envelope.signature) as EnvelopeBytes;
}

/**
 * Parse an envelope and compute its hash. Checks structure only, not the signature: see `openEnvelope`
 * and `verifyThread`. Throws `UNSUPPORTED_VERSION`, `WRONG_TYPE` or `MALFORMED`.
 *
 * @example
 * const env = parseEnvelope(sodium, bytes);
 * env.seq; env.hash; // 32-byte envelope hash
 */
export function parseEnvelope(sodium: Sodium, bytes: Uint8Array): Envelope {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version === 1) {
    throw new CryptoError(
      "UNSUPPORTED_VERSION",
      "this envelope was made by protocol 1, which this version no longer reads",
    );
  }
  if (version !== THREAD_WIRE_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `envelope version ${version} is not supported`);
  }
  const type = r.u8();
  if (type !== WIRE_TYPE.envelope)
    throw new CryptoError("WRONG_TYPE", `expected an envelope, got type ${type}`);
  const helplineId = idFromBytes<HelplineId>(sodium, r.fixed(16));
  const threadId = idFromBytes<ThreadId>(sodium, r.fixed(16));
  const epoch = r.u32();
  const kindCode = r.u8();
  const kind = KIND_BY_CODE[kindCode];
  if (kind === undefined) throw new CryptoError("MALFORMED", `unknown envelope kind ${kindCode}`);
  const senderSignPk = r.fixed(32) as SignPublicKey;
  const seq = r.u32();
  if (seq < 1) throw new CryptoError("MALFORMED", "seq counts from 1");
  const createdAt = r.u64();
  const heads = readHeads(r);
  const sealed = r.bytes();
  const signature = r.fixed(ENVELOPE_SIGNATURE_BYTES);
  r.end();
  return {
    helplineId,
    threadId,
    epoch,
    kind,
    senderSignPk,
    seq,
    createdAt,
    heads,
    sealed,
    signature,
    hash: envelopeHash(sodium, bytes),
  };
}

/** `H("briefgeheim/envelope-hash/v2", all bytes including the signature)`. */
export function envelopeHash(sodium: Sodium, bytes: Uint8Array): Uint8Array {
  return labelledHash(sodium, LABEL.envelopeHash, bytes);
}
