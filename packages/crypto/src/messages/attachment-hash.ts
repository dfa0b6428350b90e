import { labelBytes } from "../core/codec.js";
import { LABEL } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";

const HASH_BYTES = 32;

/** An incremental `H("briefgeheim/attachment-hash/v1", plaintext)`; call `final` exactly once. */
export interface AttachmentHasher {
  update(piece: Uint8Array): void;
  final(): Uint8Array;
}

/**
 * Hashes a file piece by piece (the signed metadata's `hash`).
 *
 * @example
 * const h = attachmentHasher(sodium);
 * for await (const piece of file) h.update(piece);
 * const hash = h.final();
 */
export function attachmentHasher(sodium: Sodium): AttachmentHasher {
  const state = sodium.crypto_generichash_init(null, HASH_BYTES);
  sodium.crypto_generichash_update(state, labelBytes(LABEL.attachmentHash));
  return {
    update: (piece) => sodium.crypto_generichash_update(state, piece),
    final: () => sodium.crypto_generichash_final(state, HASH_BYTES),
  };
}
