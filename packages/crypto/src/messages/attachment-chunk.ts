import type { AttachmentKey } from "../core/brand.js";
import { concat, labelBytes } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { ATTACHMENT_STREAM } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";
import { parseAttachmentHeader } from "./attachment-header.js";

/** Which chunk: its index and whether it is the last of the stream (both bound into nonce and AD). */
export interface ChunkPosition {
  readonly index: number;
  readonly last: boolean;
}

/** `u32 index || u8 last`. */
function positionBytes(p: ChunkPosition): Uint8Array {
  if (!Number.isInteger(p.index) || p.index < 0 || p.index > 0xffffffff) {
    throw new CryptoError("MALFORMED", `chunk index ${p.index} out of range`);
  }
  const out = new Uint8Array(5);
  new DataView(out.buffer).setUint32(0, p.index);
  out[4] = p.last ? 1 : 0;
  return out;
}

/** Nonce `prefix || u32 index || u8 last` and AD `L(attachment/v2) || header || u32 index || u8 last`. */
function nonceAndAd(header: Uint8Array, p: ChunkPosition): { nonce: Uint8Array; ad: Uint8Array } {
  const prefix = parseAttachmentHeader(header);
  const pos = positionBytes(p);
  return { nonce: concat(prefix, pos), ad: concat(labelBytes(ATTACHMENT_STREAM.label), header, pos) };
}

/**
 * Seals one chunk (XChaCha20-Poly1305-IETF): deterministic in (key, header, position, plaintext), so
 * a resumed upload re-makes chunk n exactly.
 *
 * @example
 * const c = sealAttachmentChunk(sodium, key, header, { index: 0, last: true }, padded);
 */
export function sealAttachmentChunk(
  sodium: Sodium,
  key: AttachmentKey | Uint8Array,
  header: Uint8Array,
  position: ChunkPosition,
  plaintext: Uint8Array,
): Uint8Array {
  const { nonce, ad } = nonceAndAd(header, position);
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
}

/**
 * Opens one chunk at `position`; throws `ATTACHMENT_INVALID` when it does not open there (altered,
 * another position, another stream).
 */
export function openAttachmentChunk(
  sodium: Sodium,
  key: Uint8Array,
  header: Uint8Array,
  position: ChunkPosition,
  cipher: Uint8Array,
): Uint8Array {
  const { nonce, ad } = nonceAndAd(header, position);
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(null, cipher, ad, nonce, key);
  } catch (cause) {
    throw new CryptoError("ATTACHMENT_INVALID", `chunk ${position.index} does not open`, { cause });
  }
}
