import { encodeBase32, groupBase32, isCanonicalBase32, normaliseBase32 } from "../core/base32.js";
import type { Fingerprint, RootPublicKey } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { LABEL } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";

const FINGERPRINT_BYTES = 15;
const FINGERPRINT_CHARS = 24;

/**
 * The fingerprint of a helpline root key (PROTOCOL.md §3): the first 15 bytes (120 bits) of
 * `H(root-fingerprint, rootPk)` in Crockford base32, 6 groups of 4 joined by spaces. Pinned in the
 * client build and published by the helpline so that people can compare it.
 *
 * @example
 * rootFingerprint(sodium, rootPk); // "7K2M QX9R 0T4B ZD1E H8PS WN3C"
 */
export function rootFingerprint(sodium: Sodium, rootPk: RootPublicKey): Fingerprint {
  if (rootPk.length !== sodium.crypto_sign_PUBLICKEYBYTES)
    throw new CryptoError("MALFORMED", "a root key has 32 bytes");
  const digest = labelledHash(sodium, LABEL.fingerprint, rootPk).subarray(0, FINGERPRINT_BYTES);
  return groupBase32(encodeBase32(digest), " ") as Fingerprint;
}

/**
 * Compare two fingerprints as a person would: case, spaces, dashes and O/0, I/L/1 do not matter.
 * Anything that is not a well-formed fingerprint equals nothing (not even itself).
 *
 * @example
 * fingerprintsEqual("7k2m-qx9r ...", pinned); // true
 */
export function fingerprintsEqual(a: string, b: string): boolean {
  const x = normaliseBase32(a);
  const y = normaliseBase32(b);
  return x.length === FINGERPRINT_CHARS && isCanonicalBase32(x) && x === y;
}
