import { concat, labelBytes } from "./codec.js";
import type { Label } from "./labels.js";
import type { Sodium } from "./sodium.js";

/** BLAKE2b-256 of `u8 len || label || data`: hashes for chains and commitments, domain-separated. */
export function labelledHash(sodium: Sodium, label: Label, data: Uint8Array, length = 32): Uint8Array {
  return sodium.crypto_generichash(length, concat(labelBytes(label), data), null);
}

/** Constant-time equality of two byte arrays (false on length mismatch). */
export function bytesEqual(sodium: Sodium, a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && sodium.memcmp(a, b);
}
