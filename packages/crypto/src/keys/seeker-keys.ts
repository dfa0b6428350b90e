import type { BoxKeyPair, DraftKey, HelplineId, SeekerCode, SignKeyPair } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { idToBytes } from "../core/ids.js";
import { boxKeyPairFromSeed, signKeyPairFromSeed } from "../core/key-pair-from-seed.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";
import { codePassword } from "./seeker-code.js";

/** Argon2id cost for help-seeker codes (PROTOCOL.md §1). Fixed: it is part of the key derivation. */
export const SEEKER_ARGON2 = { opsLimit: 3, memLimitBytes: 64 * 1024 * 1024 } as const;

export interface Argon2Params {
  readonly opsLimit: number;
  readonly memLimitBytes: number;
}

/** Everything a help-seeker's browser holds, all derived from the code. */
export interface SeekerKeys {
  /** Signs the sign-in challenge; its public key is what the server knows the help-seeker by. */
  readonly signIn: SignKeyPair;
  /** Signs epoch 0 and the help-seeker's envelopes. */
  readonly messageSign: SignKeyPair;
  /** Receives thread keys (grants). */
  readonly box: BoxKeyPair;
  /** Encrypts the help-seeker's drafts. */
  readonly draftKey: DraftKey;
}

/**
 * The public per-helpline Argon2 salt: first 16 bytes of `H(code-salt, helplineId bytes)`.
 *
 * @example
 * const salt = codeSalt(sodium, helplineId); // 16 bytes
 */
export function codeSalt(sodium: Sodium, helplineId: HelplineId): Uint8Array {
  return labelledHash(sodium, LABEL.codeSalt, idToBytes(sodium, helplineId)).slice(0, 16);
}

/**
 * Derive the help-seeker's keys from their code for one helpline (one Argon2id call, ~0.2 s native,
 * longer in a browser: show progress). Deterministic: the same code and helpline give the same keys
 * on any device. `params` exists for tests and benchmarks only; production callers omit it, since
 * other parameters give other (unreachable) keys.
 *
 * @example
 * const keys = deriveSeekerKeys(sodium, code, helplineId);
 * signChallenge(sodium, challenge, keys.signIn.secretKey);
 */
export function deriveSeekerKeys(
  sodium: Sodium,
  code: SeekerCode,
  helplineId: HelplineId,
  params: Argon2Params = SEEKER_ARGON2,
): SeekerKeys {
  const password = codePassword(sodium, code);
  const master = sodium.crypto_pwhash(
    32,
    password,
    codeSalt(sodium, helplineId),
    params.opsLimit,
    params.memLimitBytes,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  sodium.memzero(password);
  try {
    return seekerKeysFromMaster(sodium, master);
  } finally {
    sodium.memzero(master);
  }
}

/**
 * The key split after Argon2: `KDF(master, 1..4, "bg-seekr")`. Exposed for golden vectors and tests.
 *
 * @example
 * const keys = seekerKeysFromMaster(sodium, master);
 */
export function seekerKeysFromMaster(sodium: Sodium, master: Uint8Array): SeekerKeys {
  if (master.length !== sodium.crypto_kdf_KEYBYTES)
    throw new CryptoError("MALFORMED", "master key has 32 bytes");
  const sub = (id: number) => sodium.crypto_kdf_derive_from_key(32, id, KDF_CONTEXT.seeker, master);
  const seeds = [sub(1), sub(2), sub(3)] as const;
  const keys: SeekerKeys = {
    signIn: signKeyPairFromSeed(sodium, seeds[0]),
    messageSign: signKeyPairFromSeed(sodium, seeds[1]),
    box: boxKeyPairFromSeed(sodium, seeds[2]),
    draftKey: sub(4) as DraftKey,
  };
  for (const seed of seeds) sodium.memzero(seed);
  return keys;
}
