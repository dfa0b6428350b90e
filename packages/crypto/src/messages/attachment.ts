import type { AttachmentKey } from "../core/brand.js";
import { labelBytes } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { bytesEqual } from "../core/hash.js";
import { LABEL } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";

/** Plaintext bytes per secretstream chunk (PROTOCOL.md §6). */
export const ATTACHMENT_CHUNK_BYTES = 64 * 1024;
/** crypto_secretstream_xchacha20poly1305_ABYTES: tag byte and Poly1305 MAC per chunk. */
export const ATTACHMENT_ABYTES = 17;
/** Ciphertext bytes of every chunk but the last, so a reader can cut any byte stream back into chunks. */
export const ATTACHMENT_CIPHER_CHUNK_BYTES = ATTACHMENT_CHUNK_BYTES + ATTACHMENT_ABYTES;
/** The secretstream header, yielded first. */
export const ATTACHMENT_HEADER_BYTES = 24;
const KEY_BYTES = 32;
const HASH_BYTES = 32;

/** Size and hash of the plaintext, to put into the signed payload's attachment metadata. */
export interface AttachmentDigest {
  readonly size: number;
  readonly hash: Uint8Array;
}

export interface EncryptedAttachment {
  readonly key: AttachmentKey;
  /** Header, then one ciphertext chunk per 64 KiB of plaintext; iterate once. */
  readonly chunks: AsyncIterable<Uint8Array>;
  /** Resolves after `chunks` has been read to the end; rejects if reading fails or stops early. */
  readonly done: Promise<AttachmentDigest>;
}

type HashState = ReturnType<Sodium["crypto_generichash_init"]>;

/** `H("briefgeheim/attachment-hash/v1", ...)` computed piece by piece. */
function startHash(sodium: Sodium): HashState {
  const state = sodium.crypto_generichash_init(null, HASH_BYTES);
  sodium.crypto_generichash_update(state, labelBytes(LABEL.attachmentHash));
  return state;
}

/**
 * Encrypt an attachment as it streams by, holding one 64 KiB plaintext chunk at a time. A full chunk is
 * kept until more input arrives, so the last chunk (even a full one) carries TAG_FINAL.
 *
 * @example
 * const enc = encryptAttachment(sodium, file.stream(), { random: systemRandom(sodium) });
 * for await (const chunk of enc.chunks) await upload(chunk);
 * const { size, hash } = await enc.done; // with enc.key, goes into the signed payload
 */
export function encryptAttachment(
  sodium: Sodium,
  source: AsyncIterable<Uint8Array>,
  options: { readonly random: RandomSource },
): EncryptedAttachment {
  const key = options.random(KEY_BYTES) as AttachmentKey;
  let settle!: { resolve: (d: AttachmentDigest) => void; reject: (e: unknown) => void };
  const done = new Promise<AttachmentDigest>((resolve, reject) => {
    settle = { resolve, reject };
  });
  // A caller that only reads `chunks` sees the error there; do not also raise an unhandled rejection.
  done.catch(() => undefined);

  async function* run(): AsyncGenerator<Uint8Array, void, undefined> {
    const ad = labelBytes(LABEL.attachment);
    const { state, header } = sodium.crypto_secretstream_xchacha20poly1305_init_push(key);
    const hash = startHash(sodium);
    const buffer = new Uint8Array(ATTACHMENT_CHUNK_BYTES);
    const push = (chunk: Uint8Array, tag: number) =>
      sodium.crypto_secretstream_xchacha20poly1305_push(state, chunk, ad, tag);
    let filled = 0;
    let size = 0;
    let finished = false;
    try {
      yield header;
      for await (const piece of source) {
        sodium.crypto_generichash_update(hash, piece);
        size += piece.length;
        for (let at = 0; at < piece.length; ) {
          if (filled === ATTACHMENT_CHUNK_BYTES) {
            yield push(buffer, sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE);
            filled = 0;
          }
          const n = Math.min(ATTACHMENT_CHUNK_BYTES - filled, piece.length - at);
          buffer.set(piece.subarray(at, at + n), filled);
          filled += n;
          at += n;
        }
      }
      const last = push(buffer.subarray(0, filled), sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
      finished = true;
      settle.resolve({ size, hash: sodium.crypto_generichash_final(hash, HASH_BYTES) });
      yield last;
    } catch (e) {
      settle.reject(e);
      throw e;
    } finally {
      sodium.memzero(buffer);
      if (!finished) {
        sodium.crypto_generichash_final(hash, HASH_BYTES); // frees the wasm state
        settle.reject(new CryptoError("ATTACHMENT_TRUNCATED", "encryption stopped before the final chunk"));
      }
    }
  }
  return { key, chunks: run(), done };
}

/**
 * Decrypt an attachment from ciphertext in slices of any size, yielding plaintext chunk by chunk.
 * Throws `ATTACHMENT_TRUNCATED` when the stream ends without its final chunk, `ATTACHMENT_INVALID` for a
 * failed chunk (tampered, reordered), data after the final chunk, or a size or hash other than `meta`'s.
 * Treat the plaintext as complete only when the iteration ends without an error.
 *
 * @example
 * for await (const plain of decryptAttachment(sodium, download(), { key, size, hash })) out.push(plain);
 */
export async function* decryptAttachment(
  sodium: Sodium,
  source: AsyncIterable<Uint8Array>,
  meta: { readonly key: Uint8Array; readonly size: number; readonly hash: Uint8Array },
): AsyncGenerator<Uint8Array, void, undefined> {
  if (meta.key.length !== KEY_BYTES || meta.hash.length !== HASH_BYTES || !Number.isSafeInteger(meta.size)) {
    throw new CryptoError("MALFORMED", "attachment metadata needs a 32-byte key, a 32-byte hash and a size");
  }
  const ad = labelBytes(LABEL.attachment);
  const header = new Uint8Array(ATTACHMENT_HEADER_BYTES);
  const buffer = new Uint8Array(ATTACHMENT_CIPHER_CHUNK_BYTES);
  let state: ReturnType<Sodium["crypto_secretstream_xchacha20poly1305_init_pull"]> | undefined;
  let headerFilled = 0;
  let filled = 0;
  let size = 0;
  let final = false;
  const hash = startHash(sodium);
  let hashOpen = true;

  const open = (cipher: Uint8Array): Uint8Array => {
    let result: { message: Uint8Array; tag: number } | false = false;
    try {
      if (state !== undefined) result = sodium.crypto_secretstream_xchacha20poly1305_pull(state, cipher, ad);
    } catch {
      result = false;
    }
    if (result === false)
      throw new CryptoError("ATTACHMENT_INVALID", "an attachment chunk failed to decrypt");
    const { message, tag } = result;
    if (tag === sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL) final = true;
    else if (tag !== sodium.crypto_secretstream_xchacha20poly1305_TAG_MESSAGE) {
      throw new CryptoError("ATTACHMENT_INVALID", `unexpected chunk tag ${tag}`);
    }
    size += message.length;
    if (size > meta.size)
      throw new CryptoError("ATTACHMENT_INVALID", "attachment is larger than its metadata");
    sodium.crypto_generichash_update(hash, message);
    return message;
  };

  try {
    for await (const piece of source) {
      for (let at = 0; at < piece.length; ) {
        if (final) throw new CryptoError("ATTACHMENT_INVALID", "data after the final chunk");
        if (state === undefined) {
          const n = Math.min(ATTACHMENT_HEADER_BYTES - headerFilled, piece.length - at);
          header.set(piece.subarray(at, at + n), headerFilled);
          headerFilled += n;
          at += n;
          if (headerFilled === ATTACHMENT_HEADER_BYTES) {
            state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(header, meta.key);
          }
          continue;
        }
        const n = Math.min(ATTACHMENT_CIPHER_CHUNK_BYTES - filled, piece.length - at);
        buffer.set(piece.subarray(at, at + n), filled);
        filled += n;
        at += n;
        if (filled === ATTACHMENT_CIPHER_CHUNK_BYTES) {
          filled = 0;
          yield open(buffer);
        }
      }
    }
    if (!final) {
      // A leftover shorter than a full chunk must be the final chunk; a cut inside the header or before
      // any tag could fit is a truncation.
      if (state === undefined || filled < ATTACHMENT_ABYTES) {
        throw new CryptoError("ATTACHMENT_TRUNCATED", "attachment stream ended before its final chunk");
      }
      const message = open(buffer.subarray(0, filled));
      if (!final)
        throw new CryptoError("ATTACHMENT_TRUNCATED", "attachment stream ended without a final tag");
      yield message;
    }
    hashOpen = false;
    const digest = sodium.crypto_generichash_final(hash, HASH_BYTES);
    if (size !== meta.size)
      throw new CryptoError("ATTACHMENT_INVALID", "attachment size differs from its metadata");
    if (!bytesEqual(sodium, digest, meta.hash)) {
      throw new CryptoError("ATTACHMENT_INVALID", "attachment hash differs from its metadata");
    }
  } finally {
    if (hashOpen) sodium.crypto_generichash_final(hash, HASH_BYTES); // frees the wasm state
  }
}
