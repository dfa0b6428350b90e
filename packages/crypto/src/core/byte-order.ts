/**
 * Helpers for public bytes (keys, ids, hashes) in sorted wire lists. Not constant-time: use
 * `bytesEqual` from hash.ts for anything secret.
 */

/** Unsigned lexicographic order, the order of every sorted list on the wire. */
export function compareBytes(a: Uint8Array, b: Uint8Array): number {
  const n = Math.min(a.length, b.length);
  for (let i = 0; i < n; i++) {
    const d = a[i]! - b[i]!;
    if (d !== 0) return d;
  }
  return a.length - b.length;
}

/** Equality of public byte strings (keys, hashes). */
export function samePublicBytes(a: Uint8Array, b: Uint8Array): boolean {
  return compareBytes(a, b) === 0;
}

/** True when every byte is zero (the "none" value of fixed hash fields). */
export function isAllZero(bytes: Uint8Array): boolean {
  return bytes.every((b) => b === 0);
}
