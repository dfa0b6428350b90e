import { CryptoError } from "../core/errors.js";
import { bytesEqual } from "../core/hash.js";
import type { Sodium } from "../core/sodium.js";
import { openAttachmentChunk } from "./attachment-chunk.js";
import { attachmentHasher } from "./attachment-hash.js";
import { ATTACHMENT_HEADER_BYTES, parseAttachmentHeader } from "./attachment-header.js";
import {
  ATTACHMENT_CHUNK_BYTES,
  type AttachmentLayout,
  attachmentChunkCipherBytes,
  attachmentLayout,
} from "./attachment-layout.js";

const KEY_BYTES = 32;
const HASH_BYTES = 32;

/** The signed metadata a stream is checked against. */
export interface AttachmentCheck {
  readonly key: Uint8Array;
  readonly size: number;
  readonly hash: Uint8Array;
}

/**
 * Why chunk `index` did not open there: if it opens at another position of this stream, it was moved
 * (`ATTACHMENT_REORDERED`: reordered, dropped or repeated); otherwise it was altered or belongs to
 * another attachment (`ATTACHMENT_INVALID`). Costs one attempt per chunk, only on failure.
 */
function diagnose(
  sodium: Sodium,
  meta: AttachmentCheck,
  header: Uint8Array,
  layout: AttachmentLayout,
  index: number,
  cipher: Uint8Array,
): CryptoError {
  for (let j = 0; j < layout.chunkCount; j++) {
    if (j === index) continue;
    try {
      openAttachmentChunk(sodium, meta.key, header, { index: j, last: j === layout.chunkCount - 1 }, cipher);
    } catch {
      continue;
    }
    return new CryptoError(
      "ATTACHMENT_REORDERED",
      `chunk ${j} of this attachment was served as chunk ${index}`,
      {
        details: { expected: index, found: j },
      },
    );
  }
  return new CryptoError(
    "ATTACHMENT_INVALID",
    `chunk ${index} was altered or belongs to another attachment`,
    {
      details: { index },
    },
  );
}

/**
 * Decrypts an attachment stream (`header || chunk 0 || chunk 1 ...`, in slices of any size) against its
 * signed metadata, yielding the file's plaintext chunk by chunk (padding removed). The chunk count and
 * every chunk's length follow from `meta.size`. Throws `UNSUPPORTED_VERSION` (not a v2 header, e.g. the
 * v1 secretstream layout), `ATTACHMENT_TRUNCATED` (the stream ends early), `ATTACHMENT_REORDERED` (a
 * chunk of this stream in another place), `ATTACHMENT_INVALID` (a chunk that opens nowhere, or data after
 * the last), `ATTACHMENT_MISMATCH` (non-zero padding, or a hash other than `meta.hash`). Treat the
 * plaintext as complete only when the iteration ends without an error.
 *
 * @example
 * const parts: Uint8Array[] = [];
 * for await (const p of decryptAttachment(sodium, download(), meta)) parts.push(p);
 * const blob = new Blob(parts, { type: meta.mediaType });
 */
export async function* decryptAttachment(
  sodium: Sodium,
  source: AsyncIterable<Uint8Array>,
  meta: AttachmentCheck,
): AsyncGenerator<Uint8Array, void, undefined> {
  if (meta.key.length !== KEY_BYTES || meta.hash.length !== HASH_BYTES) {
    throw new CryptoError("MALFORMED", "attachment metadata needs a 32-byte key and a 32-byte hash");
  }
  const layout = attachmentLayout(meta.size);
  const header = new Uint8Array(ATTACHMENT_HEADER_BYTES);
  let headerFilled = 0;
  let index = 0;
  let need = attachmentChunkCipherBytes(layout.paddedSize, 0);
  let buffer = new Uint8Array(need);
  let filled = 0;
  let produced = 0;
  const hasher = attachmentHasher(sodium);
  let hashOpen = true;
  try {
    for await (const piece of source) {
      for (let at = 0; at < piece.length; ) {
        if (headerFilled < ATTACHMENT_HEADER_BYTES) {
          const n = Math.min(ATTACHMENT_HEADER_BYTES - headerFilled, piece.length - at);
          header.set(piece.subarray(at, at + n), headerFilled);
          headerFilled += n;
          at += n;
          if (headerFilled === ATTACHMENT_HEADER_BYTES) parseAttachmentHeader(header);
          continue;
        }
        if (index >= layout.chunkCount) {
          throw new CryptoError("ATTACHMENT_INVALID", "data after the last chunk");
        }
        const n = Math.min(need - filled, piece.length - at);
        buffer.set(piece.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled < need) continue;
        const last = index === layout.chunkCount - 1;
        let plain: Uint8Array;
        try {
          plain = openAttachmentChunk(sodium, meta.key, header, { index, last }, buffer);
        } catch {
          throw diagnose(sodium, meta, header, layout, index, buffer);
        }
        // The file's bytes first; the rest of the chunk must be the zero padding.
        const real = Math.max(0, Math.min(plain.length, layout.size - index * ATTACHMENT_CHUNK_BYTES));
        let filler = 0;
        for (let i = real; i < plain.length; i++) filler |= plain[i]!;
        if (filler !== 0) throw new CryptoError("ATTACHMENT_MISMATCH", "the padding is not all zeros");
        const out = plain.subarray(0, real);
        hasher.update(out);
        produced += real;
        index++;
        filled = 0;
        if (index < layout.chunkCount) {
          need = attachmentChunkCipherBytes(layout.paddedSize, index);
          if (need !== buffer.length) buffer = new Uint8Array(need);
        }
        if (out.length > 0) yield out;
      }
    }
    if (headerFilled < ATTACHMENT_HEADER_BYTES || index < layout.chunkCount) {
      throw new CryptoError(
        "ATTACHMENT_TRUNCATED",
        `the stream ended after ${index} of ${layout.chunkCount} chunks`,
        { details: { chunks: index, expected: layout.chunkCount } },
      );
    }
    hashOpen = false;
    const digest = hasher.final();
    if (produced !== meta.size || !bytesEqual(sodium, digest, meta.hash)) {
      throw new CryptoError("ATTACHMENT_MISMATCH", "the file differs from its signed size or hash");
    }
  } finally {
    if (hashOpen) hasher.final(); // frees the wasm state
  }
}
