import { CryptoError } from "./errors.js";
import { labelledHash } from "./hash.js";
import type { Label } from "./labels.js";
import type { Sodium } from "./sodium.js";

/**
 * Crockford base32: no I, L, O or U, so the letters people confuse with digits (and with each other)
 * never appear. Used for everything a person reads, writes down or types: help-seeker codes, recovery
 * sheets, root recovery texts and root fingerprints.
 */
export const CROCKFORD_ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ";

const CANONICAL = /^[0-9A-HJKMNP-TV-Z]*$/;
// Separators people type or that a copy-paste brings along: whitespace (incl. no-break space),
// ASCII and Unicode dashes (phones turn "-" into "‐" or "–"), dots and underscores.
const SEPARATORS = /[\s\-.\u2010-\u2015\u2212_]/g;

/**
 * Encode the first `bitLength` bits of `bytes` (most significant bit first) as Crockford base32.
 * The last character is padded with zero bits when `bitLength` is not a multiple of 5.
 *
 * @example
 * encodeBase32(Uint8Array.of(0xff, 0xc0), 10); // "ZZ"
 */
export function encodeBase32(bytes: Uint8Array, bitLength = bytes.length * 8): string {
  if (!Number.isInteger(bitLength) || bitLength < 0 || bitLength > bytes.length * 8) {
    throw new CryptoError("MALFORMED", `cannot take ${bitLength} bits from ${bytes.length} bytes`);
  }
  let out = "";
  for (let at = 0; at < bitLength; at += 5) {
    let digit = 0;
    for (let i = 0; i < 5; i++) {
      const bit = at + i;
      digit = (digit << 1) | (bit < bitLength ? ((bytes[bit >> 3] ?? 0) >> (7 - (bit & 7))) & 1 : 0);
    }
    out += CROCKFORD_ALPHABET[digit];
  }
  return out;
}

/**
 * Decode canonical Crockford base32 holding exactly `bitLength` bits into `ceil(bitLength / 8)` bytes
 * (most significant bit first, unused low bits of the last byte zero). Strict: the text must have
 * exactly `ceil(bitLength / 5)` canonical characters and its padding bits must be zero, so every value
 * has one encoding. Throws `MALFORMED`; callers that read human input normalise first and map the error.
 *
 * @example
 * decodeBase32("ZZ", 10); // Uint8Array [0xff, 0xc0]
 */
export function decodeBase32(text: string, bitLength: number): Uint8Array {
  if (!Number.isInteger(bitLength) || bitLength < 0) throw new CryptoError("MALFORMED", "bad bit length");
  if (!CANONICAL.test(text) || text.length !== Math.ceil(bitLength / 5)) {
    throw new CryptoError("MALFORMED", "not canonical base32 of the expected length");
  }
  const out = new Uint8Array(Math.ceil(bitLength / 8));
  for (let c = 0; c < text.length; c++) {
    const digit = CROCKFORD_ALPHABET.indexOf(text[c]!);
    for (let i = 0; i < 5; i++) {
      const bit = c * 5 + i;
      const value = (digit >> (4 - i)) & 1;
      if (bit >= bitLength) {
        if (value !== 0) throw new CryptoError("MALFORMED", "non-zero padding bits");
      } else if (value === 1) {
        out[bit >> 3]! |= 0x80 >> (bit & 7);
      }
    }
  }
  return out;
}

/**
 * Tolerant reading of typed input: drop separators, upper-case ASCII letters, read `O` as `0` and
 * `I`/`L` as `1`. Returns the result without validating it (see `isCanonicalBase32`); non-ASCII
 * characters are left alone so that they fail validation instead of being case-mapped into letters.
 *
 * @example
 * normaliseBase32("k7qm-2xh9 o1l"); // "K7QM2XH9011"
 */
export function normaliseBase32(input: string): string {
  return input
    .replace(SEPARATORS, "")
    .replace(/[a-z]/g, (c) => c.toUpperCase())
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1");
}

/** True when `text` consists only of characters of the Crockford alphabet (upper case). */
export function isCanonicalBase32(text: string): boolean {
  return CANONICAL.test(text);
}

/**
 * Split into groups of `size` characters for display.
 *
 * @example
 * groupBase32("ABCDEFGH", "-"); // "ABCD-EFGH"
 */
export function groupBase32(text: string, separator: "-" | " " = "-", size = 4): string {
  const groups: string[] = [];
  for (let at = 0; at < text.length; at += size) groups.push(text.slice(at, at + size));
  return groups.join(separator);
}

/**
 * Typo check digits: the first `bits` bits of `H(label, ascii(data))` in base32. Over the characters,
 * not the bytes, so it checks exactly what the person wrote down.
 *
 * @example
 * base32Checksum(sodium, LABEL.codeChecksum, "0A" + secretChars, 10); // two characters
 */
export function base32Checksum(sodium: Sodium, label: Label, data: string, bits: number): string {
  if (!isCanonicalBase32(data)) throw new CryptoError("MALFORMED", "checksum input is not canonical base32");
  return encodeBase32(labelledHash(sodium, label, new TextEncoder().encode(data)), bits);
}
