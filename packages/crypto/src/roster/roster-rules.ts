import { compareBytes, isAllZero } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import { idToBytes, SEEKER_MEMBER_ID } from "../core/ids.js";
import type { Sodium } from "../core/sodium.js";
import type { RosterMember } from "../core/types.js";

/** Longest display name in UTF-8 bytes. */
export const DISPLAY_NAME_MAX_BYTES = 64;
/** The wire count is a u16. */
export const ROSTER_MAX_MEMBERS = 0xffff;

/** The fields of a roster that its rules constrain. */
export interface RosterContent {
  readonly version: number;
  readonly prevHash: Uint8Array;
  readonly members: readonly RosterMember[];
}

/**
 * Throws `ROSTER_INVALID` unless the roster content obeys PROTOCOL.md section 3: version >= 1,
 * zero previous hash exactly for version 1, members strictly sorted by memberId bytes (so no
 * duplicates), a known role, a display name of 1..64 bytes of well-formed UTF-8, at least one
 * supervisor, and no signing or box key used twice. The all-zero member id is reserved for the
 * help-seeker reader of epoch records, so no staff member may carry it.
 */
export function checkRosterRules(sodium: Sodium, roster: RosterContent): void {
  const fail = (why: string): never => {
    throw new CryptoError("ROSTER_INVALID", `roster invalid: ${why}`);
  };
  if (!Number.isInteger(roster.version) || roster.version < 1 || roster.version > 0xffffffff) {
    fail("version must be an integer >= 1");
  }
  if (roster.prevHash.length !== 32) fail("previous hash must be 32 bytes");
  if ((roster.version === 1) !== isAllZero(roster.prevHash)) {
    fail("previous hash must be zero exactly for version 1");
  }
  if (roster.members.length > ROSTER_MAX_MEMBERS) fail("too many members");
  if (!roster.members.some((m) => m.role === "supervisor")) fail("no supervisor");
  const signKeys = new Set<string>();
  const boxKeys = new Set<string>();
  let previousId: Uint8Array | undefined;
  for (const m of roster.members) {
    if (m.role !== "supervisor" && m.role !== "counsellor") fail(`unknown role for ${m.memberId}`);
    if (m.memberId === SEEKER_MEMBER_ID) fail("the zero member id is reserved for the help-seeker");
    const id = idToBytes(sodium, m.memberId);
    if (previousId !== undefined && compareBytes(previousId, id) >= 0) {
      fail("members not strictly sorted by memberId (or duplicated)");
    }
    previousId = id;
    checkDisplayName(m.displayName, fail);
    if (m.signPk.length !== 32 || m.boxPk.length !== 32) fail("public keys must be 32 bytes");
    const sk = keyText(m.signPk);
    const bk = keyText(m.boxPk);
    if (signKeys.has(sk)) fail("a signing key is used twice");
    if (boxKeys.has(bk)) fail("a box key is used twice");
    signKeys.add(sk);
    boxKeys.add(bk);
  }
}

function checkDisplayName(name: string, fail: (why: string) => never): void {
  const bytes = new TextEncoder().encode(name);
  // A lone surrogate would be encoded as U+FFFD and not survive a round trip.
  if (new TextDecoder().decode(bytes) !== name) fail("display name is not well-formed UTF-8");
  if (bytes.length < 1 || bytes.length > DISPLAY_NAME_MAX_BYTES) {
    fail(`display name must be 1..${DISPLAY_NAME_MAX_BYTES} bytes`);
  }
}

function keyText(key: Uint8Array): string {
  return Array.from(key, (b) => b.toString(16).padStart(2, "0")).join("");
}
