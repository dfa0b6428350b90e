import type { Sodium } from "./sodium.js";

/**
 * One slice of an ALTCHA-style proof of work (API.md, "Proof of work"): the first number n in
 * [from, to] with SHA-256(salt || decimal(n)) equal to `target` (32 bytes), or undefined. The caller
 * runs slices and yields in between, so a page can paint progress.
 *
 * @example
 * const n = findPowNumber(sodium, new TextEncoder().encode(salt), target, 0, 4095);
 */
export function findPowNumber(
  sodium: Sodium,
  salt: Uint8Array,
  target: Uint8Array,
  from: number,
  to: number,
): number | undefined {
  const encoder = new TextEncoder();
  const buf = new Uint8Array(salt.length + 16);
  buf.set(salt);
  const tail = buf.subarray(salt.length);
  for (let n = from; n <= to; n++) {
    const digits = encoder.encodeInto(String(n), tail).written;
    const h = sodium.crypto_hash_sha256(buf.subarray(0, salt.length + digits));
    if (h[0] === target[0] && h.length === target.length && sodium.memcmp(h, target)) return n;
  }
  return undefined;
}
