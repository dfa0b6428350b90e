import type {
  BoxKeyPair,
  BoxPublicKey,
  BoxSecretKey,
  SignKeyPair,
  SignPublicKey,
  SignSecretKey,
} from "./brand.js";
import { CryptoError } from "./errors.js";
import type { Sodium } from "./sodium.js";

const SEED_BYTES = 32;

/**
 * Ed25519 key pair from a 32-byte seed (`crypto_sign_seed_keypair`).
 *
 * @example
 * const { publicKey, secretKey } = signKeyPairFromSeed(sodium, seed);
 */
export function signKeyPairFromSeed(sodium: Sodium, seed: Uint8Array): SignKeyPair {
  if (seed.length !== SEED_BYTES) throw new CryptoError("MALFORMED", "a seed has 32 bytes");
  const kp = sodium.crypto_sign_seed_keypair(seed);
  return { publicKey: kp.publicKey as SignPublicKey, secretKey: kp.privateKey as SignSecretKey };
}

/**
 * X25519 key pair from a 32-byte seed (`crypto_box_seed_keypair`). Separate seeds for signing and
 * encryption: Ed25519 keys are never converted to X25519.
 *
 * @example
 * const { publicKey, secretKey } = boxKeyPairFromSeed(sodium, seed);
 */
export function boxKeyPairFromSeed(sodium: Sodium, seed: Uint8Array): BoxKeyPair {
  if (seed.length !== SEED_BYTES) throw new CryptoError("MALFORMED", "a seed has 32 bytes");
  const kp = sodium.crypto_box_seed_keypair(seed);
  return { publicKey: kp.publicKey as BoxPublicKey, secretKey: kp.privateKey as BoxSecretKey };
}
