import type { MemberId, SignPublicKey } from "../core/brand.js";
import { Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { idFromBytes, idToBytes } from "../core/ids.js";
import type { Sodium } from "../core/sodium.js";
import type { ThreadEvent } from "../core/types.js";
import { boundedUtf8, readBoundedString } from "./payload.js";

/** The event payload is new in protocol 2: it starts with version byte 0x02 (PROTOCOL.md §5.1). */
export const EVENT_PAYLOAD_VERSION = 0x02;
/** Event type codes; only a handover so far. */
const EVENT_TYPE_HANDOVER = 1;
/** A display name on the roster is short; a hostile event cannot carry a megabyte "name". */
export const MAX_EVENT_NAME_BYTES = 256;

/**
 * The plaintext of an envelope of kind `event` (before padding):
 * `u8 version=0x02 | u8 type=1 (handover) | fixed16 memberId | fixed32 signPk | str displayName`.
 * Throws `TOO_LARGE` for a name over 256 bytes, `MALFORMED` for a bad id or key.
 *
 * @example
 * const bytes = encodeThreadEvent(sodium, { type: "handover", memberId, signPk, displayName: "Bram" });
 */
export function encodeThreadEvent(sodium: Sodium, event: ThreadEvent): Uint8Array {
  return new Writer()
    .u8(EVENT_PAYLOAD_VERSION)
    .u8(EVENT_TYPE_HANDOVER)
    .fixed(idToBytes(sodium, event.memberId), 16)
    .fixed(event.signPk, 32)
    .bytes(boundedUtf8(event.displayName, MAX_EVENT_NAME_BYTES, "display name"))
    .finish();
}

/**
 * Parses an event payload; `encodeThreadEvent(parseThreadEvent(b))` equals `b`. Throws
 * `UNSUPPORTED_VERSION` for another version, `MALFORMED` for an unknown type or trailing bytes,
 * `TOO_LARGE` for an over-long name.
 */
export function parseThreadEvent(sodium: Sodium, bytes: Uint8Array): ThreadEvent {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== EVENT_PAYLOAD_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `event payload version ${version} is not supported`);
  }
  const type = r.u8();
  if (type !== EVENT_TYPE_HANDOVER) throw new CryptoError("MALFORMED", `unknown event type ${type}`);
  const memberId = idFromBytes<MemberId>(sodium, r.fixed(16));
  const signPk = r.fixed(32) as SignPublicKey;
  const displayName = readBoundedString(r, MAX_EVENT_NAME_BYTES, "display name");
  r.end();
  return { type: "handover", memberId, signPk, displayName };
}
