import { CryptoError } from "../core/errors.js";
import { ATTACHMENT_STREAM } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";

/** Bytes of the random nonce prefix; with `u32 index || u8 last` it makes the 24-byte nonce. */
export const ATTACHMENT_NONCE_PREFIX_BYTES = 19;
/** `u8 version=0x02 | u8 type=0x08 | fixed19 noncePrefix`. */
export const ATTACHMENT_HEADER_BYTES = 2 + ATTACHMENT_NONCE_PREFIX_BYTES;

/**
 * A new stream header with a random nonce prefix (PROTOCOL.md §6).
 *
 * @example
 * const header = newAttachmentHeader(systemRandom(sodium)); // 21 bytes, 0x02 0x08 ...
 */
export function newAttachmentHeader(random: RandomSource): Uint8Array {
  const header = new Uint8Array(ATTACHMENT_HEADER_BYTES);
  header[0] = ATTACHMENT_STREAM.version;
  header[1] = ATTACHMENT_STREAM.type;
  header.set(random(ATTACHMENT_NONCE_PREFIX_BYTES), 2);
  return header;
}

/**
 * Checks a stream header and returns its nonce prefix. The v1 layout (a bare 24-byte secretstream
 * header, never used on the wire) and any other version are `UNSUPPORTED_VERSION`; another structure
 * type is `WRONG_TYPE`.
 *
 * @example
 * const prefix = parseAttachmentHeader(header); // 19 bytes
 */
export function parseAttachmentHeader(header: Uint8Array): Uint8Array {
  if (header.length !== ATTACHMENT_HEADER_BYTES || header[0] !== ATTACHMENT_STREAM.version) {
    throw new CryptoError(
      "UNSUPPORTED_VERSION",
      "not an attachment stream of version 2 (the v1 secretstream layout is not supported)",
    );
  }
  if (header[1] !== ATTACHMENT_STREAM.type) {
    throw new CryptoError("WRONG_TYPE", `type ${header[1]} is not an attachment stream header`);
  }
  return header.subarray(2);
}
