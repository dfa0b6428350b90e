import type { RecoveryKey, RecoveryKeyText, WrappedKeyBytes } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { KDF_CONTEXT, LABEL } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import { decodeRecoveryText, encodeRecoveryText } from "./recovery-text.js";
import { unwrapUnderKey, wrapUnderKey } from "./wrapped-key.js";

/**
 * Staff recovery key (PROTOCOL.md §2): 20 random bytes printed as 36 Crockford characters,
 * 32 data (160 bits) + 4 checksum (first 20 bits of `H(recovery-checksum, ascii(data))`), 9 groups of 4.
 * `R = H(recovery-wrap, secret)`; `wrapKey = KDF(R, 1, "bg-recov")`; `recoveryProof = KDF(R, 2, "bg-recov")`.
 */
export const RECOVERY_SECRET_BYTES = 20;

/**
 * A fresh recovery key, for the recovery sheet.
 *
 * @example
 * const { text, secret } = generateRecoveryKey(sodium, systemRandom(sodium));
 * // text: "ABCD-EFGH-...-WXYZ" (9 groups of 4)
 */
export function generateRecoveryKey(
  sodium: Sodium,
  random: RandomSource,
): { text: RecoveryKeyText; secret: RecoveryKey } {
  const secret = random(RECOVERY_SECRET_BYTES);
  if (secret.length !== RECOVERY_SECRET_BYTES)
    throw new CryptoError("MALFORMED", "random source returned a wrong length");
  return { text: recoveryKeyText(sodium, secret as RecoveryKey), secret: secret as RecoveryKey };
}

/** The printed form of a recovery secret. */
export function recoveryKeyText(sodium: Sodium, secret: RecoveryKey): RecoveryKeyText {
  if (secret.length !== RECOVERY_SECRET_BYTES) throw new CryptoError("INVALID_RECOVERY_KEY", "wrong length");
  return encodeRecoveryText(sodium, secret) as RecoveryKeyText;
}

/**
 * Read a recovery key as typed (same tolerance as help-seeker codes). Throws `INVALID_RECOVERY_KEY`
 * for a wrong length, characters or checksum; the message never contains the input.
 *
 * @example
 * const { secret } = parseRecoveryKey(sodium, "abcd efgh ...");
 */
export function parseRecoveryKey(
  sodium: Sodium,
  input: string,
): { text: RecoveryKeyText; secret: RecoveryKey } {
  const { text, secret } = decodeRecoveryText(sodium, input, RECOVERY_SECRET_BYTES, "a recovery key");
  return { text: text as RecoveryKeyText, secret: secret as RecoveryKey };
}

/**
 * `KDF(R, 1, "bg-recov")`: the key of the kind-2 wrapped copy of the account key.
 *
 * @example
 * const key = recoveryWrapKey(sodium, secret);
 */
export function recoveryWrapKey(sodium: Sodium, secret: RecoveryKey): Uint8Array {
  return fromR(sodium, secret, 1);
}

/**
 * `KDF(R, 2, "bg-recov")`: proves possession of the recovery key to the server, which stores only
 * its proof-hash and then lets the staff member set a new passphrase wrap.
 *
 * @example
 * const proof = recoveryProof(sodium, secret); // send; server compares proofHash(proof)
 */
export function recoveryProof(sodium: Sodium, secret: RecoveryKey): Uint8Array {
  return fromR(sodium, secret, 2);
}

/**
 * Kind-2 wrapped copy of a 32-byte secret (the account key) under a recovery key.
 *
 * @example
 * const wrapped = wrapWithRecovery(sodium, accountKey, secret, random);
 */
export function wrapWithRecovery(
  sodium: Sodium,
  accountKey: Uint8Array,
  secret: RecoveryKey,
  random: RandomSource,
): WrappedKeyBytes {
  const key = recoveryWrapKey(sodium, secret);
  try {
    return wrapUnderKey(sodium, "recovery", accountKey, key, random);
  } finally {
    sodium.memzero(key);
  }
}

/**
 * Open a kind-2 bundle: `UNWRAP_FAILED` for a wrong recovery key or a tampered bundle.
 *
 * @example
 * const accountKey = unwrapWithRecovery(sodium, wrapped, parseRecoveryKey(sodium, typed).secret) as AccountKey;
 */
export function unwrapWithRecovery(
  sodium: Sodium,
  wrapped: WrappedKeyBytes,
  secret: RecoveryKey,
): Uint8Array {
  const key = recoveryWrapKey(sodium, secret);
  try {
    return unwrapUnderKey(sodium, "recovery", wrapped, key);
  } finally {
    sodium.memzero(key);
  }
}

function fromR(sodium: Sodium, secret: RecoveryKey, id: number): Uint8Array {
  if (secret.length !== RECOVERY_SECRET_BYTES) throw new CryptoError("INVALID_RECOVERY_KEY", "wrong length");
  const r = labelledHash(sodium, LABEL.recoveryWrap, secret);
  try {
    return sodium.crypto_kdf_derive_from_key(32, id, KDF_CONTEXT.recovery, r);
  } finally {
    sodium.memzero(r);
  }
}
