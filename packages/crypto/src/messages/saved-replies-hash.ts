import { labelledHash } from "../core/hash.js";
import { LABEL } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";

/**
 * BLAKE2b-256 of a stored saved-reply set's bytes (own or team), labelled. A session remembers it with
 * the revision it saw, so the server cannot serve another set under the same revision (PROTOCOL.md §14).
 *
 * @example
 * const hash = savedRepliesHash(sodium, bytes);
 */
export function savedRepliesHash(sodium: Sodium, bytes: Uint8Array): Uint8Array {
  return labelledHash(sodium, LABEL.savedRepliesHash, bytes);
}
