import { CryptoError } from "./errors.js";
import type { Sodium } from "./sodium.js";

/** Bytes to unpadded base64url (the wire encoding of every binary field and id). */
export function toBase64(sodium: Sodium, bytes: Uint8Array): string {
  return sodium.to_base64(bytes, sodium.base64_variants.URLSAFE_NO_PADDING);
}

/** Unpadded base64url to bytes; throws `MALFORMED` on anything else. */
export function fromBase64(sodium: Sodium, text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text)) throw new CryptoError("MALFORMED", "not base64url");
  try {
    return sodium.from_base64(text, sodium.base64_variants.URLSAFE_NO_PADDING);
  } catch (cause) {
    throw new CryptoError("MALFORMED", "not base64url", { cause });
  }
}
