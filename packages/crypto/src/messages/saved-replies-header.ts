import type { HelplineId } from "../core/brand.js";
import type { Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { ID_BYTES, idFromBytes, idToBytes } from "../core/ids.js";
import type { Sodium } from "../core/sodium.js";

/** What the server may read of a saved-reply set (own 0x0c or team 0x0d): its helpline and revision. */
export interface SavedRepliesHeader {
  readonly type: number;
  readonly helplineId: HelplineId;
  readonly revision: number;
}

/** The structure constants a header is checked against. */
export interface RepliesStructure {
  readonly version: number;
  readonly type: number;
}

/**
 * Writes `u8 version | u8 type | fixed16 helplineId | u32 revision` (revision >= 1).
 *
 * @example
 * const w = writeRepliesHeader(sodium, new Writer(), SAVED_REPLIES, helplineId, 3);
 */
export function writeRepliesHeader(
  sodium: Sodium,
  w: Writer,
  structure: RepliesStructure,
  helplineId: HelplineId,
  revision: number,
): Writer {
  if (!Number.isInteger(revision) || revision < 1 || revision > 0xffffffff)
    throw new CryptoError("MALFORMED", "a revision is a u32 from 1");
  return w
    .u8(structure.version)
    .u8(structure.type)
    .fixed(idToBytes(sodium, helplineId), ID_BYTES)
    .u32(revision);
}

/** Reads the header written by `writeRepliesHeader`: `UNSUPPORTED_VERSION`, `WRONG_TYPE`, `MALFORMED`. */
export function readRepliesHeader(
  sodium: Sodium,
  r: Reader,
  structure: RepliesStructure,
): SavedRepliesHeader {
  const version = r.u8();
  if (version !== structure.version)
    throw new CryptoError("UNSUPPORTED_VERSION", `saved replies version ${version} is not supported`);
  const type = r.u8();
  if (type !== structure.type)
    throw new CryptoError("WRONG_TYPE", `expected structure type ${structure.type}, got ${type}`);
  const helplineId = idFromBytes<HelplineId>(sodium, r.fixed(ID_BYTES));
  const revision = r.u32();
  if (revision < 1) throw new CryptoError("MALFORMED", "a revision starts at 1");
  return { type, helplineId, revision };
}
