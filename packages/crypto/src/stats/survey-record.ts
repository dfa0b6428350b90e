import { aeadOpen, aeadSeal } from "../core/aead.js";
import type { EpochKey, HelplineId, ThreadId } from "../core/brand.js";
import { concat, labelBytes, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { ID_BYTES, idFromBytes, idToBytes } from "../core/ids.js";
import { KDF_CONTEXT, SURVEY } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import { decodeSurveyAnswers, encodeSurveyAnswers, type SurveyAnswers } from "./survey-answers.js";

/** The context a survey record (type 0x09) is bound to; the server checks it before storing. */
export interface SurveyContext {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  /** The epoch whose main key K_e the answers are sealed under (always 0 from the apps). */
  readonly epoch: number;
}

/** A parsed survey record: its context and `nonce || ciphertext`. */
export interface SurveyRecord extends SurveyContext {
  readonly sealed: Uint8Array;
}

/** The plaintext is padded to this many bytes, so the record's size does not tell which were answered. */
export const SURVEY_PLAINTEXT_BYTES = 192;

/** `u8 0x02 | u8 0x09 | helplineId[16] | threadId[16] | u32 epoch`: bound into the AD. */
function surveyHeader(sodium: Sodium, ctx: SurveyContext): Uint8Array {
  return new Writer()
    .u8(SURVEY.version)
    .u8(SURVEY.type)
    .fixed(idToBytes(sodium, ctx.helplineId), ID_BYTES)
    .fixed(idToBytes(sodium, ctx.threadId), ID_BYTES)
    .u32(ctx.epoch)
    .finish();
}

/** The record's AEAD key: `KDF(K_e, 9, "bg-epoch")`, never a message key (those use id 2). */
function surveyKey(sodium: Sodium, key: EpochKey): Uint8Array {
  return sodium.crypto_kdf_derive_from_key(32, SURVEY.kdfId, KDF_CONTEXT.epoch, key);
}

/**
 * Parses a survey record: `UNSUPPORTED_VERSION`, `WRONG_TYPE` or `MALFORMED` (ids, length, trailing
 * bytes). Needs no key: the server checks the context with it.
 */
export function parseSurveyRecord(sodium: Sodium, bytes: Uint8Array): SurveyRecord {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== SURVEY.version) {
    throw new CryptoError("UNSUPPORTED_VERSION", `survey record version ${version} is not supported`);
  }
  const type = r.u8();
  if (type !== SURVEY.type) throw new CryptoError("WRONG_TYPE", `expected a survey record, got type ${type}`);
  const helplineId = idFromBytes<HelplineId>(sodium, r.fixed(ID_BYTES));
  const threadId = idFromBytes<ThreadId>(sodium, r.fixed(ID_BYTES));
  const epoch = r.u32();
  const sealed = r.bytes(SURVEY_PLAINTEXT_BYTES + 64);
  r.end();
  return { helplineId, threadId, epoch, sealed };
}

/**
 * Seals a help-seeker's answers for the readers of an epoch of their conversation (docs/PROTOCOL.md
 * §13): XChaCha20-Poly1305 under a subkey of K_e, AD = label || header. The server sees only the size.
 *
 * @example
 * const bytes = sealSurveyRecord(sodium, { helplineId, threadId, epoch: 0 }, keys.key, { age: "16-18" }, random);
 */
export function sealSurveyRecord(
  sodium: Sodium,
  ctx: SurveyContext,
  key: EpochKey,
  answers: SurveyAnswers,
  random: RandomSource,
): Uint8Array {
  const header = surveyHeader(sodium, ctx);
  const plain = encodeSurveyAnswers(answers, SURVEY_PLAINTEXT_BYTES);
  const k = surveyKey(sodium, key);
  try {
    const sealed = aeadSeal(sodium, k, plain, concat(labelBytes(SURVEY.label), header), random);
    return concat(header, new Writer().bytes(sealed).finish());
  } finally {
    sodium.memzero(k);
    sodium.memzero(plain);
  }
}

/**
 * Opens a survey record with the epoch's main key. `WRONG_CONTEXT` when it names another helpline,
 * thread or epoch than expected (a record moved by the server), `DECRYPT_FAILED` when it was altered
 * or sealed under another key, `MALFORMED` when the plaintext is not answers.
 *
 * @example
 * const answers = openSurveyRecord(sodium, bytes, { helplineId, threadId, epoch: 0 }, keys.key);
 */
export function openSurveyRecord(
  sodium: Sodium,
  bytes: Uint8Array,
  expected: SurveyContext,
  key: EpochKey,
): SurveyAnswers {
  // The expected header compared as bytes: for any record, the same outcome as parsing its header and
  // comparing fields (ids have one encoding), without turning two ids into text per record while
  // counting. An expected context that is itself malformed (an id that is not 16 bytes, an epoch out
  // of range) is now MALFORMED before any record is read; callers pass contexts they checked.
  const header = surveyHeader(sodium, expected);
  // (A shorter record differs too: bytes[i] is undefined past its end.)
  if (!header.every((b, i) => bytes[i] === b)) {
    parseSurveyRecord(sodium, bytes); // throws the version, type or malformation refusal, if any
    throw new CryptoError("WRONG_CONTEXT", "the survey record belongs to another conversation or epoch");
  }
  const r = new Reader(bytes.subarray(header.length));
  const sealed = r.bytes(SURVEY_PLAINTEXT_BYTES + 64);
  r.end();
  const k = surveyKey(sodium, key);
  try {
    const plain = aeadOpen(sodium, k, sealed, concat(labelBytes(SURVEY.label), header));
    return decodeSurveyAnswers(plain);
  } finally {
    sodium.memzero(k);
  }
}
