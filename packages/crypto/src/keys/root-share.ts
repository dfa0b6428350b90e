import type { BoxKeyPair, BoxPublicKey, RootPublicKey } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { bytesEqual } from "../core/hash.js";
import type { RandomSource } from "../core/random.js";
import { sealToBox } from "../core/sealed-box.js";
import type { Sodium } from "../core/sodium.js";
import { type RootKey, rootKeyFromSeed } from "./root-key.js";

/**
 * Hand the helpline root seed to another supervisor: a sealed box to their X25519 key. A sealed
 * box does not say who made it, so the receiver accepts the seed only when its public key is the
 * pinned root (`openSharedRoot`): a server that swaps the box gains nothing.
 *
 * @example
 * const sealed = shareRootSeed(sodium, root.seed, newSupervisor.boxPk, systemRandom(sodium));
 */
export function shareRootSeed(
  sodium: Sodium,
  seed: Uint8Array,
  recipient: BoxPublicKey,
  random: RandomSource,
): Uint8Array {
  rootKeyFromSeed(sodium, seed); // validates the length
  return sealToBox(sodium, seed, recipient, random);
}

/** Opens a shared root seed; throws DECRYPT_FAILED, or ROSTER_WRONG_ROOT when it is not the pinned root. */
export function openSharedRoot(
  sodium: Sodium,
  sealed: Uint8Array,
  myBox: BoxKeyPair,
  pinnedRoot: RootPublicKey,
): RootKey {
  let seed: Uint8Array;
  try {
    seed = sodium.crypto_box_seal_open(sealed, myBox.publicKey, myBox.secretKey);
  } catch (cause) {
    throw new CryptoError("DECRYPT_FAILED", "the shared root key does not open", { cause });
  }
  const root = rootKeyFromSeed(sodium, seed);
  sodium.memzero(seed);
  if (!bytesEqual(sodium, root.keyPair.publicKey, pinnedRoot)) {
    throw new CryptoError("ROSTER_WRONG_ROOT", "the shared root key is not the helpline's pinned root");
  }
  return root;
}
