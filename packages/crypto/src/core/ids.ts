import type { HelplineId, MemberId, ThreadId } from "./brand.js";
import { fromBase64, toBase64 } from "./encoding.js";
import { CryptoError } from "./errors.js";
import type { RandomSource } from "./random.js";
import type { Sodium } from "./sodium.js";

export const ID_BYTES = 16;

/** A fresh 16-byte id as base64url. */
export function newId<T extends HelplineId | ThreadId | MemberId>(sodium: Sodium, random: RandomSource): T {
  return toBase64(sodium, random(ID_BYTES)) as T;
}

/** The 16 bytes of an id; throws `MALFORMED` for anything that is not exactly 16 bytes of base64url. */
export function idToBytes(sodium: Sodium, id: string): Uint8Array {
  const b = fromBase64(sodium, id);
  if (b.length !== ID_BYTES || toBase64(sodium, b) !== id)
    throw new CryptoError("MALFORMED", "not a 16-byte id");
  return b;
}

/** The id for 16 bytes read from a structure. */
export function idFromBytes<T extends HelplineId | ThreadId | MemberId>(
  sodium: Sodium,
  bytes: Uint8Array,
): T {
  if (bytes.length !== ID_BYTES) throw new CryptoError("MALFORMED", "not a 16-byte id");
  return toBase64(sodium, bytes) as T;
}

/** The all-zero member id used for the help-seeker reader. */
export const SEEKER_MEMBER_ID = "AAAAAAAAAAAAAAAAAAAAAA" as MemberId;
