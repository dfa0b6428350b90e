import { aeadOpen, aeadSeal } from "../core/aead.js";
import type { HelplineId, SavedRepliesKey } from "../core/brand.js";
import { concat, labelBytes, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { SAVED_REPLIES } from "../core/labels.js";
import { padPlaintext, unpadPlaintext } from "../core/padme.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import { readRepliesHeader, type SavedRepliesHeader, writeRepliesHeader } from "./saved-replies-header.js";
import {
  encodeSavedRepliesContent,
  parseSavedRepliesContent,
  type SavedRepliesContent,
} from "./saved-replies-payload.js";

/** An opened own set: its revision (the server's compare-and-set counter, bound in the AD) and content. */
export interface OpenedSavedReplies extends SavedRepliesContent {
  readonly revision: number;
}

function header(sodium: Sodium, helplineId: HelplineId, revision: number): Uint8Array {
  return writeRepliesHeader(sodium, new Writer(), SAVED_REPLIES, helplineId, revision).finish();
}

/**
 * Parses an own set's structure without opening it: header, `bytes sealed`, nothing after
 * (`UNSUPPORTED_VERSION`, `WRONG_TYPE`, `MALFORMED`). What the server checks before it stores one.
 *
 * @example
 * const { helplineId, revision } = parseSavedReplies(sodium, bytes);
 */
export function parseSavedReplies(
  sodium: Sodium,
  bytes: Uint8Array,
): SavedRepliesHeader & { readonly sealed: Uint8Array } {
  const r = new Reader(bytes);
  const head = readRepliesHeader(sodium, r, SAVED_REPLIES);
  const sealed = r.bytes();
  r.end();
  return { ...head, sealed };
}

/**
 * Seals a member's own saved replies and signature (type 0x0c, PROTOCOL.md §14):
 * `u8 0x02 | u8 0x0c | fixed16 helplineId | u32 revision | bytes sealed`, sealed =
 * AEAD(savedRepliesKey, padded content, AD = L("briefgeheim/saved-replies/v2") || header).
 *
 * @example
 * const bytes = sealSavedReplies(sodium, key, helplineId, 4, { replies, signature }, random);
 */
export function sealSavedReplies(
  sodium: Sodium,
  key: SavedRepliesKey,
  helplineId: HelplineId,
  revision: number,
  content: SavedRepliesContent,
  random: RandomSource,
): Uint8Array {
  const head = header(sodium, helplineId, revision);
  const padded = padPlaintext(encodeSavedRepliesContent(sodium, content));
  try {
    const sealed = aeadSeal(sodium, key, padded, concat(labelBytes(SAVED_REPLIES.label), head), random);
    return concat(head, new Writer().bytes(sealed).finish());
  } finally {
    sodium.memzero(padded);
  }
}

/**
 * Opens an own set: `UNSUPPORTED_VERSION` / `WRONG_TYPE` / `MALFORMED` for bytes of another shape,
 * `WRONG_CONTEXT` for another helpline's set, `DECRYPT_FAILED` for another key or any flipped byte
 * (header included: it is the AD).
 *
 * @example
 * const { revision, replies, signature } = openSavedReplies(sodium, key, bytes, helplineId);
 */
export function openSavedReplies(
  sodium: Sodium,
  key: SavedRepliesKey,
  bytes: Uint8Array,
  helplineId: HelplineId,
): OpenedSavedReplies {
  const { sealed, ...head } = parseSavedReplies(sodium, bytes);
  if (head.helplineId !== helplineId)
    throw new CryptoError("WRONG_CONTEXT", "these saved replies belong to another helpline");
  const ad = concat(labelBytes(SAVED_REPLIES.label), header(sodium, head.helplineId, head.revision));
  const padded = aeadOpen(sodium, key, sealed, ad);
  try {
    return { revision: head.revision, ...parseSavedRepliesContent(sodium, unpadPlaintext(padded)) };
  } finally {
    sodium.memzero(padded);
  }
}
