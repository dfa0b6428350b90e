import { decodeStrictUtf8, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { idFromBytes, idToBytes } from "../core/ids.js";
import type { Sodium } from "../core/sodium.js";
import type { AttachmentMeta, Payload } from "../core/types.js";
import { checkAttachmentName } from "./attachment-name.js";

export const PAYLOAD_VERSION = 1;
export const MAX_SUBJECT_BYTES = 1024;
export const MAX_BODY_BYTES = 256 * 1024;
/** Not fixed by PROTOCOL.md; bounds keep a hostile payload from carrying megabyte file names. */
export const MAX_ATTACHMENT_NAME_BYTES = 1024;
export const MAX_MEDIA_TYPE_BYTES = 255;
const MAX_ATTACHMENTS = 0xffff;
const HASH_BYTES = 32;
const KEY_BYTES = 32;

/**
 * Encode the plaintext of a message (PROTOCOL.md §5, before padding). Throws `TOO_LARGE` for a subject
 * over 1 KiB, a body over 256 KiB, or over-long attachment fields; `MALFORMED` for a bad id, key or hash;
 * `ATTACHMENT_NAME_INVALID` for a name with control or bidirectional formatting characters.
 *
 * @example
 * const bytes = encodePayload(sodium, { subject: "Vraag", body: "Hallo", attachments: [] });
 * parsePayload(sodium, bytes); // { subject: "Vraag", body: "Hallo", attachments: [] }
 */
export function encodePayload(sodium: Sodium, payload: Payload): Uint8Array {
  const w = new Writer().u8(PAYLOAD_VERSION);
  w.bytes(boundedUtf8(payload.subject, MAX_SUBJECT_BYTES, "subject"));
  w.bytes(boundedUtf8(payload.body, MAX_BODY_BYTES, "body"));
  if (payload.attachments.length > MAX_ATTACHMENTS)
    throw new CryptoError("TOO_LARGE", "too many attachments");
  w.u16(payload.attachments.length);
  for (const a of payload.attachments) {
    w.fixed(idToBytes(sodium, a.attachmentId), 16);
    checkAttachmentName(a.name);
    w.bytes(boundedUtf8(a.name, MAX_ATTACHMENT_NAME_BYTES, "attachment name"));
    w.bytes(boundedUtf8(a.mediaType, MAX_MEDIA_TYPE_BYTES, "media type"));
    w.u64(a.size);
    w.fixed(a.hash, HASH_BYTES);
    w.fixed(a.key, KEY_BYTES);
  }
  return w.finish();
}

/**
 * Parse a payload; `encodePayload(parsePayload(b))` equals `b`. Throws `UNSUPPORTED_VERSION` for another
 * payload version, `TOO_LARGE` for over-long fields, `ATTACHMENT_NAME_INVALID` for an attachment name
 * with control or bidirectional formatting characters, `MALFORMED` for anything else.
 */
export function parsePayload(sodium: Sodium, bytes: Uint8Array): Payload {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== PAYLOAD_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `payload version ${version} is not supported`);
  }
  const subject = readBoundedString(r, MAX_SUBJECT_BYTES, "subject");
  const body = readBoundedString(r, MAX_BODY_BYTES, "body");
  const count = r.u16();
  const attachments: AttachmentMeta[] = [];
  for (let i = 0; i < count; i++) {
    const attachmentId = idFromBytes(sodium, r.fixed(16));
    const name = readBoundedString(r, MAX_ATTACHMENT_NAME_BYTES, "attachment name");
    checkAttachmentName(name);
    attachments.push({
      attachmentId,
      name,
      mediaType: readBoundedString(r, MAX_MEDIA_TYPE_BYTES, "media type"),
      size: r.u64(),
      hash: r.fixed(HASH_BYTES),
      key: r.fixed(KEY_BYTES),
    });
  }
  r.end();
  return { subject, body, attachments };
}

/**
 * Reads a `str` of at most `max` bytes: `TOO_LARGE` above it, `MALFORMED` for invalid UTF-8. Unlike
 * `Reader.str`, a leading byte-order mark is kept, so parse then encode gives the same bytes.
 */
export function readBoundedString(r: Reader, max: number, field: string): string {
  const raw = r.bytes();
  if (raw.length > max) throw new CryptoError("TOO_LARGE", `${field} exceeds ${max} bytes`);
  try {
    return decodeStrictUtf8(raw);
  } catch (cause) {
    throw new CryptoError("MALFORMED", `${field} is not valid UTF-8`, { cause });
  }
}

/** UTF-8 of `text`; `TOO_LARGE` when longer than `max` bytes. */
export function boundedUtf8(text: string, max: number, field: string): Uint8Array {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length > max) throw new CryptoError("TOO_LARGE", `${field} exceeds ${max} bytes`);
  return bytes;
}
