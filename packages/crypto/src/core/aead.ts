import { CryptoError } from "./errors.js";
import type { RandomSource } from "./random.js";
import type { Sodium } from "./sodium.js";

export const NONCE_BYTES = 24;

/** XChaCha20-Poly1305 with a fresh random 192-bit nonce; returns `nonce || ciphertext`. */
export function aeadSeal(
  sodium: Sodium,
  key: Uint8Array,
  plaintext: Uint8Array,
  ad: Uint8Array,
  random: RandomSource,
): Uint8Array {
  const nonce = random(NONCE_BYTES);
  const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plaintext, ad, null, nonce, key);
  const out = new Uint8Array(NONCE_BYTES + ct.length);
  out.set(nonce);
  out.set(ct, NONCE_BYTES);
  return out;
}

/** Opens `nonce || ciphertext`; throws `DECRYPT_FAILED` (never returns null). */
export function aeadOpen(sodium: Sodium, key: Uint8Array, sealed: Uint8Array, ad: Uint8Array): Uint8Array {
  if (sealed.length < NONCE_BYTES + sodium.crypto_aead_xchacha20poly1305_ietf_ABYTES) {
    throw new CryptoError("DECRYPT_FAILED", "ciphertext too short");
  }
  try {
    return sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      sealed.subarray(NONCE_BYTES),
      ad,
      sealed.subarray(0, NONCE_BYTES),
      key,
    );
  } catch (cause) {
    throw new CryptoError("DECRYPT_FAILED", "authenticated decryption failed", { cause });
  }
}
