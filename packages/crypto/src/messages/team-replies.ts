import type { HelplineId, MemberId } from "../core/brand.js";
import { compareBytes } from "../core/byte-order.js";
import { Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { ID_BYTES, idFromBytes, idToBytes } from "../core/ids.js";
import { TEAM_REPLIES } from "../core/labels.js";
import { SEALED_BOX_OVERHEAD } from "../core/sealed-box.js";
import type { Sodium } from "../core/sodium.js";
import { readRepliesHeader, writeRepliesHeader } from "./saved-replies-header.js";

/** Bytes of one wrapped team key: a sealed box of 32 bytes. */
export const TEAM_WRAP_BYTES = 32 + SEALED_BOX_OVERHEAD;
/** Most wraps a set carries: more than a roster of at most 256 KiB can list. */
export const MAX_TEAM_WRAPS = 3000;
const SIGNATURE_BYTES = 64;

/** The team key K of one revision, sealed to one member's box key. */
export interface TeamWrap {
  readonly memberId: MemberId;
  readonly sealed: Uint8Array;
}

/** A parsed team set (type 0x0d); nothing in it is checked yet (`openTeamReplies` does that). */
export interface TeamReplies {
  readonly helplineId: HelplineId;
  readonly revision: number;
  /** The roster version whose members the supervisor wrapped K to. */
  readonly rosterVersion: number;
  /** The supervisor who signed it (looked up on the reader's newest verified roster). */
  readonly signer: MemberId;
  /** Sorted by member id bytes, one per member. */
  readonly wraps: readonly TeamWrap[];
  readonly sealed: Uint8Array;
  readonly signature: Uint8Array;
}

/** `fixed16 memberId` of a wrap, for the sort and duplicate checks. */
function wrapOrder(sodium: Sodium, wraps: readonly TeamWrap[]): void {
  let previous: Uint8Array | undefined;
  for (const w of wraps) {
    const id = idToBytes(sodium, w.memberId);
    if (previous !== undefined && compareBytes(previous, id) >= 0)
      throw new CryptoError("MALFORMED", "wraps are sorted by member id, one per member");
    previous = id;
  }
}

/**
 * The header the AEAD binds: `u8 0x02 | u8 0x0d | fixed16 helplineId | u32 revision | u32 rosterVersion |
 * fixed16 signer`.
 *
 * @example
 * const ad = concat(labelBytes(TEAM_REPLIES.sealLabel), teamRepliesHeader(sodium, set));
 */
export function teamRepliesHeader(
  sodium: Sodium,
  t: Pick<TeamReplies, "helplineId" | "revision" | "rosterVersion" | "signer">,
): Uint8Array {
  return writeRepliesHeader(sodium, new Writer(), TEAM_REPLIES, t.helplineId, t.revision)
    .u32(t.rosterVersion)
    .fixed(idToBytes(sodium, t.signer), ID_BYTES)
    .finish();
}

/**
 * Everything the signature covers: the header, `u16 count | count × (fixed16 memberId | fixed80 wrap)`
 * and `bytes sealed`.
 */
export function teamRepliesSigned(sodium: Sodium, t: Omit<TeamReplies, "signature">): Uint8Array {
  if (t.wraps.length > MAX_TEAM_WRAPS) throw new CryptoError("TOO_LARGE", "too many wraps");
  wrapOrder(sodium, t.wraps);
  const w = new Writer().fixed(teamRepliesHeader(sodium, t), 2 + 2 * ID_BYTES + 4 + 4);
  w.u16(t.wraps.length);
  for (const wrap of t.wraps) {
    w.fixed(idToBytes(sodium, wrap.memberId), ID_BYTES).fixed(wrap.sealed, TEAM_WRAP_BYTES);
  }
  return w.bytes(t.sealed).finish();
}

/**
 * Parses a team set: `UNSUPPORTED_VERSION`, `WRONG_TYPE`, `MALFORMED` (short, trailing bytes, unsorted
 * or repeated wraps), `TOO_LARGE`. No signature check.
 *
 * @example
 * const { revision, signer } = parseTeamReplies(sodium, bytes);
 */
export function parseTeamReplies(sodium: Sodium, bytes: Uint8Array): TeamReplies {
  const r = new Reader(bytes);
  const { helplineId, revision } = readRepliesHeader(sodium, r, TEAM_REPLIES);
  const rosterVersion = r.u32();
  const signer = idFromBytes<MemberId>(sodium, r.fixed(ID_BYTES));
  const count = r.u16();
  if (count > MAX_TEAM_WRAPS) throw new CryptoError("TOO_LARGE", "too many wraps");
  const wraps: TeamWrap[] = [];
  for (let i = 0; i < count; i++) {
    wraps.push({
      memberId: idFromBytes<MemberId>(sodium, r.fixed(ID_BYTES)),
      sealed: r.fixed(TEAM_WRAP_BYTES),
    });
  }
  wrapOrder(sodium, wraps);
  const sealed = r.bytes();
  const signature = r.fixed(SIGNATURE_BYTES);
  r.end();
  return { helplineId, revision, rosterVersion, signer, wraps, sealed, signature };
}
