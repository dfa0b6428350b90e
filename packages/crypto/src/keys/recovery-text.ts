import {
  base32Checksum,
  decodeBase32,
  encodeBase32,
  groupBase32,
  isCanonicalBase32,
  normaliseBase32,
} from "../core/base32.js";
import { CryptoError } from "../core/errors.js";
import { LABEL } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";

/**
 * The printed form shared by staff recovery keys and root recovery sheets (PROTOCOL.md §2, §2 "Root
 * wrap"): the secret in Crockford base32 (padding bits zero), then 4 checksum characters, the first
 * 20 bits of `H("briefgeheim/recovery-checksum/v1", ascii(data))`, in groups of 4 joined by "-".
 * The secret's length alone tells the two kinds apart (20 bytes: 36 characters; 32 bytes: 56).
 */
const CHECK_BITS = 20;
const CHECK_CHARS = CHECK_BITS / 5;

/** The grouped printed text of `secret`. */
export function encodeRecoveryText(sodium: Sodium, secret: Uint8Array): string {
  const data = encodeBase32(secret);
  return groupBase32(data + base32Checksum(sodium, LABEL.recoveryChecksum, data, CHECK_BITS), "-");
}

/**
 * Read a typed text (tolerant like codes) holding `secretBytes` bytes. Throws `INVALID_RECOVERY_KEY`,
 * naming `what` but never the input, for a wrong length, characters, padding or checksum.
 */
export function decodeRecoveryText(
  sodium: Sodium,
  input: string,
  secretBytes: number,
  what: string,
): { text: string; secret: Uint8Array } {
  const dataChars = Math.ceil((secretBytes * 8) / 5);
  const textChars = dataChars + CHECK_CHARS;
  const text = normaliseBase32(input);
  if (text.length !== textChars || !isCanonicalBase32(text)) {
    throw new CryptoError("INVALID_RECOVERY_KEY", `${what} has ${textChars} characters`);
  }
  const data = text.slice(0, dataChars);
  if (base32Checksum(sodium, LABEL.recoveryChecksum, data, CHECK_BITS) !== text.slice(dataChars)) {
    throw new CryptoError("INVALID_RECOVERY_KEY", `${what} contains a typo`);
  }
  try {
    return { text: groupBase32(text, "-"), secret: decodeBase32(data, secretBytes * 8) };
  } catch (cause) {
    throw new CryptoError("INVALID_RECOVERY_KEY", `${what} is not canonical`, { cause });
  }
}
