import { aeadOpen, aeadSeal } from "../core/aead.js";
import type { DraftBytes, DraftKey } from "../core/brand.js";
import { concat, labelBytes, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { LABEL, WIRE_TYPE, WIRE_VERSION } from "../core/labels.js";
import { padPlaintext, unpadPlaintext } from "../core/padme.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import type { Payload } from "../core/types.js";
import { boundedUtf8, encodePayload, parsePayload, readBoundedString } from "./payload.js";

export const MAX_DRAFT_CONTEXT_BYTES = 64;

/** A parsed draft (type 0x05): the context names it (`new:<helplineId>`, `reply:<threadId>`). */
export interface Draft {
  readonly context: string;
  readonly sealed: Uint8Array;
}

/** `u8 version | u8 type=0x05 | str context`: the bytes before `sealed`, bound into the AD. */
function draftHeader(context: string): Uint8Array {
  return new Writer()
    .u8(WIRE_VERSION)
    .u8(WIRE_TYPE.draft)
    .bytes(boundedUtf8(context, MAX_DRAFT_CONTEXT_BYTES, "draft context"))
    .finish();
}

function draftAd(context: string): Uint8Array {
  return concat(labelBytes(LABEL.draft), draftHeader(context));
}

/** Encode a draft structure. */
export function encodeDraft(draft: Draft): DraftBytes {
  return concat(draftHeader(draft.context), new Writer().bytes(draft.sealed).finish()) as DraftBytes;
}

/** Parse a draft structure: `UNSUPPORTED_VERSION`, `WRONG_TYPE`, `TOO_LARGE` (context) or `MALFORMED`. */
export function parseDraft(bytes: Uint8Array): Draft {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== WIRE_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `draft version ${version} is not supported`);
  }
  const type = r.u8();
  if (type !== WIRE_TYPE.draft) throw new CryptoError("WRONG_TYPE", `expected a draft, got type ${type}`);
  const context = readBoundedString(r, MAX_DRAFT_CONTEXT_BYTES, "draft context");
  const sealed = r.bytes();
  r.end();
  return { context, sealed };
}

/**
 * Encrypt a draft under the owner's draft key, bound to its context (PROTOCOL.md §7).
 *
 * @example
 * const bytes = sealDraft(sodium, draftKey, `reply:${threadId}`, payload, systemRandom(sodium));
 * openDraft(sodium, draftKey, bytes, `reply:${threadId}`); // payload
 */
export function sealDraft(
  sodium: Sodium,
  draftKey: DraftKey,
  context: string,
  payload: Payload,
  random: RandomSource,
): DraftBytes {
  const padded = padPlaintext(encodePayload(sodium, payload));
  try {
    return encodeDraft({ context, sealed: aeadSeal(sodium, draftKey, padded, draftAd(context), random) });
  } finally {
    sodium.memzero(padded);
  }
}

/**
 * Decrypt a draft. `WRONG_CONTEXT` when it names another context than `expectedContext` (a moved draft),
 * `DECRYPT_FAILED` when the AEAD fails (wrong key, tampered bytes).
 *
 * @example
 * const payload = openDraft(sodium, draftKey, bytes, `new:${helplineId}`);
 */
export function openDraft(
  sodium: Sodium,
  draftKey: DraftKey,
  bytes: Uint8Array,
  expectedContext: string,
): Payload {
  const draft = parseDraft(bytes);
  if (draft.context !== expectedContext) {
    throw new CryptoError("WRONG_CONTEXT", "the draft belongs to another context");
  }
  const padded = aeadOpen(sodium, draftKey, draft.sealed, draftAd(draft.context));
  try {
    return parsePayload(sodium, unpadPlaintext(padded));
  } finally {
    sodium.memzero(padded);
  }
}
