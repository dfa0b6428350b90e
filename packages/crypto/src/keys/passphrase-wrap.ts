import type { WrappedKeyBytes } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import {
  openWrappedKey,
  parseWrappedKey,
  sealWrappedKey,
  WRAP_SALT_BYTES,
  type WrappedKey,
} from "./wrapped-key.js";

/**
 * Passphrase wrap (kind 1 of type 0x06, PROTOCOL.md §2):
 * `P = Argon2id(passphrase, salt, ops, mem)`, `wrapKey = KDF(P, 1, "bg-pass_")`, `proof = KDF(P, 2, "bg-pass_")`.
 * The server stores `H(proof-hash, proof)` and releases the bundle only for the proof.
 */

/** Argon2id parameters a kind-1 bundle carries (the server sends them before the bundle itself). */
export interface PassphraseKdfParams {
  readonly salt: Uint8Array;
  readonly opsLimit: number;
  readonly memLimitKiB: number;
}

/** Wrap key and server proof from one Argon2id run over a passphrase. */
export interface PassphraseKeys {
  readonly params: PassphraseKdfParams;
  readonly wrapKey: Uint8Array;
  readonly proof: Uint8Array;
}

/** Clients refuse weaker parameters, so a server cannot downgrade the work factor. */
export const ARGON2_FLOOR = { opsLimit: 3, memLimitKiB: 65_536 } as const;
/** Clients also refuse absurd parameters, with which a server could make a browser hang or run out of memory. */
export const ARGON2_CEILING = { opsLimit: 32, memLimitKiB: 1_048_576 } as const;

/** Throws `WEAK_KDF_PARAMS` below `ARGON2_FLOOR`, `TOO_LARGE` above `ARGON2_CEILING`, `MALFORMED` for a bad salt. */
export function checkPassphraseParams(params: PassphraseKdfParams): void {
  const { salt, opsLimit, memLimitKiB } = params;
  if (salt.length !== WRAP_SALT_BYTES) throw new CryptoError("MALFORMED", "a passphrase salt has 16 bytes");
  if (!Number.isInteger(opsLimit) || !Number.isInteger(memLimitKiB)) {
    throw new CryptoError("MALFORMED", "KDF parameters must be integers");
  }
  if (opsLimit < ARGON2_FLOOR.opsLimit || memLimitKiB < ARGON2_FLOOR.memLimitKiB) {
    throw new CryptoError("WEAK_KDF_PARAMS", "Argon2id parameters below the floor (ops 3, 64 MiB)");
  }
  if (opsLimit > ARGON2_CEILING.opsLimit || memLimitKiB > ARGON2_CEILING.memLimitKiB) {
    throw new CryptoError("TOO_LARGE", "Argon2id parameters above the client's ceiling (ops 32, 1 GiB)");
  }
}

/**
 * One Argon2id run giving the wrap key and the proof. The floor is enforced here too, not only on
 * unwrap: a server that sent weak parameters would otherwise obtain a proof it could brute-force
 * cheaply. The passphrase is NFC-normalised so that every keyboard and OS gives the same bytes.
 *
 * @example
 * const keys = derivePassphraseKeys(sodium, passphrase, paramsFromServer);
 * const bundle = await fetchBundle(keys.proof);
 * const accountKey = unwrapWithPassphrase(sodium, bundle, keys); // no second Argon2 run
 */
export function derivePassphraseKeys(
  sodium: Sodium,
  passphrase: string,
  params: PassphraseKdfParams,
): PassphraseKeys {
  checkPassphraseParams(params);
  const p = sodium.crypto_pwhash(
    32,
    new TextEncoder().encode(passphrase.normalize("NFC")),
    params.salt,
    params.opsLimit,
    params.memLimitKiB * 1024,
    sodium.crypto_pwhash_ALG_ARGON2ID13,
  );
  const keys: PassphraseKeys = {
    params: { salt: params.salt.slice(), opsLimit: params.opsLimit, memLimitKiB: params.memLimitKiB },
    wrapKey: sodium.crypto_kdf_derive_from_key(32, 1, KDF_CONTEXT.passphrase, p),
    proof: sodium.crypto_kdf_derive_from_key(32, 2, KDF_CONTEXT.passphrase, p),
  };
  sodium.memzero(p);
  return keys;
}

/**
 * The proof the server wants before it releases the bundle, from the salt and parameters it sent
 * (or from a bundle already at hand).
 *
 * @example
 * const proof = derivePassphraseProof(sodium, passphrase, { salt, opsLimit, memLimitKiB });
 */
export function derivePassphraseProof(
  sodium: Sodium,
  passphrase: string,
  source: PassphraseKdfParams | WrappedKeyBytes,
): Uint8Array {
  const params = source instanceof Uint8Array ? passphraseBundle(source) : source;
  return derivePassphraseKeys(sodium, passphrase, params).proof;
}

/**
 * Server side: `H(proof-hash, proof)`, the only form in which a proof is stored.
 *
 * @example
 * db.insert({ proofHash: proofHash(sodium, proof) });
 */
export function proofHash(sodium: Sodium, proof: Uint8Array): Uint8Array {
  if (proof.length !== 32) throw new CryptoError("MALFORMED", "a proof has 32 bytes");
  return labelledHash(sodium, LABEL.proofHash, proof);
}

/**
 * Wrap a 32-byte secret (an account key) under a passphrase with a fresh random salt. Parameters
 * default to the floor (ops 3, 64 MiB); weaker ones are refused.
 *
 * @example
 * const { wrapped, proof } = wrapWithPassphrase(sodium, accountKey, passphrase, { random });
 * upload({ wrapped, proofHash: proofHash(sodium, proof) });
 */
export function wrapWithPassphrase(
  sodium: Sodium,
  secret: Uint8Array,
  passphrase: string,
  options: { readonly random: RandomSource; readonly opsLimit?: number; readonly memLimitBytes?: number },
): { wrapped: WrappedKeyBytes; proof: Uint8Array; salt: Uint8Array } {
  const memLimitBytes = options.memLimitBytes ?? ARGON2_FLOOR.memLimitKiB * 1024;
  if (memLimitBytes % 1024 !== 0) throw new CryptoError("MALFORMED", "memory limit must be whole KiB");
  if (passphrase.length === 0) throw new CryptoError("MALFORMED", "empty passphrase");
  const salt = options.random(WRAP_SALT_BYTES);
  const params = {
    salt,
    opsLimit: options.opsLimit ?? ARGON2_FLOOR.opsLimit,
    memLimitKiB: memLimitBytes / 1024,
  };
  const keys = derivePassphraseKeys(sodium, passphrase, params);
  const wrapped = sealWrappedKey(
    sodium,
    { kind: "passphrase", ...params },
    secret,
    keys.wrapKey,
    options.random,
  );
  sodium.memzero(keys.wrapKey);
  return { wrapped, proof: keys.proof, salt };
}

/**
 * Unwrap a kind-1 bundle. The floor is checked before Argon2 runs (`WEAK_KDF_PARAMS`); a wrong
 * passphrase or a tampered bundle gives `UNWRAP_FAILED`; another kind gives `WRONG_TYPE`. Pass the
 * `PassphraseKeys` already derived for the proof to avoid a second Argon2 run.
 *
 * @example
 * const accountKey = unwrapWithPassphrase(sodium, bundle, passphrase) as AccountKey;
 */
export function unwrapWithPassphrase(
  sodium: Sodium,
  wrapped: WrappedKeyBytes,
  passphrase: string | PassphraseKeys,
): Uint8Array {
  const w = passphraseBundle(wrapped);
  const keys = typeof passphrase === "string" ? derivePassphraseKeys(sodium, passphrase, w) : passphrase;
  try {
    return openWrappedKey(sodium, w, keys.wrapKey);
  } finally {
    if (typeof passphrase === "string") sodium.memzero(keys.wrapKey);
  }
}

function passphraseBundle(bytes: Uint8Array): WrappedKey {
  const w = parseWrappedKey(bytes);
  if (w.kind !== "passphrase")
    throw new CryptoError("WRONG_TYPE", `expected a passphrase wrapped key, got ${w.kind}`);
  checkPassphraseParams(w);
  return w;
}
