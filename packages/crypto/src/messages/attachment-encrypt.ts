import type { AttachmentKey } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import { sealAttachmentChunk } from "./attachment-chunk.js";
import { newAttachmentHeader } from "./attachment-header.js";
import { ATTACHMENT_CHUNK_BYTES, type AttachmentLayout, attachmentLayout } from "./attachment-layout.js";

const KEY_BYTES = 32;

/** Everything needed to make any chunk of one attachment: its key, header and layout. */
export interface AttachmentPlan extends AttachmentLayout {
  readonly key: AttachmentKey;
  readonly header: Uint8Array;
}

/**
 * A new plan for a file of `size` bytes: a random 32-byte key and a header with a random nonce prefix.
 *
 * @example
 * const plan = planAttachment(sodium, file.size, systemRandom(sodium));
 */
export function planAttachment(_sodium: Sodium, size: number, random: RandomSource): AttachmentPlan {
  const layout = attachmentLayout(size);
  return { ...layout, key: random(KEY_BYTES) as AttachmentKey, header: newAttachmentHeader(random) };
}

/**
 * The file bytes chunk `index` holds: `[start, end)` of the plaintext (empty for a chunk of padding
 * only). The SDK reads exactly these from the `Blob`.
 */
export function attachmentChunkRange(
  layout: AttachmentLayout,
  index: number,
): { readonly start: number; readonly end: number } {
  const start = Math.min(index * ATTACHMENT_CHUNK_BYTES, layout.size);
  return { start, end: Math.min(start + ATTACHMENT_CHUNK_BYTES, layout.size) };
}

/**
 * Encrypts chunk `index` from the file bytes `attachmentChunkRange` names (`plain`), zero-filled to the
 * chunk's padded length. Deterministic: the same plan, index and bytes give the same ciphertext, so an
 * upload resumes after a reload without the earlier state. Throws `MALFORMED` when `plain` is not
 * exactly that range's length or the index is outside the stream.
 *
 * @example
 * for (let i = 0; i < plan.chunkCount; i++) {
 *   const { start, end } = attachmentChunkRange(plan, i);
 *   await put(i, encryptAttachmentChunk(sodium, plan, i, await read(start, end)));
 * }
 */
export function encryptAttachmentChunk(
  sodium: Sodium,
  plan: AttachmentLayout & { readonly key: Uint8Array; readonly header: Uint8Array },
  index: number,
  plain: Uint8Array,
): Uint8Array {
  if (!Number.isSafeInteger(index) || index < 0 || index >= plan.chunkCount) {
    throw new CryptoError("MALFORMED", `chunk ${index} is outside a stream of ${plan.chunkCount} chunks`);
  }
  const { start, end } = attachmentChunkRange(plan, index);
  if (plain.length !== end - start) {
    throw new CryptoError("MALFORMED", `chunk ${index} holds ${end - start} file bytes, not ${plain.length}`);
  }
  const chunkBytes = Math.min(ATTACHMENT_CHUNK_BYTES, plan.paddedSize - index * ATTACHMENT_CHUNK_BYTES);
  const padded = plain.length === chunkBytes ? plain : new Uint8Array(chunkBytes);
  if (padded !== plain) padded.set(plain);
  try {
    return sealAttachmentChunk(
      sodium,
      plan.key,
      plan.header,
      { index, last: index === plan.chunkCount - 1 },
      padded,
    );
  } finally {
    if (padded !== plain) sodium.memzero(padded);
  }
}
