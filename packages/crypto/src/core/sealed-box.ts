import type { BoxPublicKey } from "./brand.js";
import { concat } from "./codec.js";
import { CryptoError } from "./errors.js";
import type { RandomSource } from "./random.js";
import type { Sodium } from "./sodium.js";

/** Bytes a sealed box adds: ephemeral public key 32 + tag 16. */
export const SEALED_BOX_OVERHEAD = 48;

/**
 * `crypto_box_seal`, built from the same libsodium primitives so that the ephemeral key comes from
 * `random` (deterministic test vectors) rather than from libsodium's internal generator:
 * `epk || crypto_box_easy(m, nonce = BLAKE2b-192(epk || pk), pk, esk)`. The output opens with
 * `crypto_box_seal_open`; tests assert that.
 */
export function sealToBox(
  sodium: Sodium,
  message: Uint8Array,
  recipient: BoxPublicKey,
  random: RandomSource,
): Uint8Array {
  if (recipient.length !== sodium.crypto_box_PUBLICKEYBYTES)
    throw new CryptoError("MALFORMED", "bad box key");
  const ephemeral = sodium.crypto_box_seed_keypair(random(sodium.crypto_box_SEEDBYTES));
  const nonce = sealedBoxNonce(sodium, ephemeral.publicKey, recipient);
  const boxed = sodium.crypto_box_easy(message, nonce, recipient, ephemeral.privateKey);
  sodium.memzero(ephemeral.privateKey);
  return concat(ephemeral.publicKey, boxed);
}

/** A sealed box's nonce, as libsodium derives it: `BLAKE2b-192(epk || recipient pk)`. */
export function sealedBoxNonce(sodium: Sodium, epk: Uint8Array, recipient: Uint8Array): Uint8Array {
  return sodium.crypto_generichash(sodium.crypto_box_NONCEBYTES, concat(epk, recipient), null);
}
