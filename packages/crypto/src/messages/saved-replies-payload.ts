import { Reader, Writer } from "../core/codec.js";
import { toBase64 } from "../core/encoding.js";
import { CryptoError } from "../core/errors.js";
import { ID_BYTES, idToBytes } from "../core/ids.js";
import type { Sodium } from "../core/sodium.js";
import { boundedUtf8, MAX_BODY_BYTES, readBoundedString } from "./payload.js";

/** Most replies one set holds (own or team). */
export const MAX_SAVED_REPLIES = 100;
/** A title's limit in characters (code points): what the staff app's field allows. */
export const MAX_SAVED_REPLY_TITLE_CHARS = 80;
/** A signature's limit in bytes (a few lines). */
export const MAX_SIGNATURE_BYTES = 2048;
/**
 * The whole encoded list before padding. Each body may be as long as a message, but not a hundred of
 * them: the set is fetched and decrypted on every sign-in, and the server bounds what it stores.
 */
export const MAX_SAVED_REPLIES_PAYLOAD_BYTES = 256 * 1024;

/** One saved reply: a random 16-byte id (base64url), a short title and the text it inserts. */
export interface SavedReply {
  readonly id: string;
  readonly title: string;
  readonly body: string;
}

/** The signature a counsellor may add to a new reply; `auto`: added to an empty reply by itself. */
export interface ReplySignature {
  readonly text: string;
  readonly auto: boolean;
}

/** What an own set (type 0x0c) holds. */
export interface SavedRepliesContent {
  readonly replies: readonly SavedReply[];
  readonly signature: ReplySignature;
}

const TITLE_MAX_BYTES = MAX_SAVED_REPLY_TITLE_CHARS * 4;

function checkTitle(title: string): void {
  if ([...title].length > MAX_SAVED_REPLY_TITLE_CHARS)
    throw new CryptoError("TOO_LARGE", `a title has at most ${MAX_SAVED_REPLY_TITLE_CHARS} characters`);
}

/**
 * `u16 count | count × (fixed16 id | str title | str body)`, ids unique. Writes into `w`.
 *
 * @example
 * writeReplyList(sodium, w, [{ id, title: "Welkom", body: "Fijn dat je schrijft." }]);
 */
export function writeReplyList(sodium: Sodium, w: Writer, replies: readonly SavedReply[]): void {
  if (replies.length > MAX_SAVED_REPLIES)
    throw new CryptoError("TOO_LARGE", `at most ${MAX_SAVED_REPLIES} saved replies`);
  const seen = new Set<string>();
  w.u16(replies.length);
  for (const r of replies) {
    if (seen.has(r.id)) throw new CryptoError("MALFORMED", "two saved replies with one id");
    seen.add(r.id);
    checkTitle(r.title);
    w.fixed(idToBytes(sodium, r.id), ID_BYTES);
    w.bytes(boundedUtf8(r.title, TITLE_MAX_BYTES, "title"));
    w.bytes(boundedUtf8(r.body, MAX_BODY_BYTES, "saved reply"));
  }
}

/** Reads what `writeReplyList` wrote: `TOO_LARGE` above the bounds, `MALFORMED` for duplicate ids. */
export function readReplyList(sodium: Sodium, r: Reader): SavedReply[] {
  const count = r.u16();
  if (count > MAX_SAVED_REPLIES)
    throw new CryptoError("TOO_LARGE", `at most ${MAX_SAVED_REPLIES} saved replies`);
  const replies: SavedReply[] = [];
  const seen = new Set<string>();
  for (let i = 0; i < count; i++) {
    const id = toBase64(sodium, r.fixed(ID_BYTES));
    if (seen.has(id)) throw new CryptoError("MALFORMED", "two saved replies with one id");
    seen.add(id);
    const title = readBoundedString(r, TITLE_MAX_BYTES, "title");
    checkTitle(title);
    replies.push({ id, title, body: readBoundedString(r, MAX_BODY_BYTES, "saved reply") });
  }
  return replies;
}

/** Refuses an encoded list above `MAX_SAVED_REPLIES_PAYLOAD_BYTES` (`TOO_LARGE`). */
export function checkPayloadSize(bytes: Uint8Array): Uint8Array {
  if (bytes.length > MAX_SAVED_REPLIES_PAYLOAD_BYTES)
    throw new CryptoError("TOO_LARGE", `saved replies exceed ${MAX_SAVED_REPLIES_PAYLOAD_BYTES} bytes`);
  return bytes;
}

/**
 * The own set's plaintext: `reply list | str signature | u8 auto (0 or 1)`.
 *
 * @example
 * const bytes = encodeSavedRepliesContent(sodium, { replies, signature: { text: "Groet, Anna", auto: true } });
 */
export function encodeSavedRepliesContent(sodium: Sodium, content: SavedRepliesContent): Uint8Array {
  const w = new Writer();
  writeReplyList(sodium, w, content.replies);
  w.bytes(boundedUtf8(content.signature.text, MAX_SIGNATURE_BYTES, "signature"));
  w.u8(content.signature.auto ? 1 : 0);
  return checkPayloadSize(w.finish());
}

/** Parses the own set's plaintext (one encoding per value: `auto` is 0 or 1, no trailing bytes). */
export function parseSavedRepliesContent(sodium: Sodium, bytes: Uint8Array): SavedRepliesContent {
  checkPayloadSize(bytes);
  const r = new Reader(bytes);
  const replies = readReplyList(sodium, r);
  const text = readBoundedString(r, MAX_SIGNATURE_BYTES, "signature");
  const auto = r.u8();
  if (auto > 1) throw new CryptoError("MALFORMED", "auto is 0 or 1");
  r.end();
  return { replies, signature: { text, auto: auto === 1 } };
}
