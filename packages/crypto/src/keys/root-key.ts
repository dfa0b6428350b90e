/**
 * Helpline root key (PROTOCOL.md §3): an Ed25519 key pair from a 32-byte seed, made in the first
 * supervisor's browser. It signs rosters. Two ways to keep the seed:
 *
 * 1. Root recovery text (printed and locked away), the seed in the style of a recovery sheet:
 *
 *      56 Crockford characters, 14 groups of 4 joined by "-":
 *      ┌──────────────────────────────────────────┬─────────────────┐
 *      │ seed: 52 chars = 256 bits + 4 zero bits   │ check: 4 chars  │
 *      └──────────────────────────────────────────┴─────────────────┘
 *      check = first 20 bits of H("briefgeheim/recovery-checksum/v1", ascii(52 seed chars)).
 *    The padding bits must be zero (one seed, one text). Parsing is tolerant like codes and recovery
 *    keys; any error is `INVALID_RECOVERY_KEY`. The length (56 vs 36) keeps it apart from a staff key.
 *
 * 2. Wrapped for its owner (type 0x06, kind 3 "root-for-owner"), uploaded to the server:
 *      rootWrapKey = KDF(accountKey, 5, "bg-acct_")  (next id after the four of §2)
 *    so the owner can sign rosters from any device after signing in.
 */
import type { AccountKey, Brand, RootPublicKey, RootSecretKey, WrappedKeyBytes } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { KDF_CONTEXT } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import { decodeRecoveryText, encodeRecoveryText } from "./recovery-text.js";
import { unwrapUnderKey, wrapUnderKey } from "./wrapped-key.js";

/** The printed form of a root seed (validated, canonical, grouped). */
export type RootRecoveryText = Brand<string, "RootRecoveryText">;

export interface RootKey {
  /** The 32-byte Ed25519 seed: the only thing to keep; the key pair follows from it. */
  readonly seed: Uint8Array;
  readonly keyPair: { readonly publicKey: RootPublicKey; readonly secretKey: RootSecretKey };
}

export const ROOT_SEED_BYTES = 32;
const ROOT_WRAP_KDF_ID = 5;

/**
 * A new helpline root key.
 *
 * @example
 * const root = generateRootKey(sodium, systemRandom(sodium));
 * show(rootFingerprint(sodium, root.keyPair.publicKey), rootRecoveryText(sodium, root.seed));
 */
export function generateRootKey(sodium: Sodium, random: RandomSource): RootKey {
  return rootKeyFromSeed(sodium, random(ROOT_SEED_BYTES));
}

/**
 * The root key pair of a seed (`crypto_sign_seed_keypair`).
 *
 * @example
 * const root = rootKeyFromSeed(sodium, parseRootRecoveryText(sodium, typed));
 */
export function rootKeyFromSeed(sodium: Sodium, seed: Uint8Array): RootKey {
  if (seed.length !== ROOT_SEED_BYTES) throw new CryptoError("MALFORMED", "a root seed has 32 bytes");
  const kp = sodium.crypto_sign_seed_keypair(seed);
  return {
    seed: seed.slice(),
    keyPair: { publicKey: kp.publicKey as RootPublicKey, secretKey: kp.privateKey as RootSecretKey },
  };
}

/**
 * The root recovery text of a seed (layout at the top of this file).
 *
 * @example
 * rootRecoveryText(sodium, root.seed); // "XXXX-XXXX-... (14 groups)"
 */
export function rootRecoveryText(sodium: Sodium, seed: Uint8Array): RootRecoveryText {
  if (seed.length !== ROOT_SEED_BYTES) throw new CryptoError("MALFORMED", "a root seed has 32 bytes");
  return encodeRecoveryText(sodium, seed) as RootRecoveryText;
}

/**
 * The seed in a typed root recovery text; `INVALID_RECOVERY_KEY` for a wrong length, characters,
 * padding or checksum. The message never contains the input.
 *
 * @example
 * const seed = parseRootRecoveryText(sodium, typed);
 */
export function parseRootRecoveryText(sodium: Sodium, input: string): Uint8Array {
  return decodeRecoveryText(sodium, input, ROOT_SEED_BYTES, "a root recovery text").secret;
}

/** `KDF(accountKey, 5, "bg-acct_")`: the key under which the root seed is wrapped for its owner. */
export function rootWrapKey(sodium: Sodium, accountKey: AccountKey): Uint8Array {
  if (accountKey.length !== 32) throw new CryptoError("MALFORMED", "an account key has 32 bytes");
  return sodium.crypto_kdf_derive_from_key(32, ROOT_WRAP_KDF_ID, KDF_CONTEXT.account, accountKey);
}

/**
 * Wrap the root seed for its owner (type 0x06, kind 3).
 *
 * @example
 * const wrapped = wrapRootSeed(sodium, root.seed, accountKey, random);
 */
export function wrapRootSeed(
  sodium: Sodium,
  seed: Uint8Array,
  accountKey: AccountKey,
  random: RandomSource,
): WrappedKeyBytes {
  const key = rootWrapKey(sodium, accountKey);
  try {
    return wrapUnderKey(sodium, "root-for-owner", seed, key, random);
  } finally {
    sodium.memzero(key);
  }
}

/**
 * Unwrap the owner's root key: `UNWRAP_FAILED` for another account key or a tampered bundle.
 *
 * @example
 * const root = unwrapRootSeed(sodium, wrapped, accountKey);
 */
export function unwrapRootSeed(sodium: Sodium, wrapped: WrappedKeyBytes, accountKey: AccountKey): RootKey {
  const key = rootWrapKey(sodium, accountKey);
  try {
    return rootKeyFromSeed(sodium, unwrapUnderKey(sodium, "root-for-owner", wrapped, key));
  } finally {
    sodium.memzero(key);
  }
}
