import { decodeBase64Url, encodeBase64Url } from "./base64url.js";
import type { Sodium } from "./sodium.js";

/*
 * The wire encoding of every binary field and id. The `sodium` parameter stays so that the many call
 * sites did not change when the encoding moved from libsodium's to plain JavaScript (base64url.ts says
 * why); it is not used.
 */

/** Bytes to unpadded base64url (the wire encoding of every binary field and id). */
export function toBase64(_sodium: Sodium, bytes: Uint8Array): string {
  return encodeBase64Url(bytes);
}

/** Unpadded base64url to bytes; throws `MALFORMED` on anything else. */
export function fromBase64(_sodium: Sodium, text: string): Uint8Array {
  return decodeBase64Url(text);
}
