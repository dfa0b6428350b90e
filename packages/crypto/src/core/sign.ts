import { concat, labelBytes } from "./codec.js";
import { CryptoError } from "./errors.js";
import type { Label } from "./labels.js";
import type { Sodium } from "./sodium.js";

/**
 * Ed25519 signature over `u8 len || label || message`. The label is the purpose: a signature
 * made for a grant can never verify as a roster, an envelope or a sign-in.
 */
export function signWithLabel(
  sodium: Sodium,
  label: Label,
  message: Uint8Array,
  secretKey: Uint8Array,
): Uint8Array {
  return sodium.crypto_sign_detached(concat(labelBytes(label), message), secretKey);
}

/** Throws `BAD_SIGNATURE` unless `signature` is the labelled signature of `message` by `publicKey`. */
export function verifyWithLabel(
  sodium: Sodium,
  label: Label,
  message: Uint8Array,
  signature: Uint8Array,
  publicKey: Uint8Array,
): void {
  let ok = false;
  try {
    ok =
      signature.length === sodium.crypto_sign_BYTES &&
      publicKey.length === sodium.crypto_sign_PUBLICKEYBYTES &&
      sodium.crypto_sign_verify_detached(signature, concat(labelBytes(label), message), publicKey);
  } catch {
    ok = false;
  }
  if (!ok) throw new CryptoError("BAD_SIGNATURE", `signature does not verify (${label})`);
}
