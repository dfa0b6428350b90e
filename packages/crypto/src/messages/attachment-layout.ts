import { CryptoError } from "../core/errors.js";
import { padme } from "../core/padme.js";

/** Plaintext bytes per chunk (PROTOCOL.md §6); every chunk but the last is exactly this long. */
export const ATTACHMENT_CHUNK_BYTES = 64 * 1024;
/** The Poly1305 tag each chunk adds. */
export const ATTACHMENT_TAG_BYTES = 16;
/** The ciphertext of every chunk but the last. */
export const ATTACHMENT_CIPHER_CHUNK_BYTES = ATTACHMENT_CHUNK_BYTES + ATTACHMENT_TAG_BYTES;
/**
 * Every attachment is padded to at least one full chunk: a short note and a small screenshot look
 * alike, and the floor costs at most 64 KiB per file.
 */
export const ATTACHMENT_MIN_PADDED_BYTES = ATTACHMENT_CHUNK_BYTES;
/** Sizes above 2^40 bytes are refused (no attachment limit comes near; keeps arithmetic exact). */
const MAX_SIZE = 2 ** 40;

/** What the server sees of an attachment: its padded size and chunk count. */
export interface AttachmentLayout {
  readonly size: number;
  readonly paddedSize: number;
  readonly chunkCount: number;
}

/**
 * The padded size (Padmé over `max(size, 64 KiB)`) and chunk count of a file of `size` bytes.
 * Throws `MALFORMED` for a negative or non-integer size, `TOO_LARGE` above 2^40.
 *
 * @example
 * attachmentLayout(10_000_000); // { size: 10000000, paddedSize: 10223616, chunkCount: 156 }
 */
export function attachmentLayout(size: number): AttachmentLayout {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new CryptoError("MALFORMED", `an attachment cannot be ${size} bytes`);
  }
  if (size > MAX_SIZE) throw new CryptoError("TOO_LARGE", "attachment exceeds 2^40 bytes");
  const paddedSize = padme(Math.max(size, ATTACHMENT_MIN_PADDED_BYTES));
  return { size, paddedSize, chunkCount: Math.ceil(paddedSize / ATTACHMENT_CHUNK_BYTES) };
}

/**
 * The exact ciphertext length of chunk `index` of a stream whose padded size is `paddedSize` (the
 * server checks uploads against it). Throws `MALFORMED` for an index outside the stream.
 *
 * @example
 * attachmentChunkCipherBytes(65536 + 2048, 1); // 2064
 */
export function attachmentChunkCipherBytes(paddedSize: number, index: number): number {
  const count = Math.ceil(paddedSize / ATTACHMENT_CHUNK_BYTES);
  if (!Number.isSafeInteger(index) || index < 0 || index >= count) {
    throw new CryptoError("MALFORMED", `chunk ${index} is outside a stream of ${count} chunks`);
  }
  const plain = Math.min(ATTACHMENT_CHUNK_BYTES, paddedSize - index * ATTACHMENT_CHUNK_BYTES);
  return plain + ATTACHMENT_TAG_BYTES;
}
