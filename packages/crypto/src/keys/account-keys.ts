import type { AccountKey, BoxKeyPair, DraftKey, SignKeyPair } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { boxKeyPairFromSeed, signKeyPairFromSeed } from "../core/key-pair-from-seed.js";
import { KDF_CONTEXT } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";

export const ACCOUNT_KEY_BYTES = 32;

/** A staff member's keys, all derived from the account key (PROTOCOL.md §2). */
export interface AccountKeys {
  /** Signs the sign-in challenge. */
  readonly signIn: SignKeyPair;
  /** Signs envelopes, grants and epoch records; its public key is on the roster. */
  readonly signing: SignKeyPair;
  /** Receives thread keys (grants); its public key is on the roster. */
  readonly box: BoxKeyPair;
  /** Encrypts the staff member's drafts. */
  readonly draftKey: DraftKey;
}

/**
 * A fresh random account key. It never leaves the browser unwrapped.
 *
 * @example
 * const accountKey = generateAccountKey(sodium, systemRandom(sodium));
 */
export function generateAccountKey(_sodium: Sodium, random: RandomSource): AccountKey {
  const key = random(ACCOUNT_KEY_BYTES);
  if (key.length !== ACCOUNT_KEY_BYTES)
    throw new CryptoError("MALFORMED", "random source returned a wrong length");
  return key as AccountKey;
}

/**
 * `KDF(accountKey, 1..4, "bg-acct_")`: sign-in, signing, box and draft keys.
 *
 * @example
 * const { signing, box } = deriveAccountKeys(sodium, accountKey);
 */
export function deriveAccountKeys(sodium: Sodium, accountKey: AccountKey): AccountKeys {
  if (accountKey.length !== ACCOUNT_KEY_BYTES)
    throw new CryptoError("MALFORMED", "an account key has 32 bytes");
  const sub = (id: number) => sodium.crypto_kdf_derive_from_key(32, id, KDF_CONTEXT.account, accountKey);
  const seeds = [sub(1), sub(2), sub(3)] as const;
  const keys: AccountKeys = {
    signIn: signKeyPairFromSeed(sodium, seeds[0]),
    signing: signKeyPairFromSeed(sodium, seeds[1]),
    box: boxKeyPairFromSeed(sodium, seeds[2]),
    draftKey: sub(4) as DraftKey,
  };
  for (const seed of seeds) sodium.memzero(seed);
  return keys;
}
