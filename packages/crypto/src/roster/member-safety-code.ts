/**
 * Member safety code (PROTOCOL.md §3, "Admission"): a short authentication string that a supervisor
 * and a new member compare, each reading it from their own screen, before the member's keys go on the
 * roster. Like Signal's safety numbers:
 *
 *   digest = first 30 bytes of H("briefgeheim/member-safety-code/v2",
 *                                 fixed16 helplineId || fixed16 memberId || u8 role ||
 *                                 fixed32 signPk || fixed32 boxPk)
 *   role   = 1 supervisor, 2 counsellor (as on the roster)
 *   code   = 6 groups of 5 decimal digits; group i = (5-byte big-endian chunk i of digest) mod 100000
 *
 * About 6 x 16.6 = 100 bits: a server cannot grind a second key pair that shows the same code.
 * The role is covered, so a server that lists a counsellor invitee as supervisor shows another code.
 * The label stays /v2: the code was never released without the role.
 */
import type { HelplineId, MemberId } from "../core/brand.js";
import { Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { idToBytes } from "../core/ids.js";
import { LABEL } from "../core/labels.js";
import type { Sodium } from "../core/sodium.js";
import type { Role } from "../core/types.js";

const GROUPS = 6;
const CHUNK_BYTES = 5;
const GROUP_DIGITS = 5;
const ROLE_CODE: Record<Role, number> = { supervisor: 1, counsellor: 2 };

/** Whose code: the roster entry (or pending member) as the two screens show it. */
export interface SafetyCodeSubject {
  readonly helplineId: HelplineId | string;
  readonly memberId: MemberId | string;
  /** The role the member is admitted with (the invitee's screen: the role of their invite). */
  readonly role: Role;
  readonly signPk: Uint8Array;
  readonly boxPk: Uint8Array;
}

/**
 * The member's safety code, `"01234 56789 ..."` (6 groups of 5 digits, single spaces).
 *
 * @example
 * memberSafetyCode(sodium, { helplineId, memberId, role, signPk, boxPk }); // "40517 00982 31764 ..."
 */
export function memberSafetyCode(sodium: Sodium, subject: SafetyCodeSubject): string {
  if (subject.signPk.length !== 32 || subject.boxPk.length !== 32) {
    throw new CryptoError("MALFORMED", "public keys must be 32 bytes");
  }
  const role = ROLE_CODE[subject.role];
  if (role === undefined) throw new CryptoError("MALFORMED", `unknown role ${String(subject.role)}`);
  const input = new Writer()
    .fixed(idToBytes(sodium, subject.helplineId), 16)
    .fixed(idToBytes(sodium, subject.memberId), 16)
    .u8(role)
    .fixed(subject.signPk, 32)
    .fixed(subject.boxPk, 32)
    .finish();
  const digest = labelledHash(sodium, LABEL.memberSafetyCode, input);
  const groups: string[] = [];
  for (let g = 0; g < GROUPS; g++) {
    let value = 0;
    // 5 bytes = 40 bits: exact in a double (below 2^53).
    for (let i = 0; i < CHUNK_BYTES; i++) value = value * 256 + (digest[g * CHUNK_BYTES + i] ?? 0);
    groups.push(String(value % 10 ** GROUP_DIGITS).padStart(GROUP_DIGITS, "0"));
  }
  return groups.join(" ");
}

/**
 * Throws `SAFETY_CODE_MISMATCH` unless `typed` (what the supervisor typed back or confirmed; spaces,
 * dashes and dots ignored) is exactly the code of `subject`. Anything but 30 digits fails too.
 *
 * @example
 * checkSafetyCode(sodium, pendingMember, typedByTheSupervisor);
 */
export function checkSafetyCode(sodium: Sodium, subject: SafetyCodeSubject, typed: string): void {
  const digits = typed.replace(/[\s.\-\u2010-\u2015]/gu, "");
  const expected = memberSafetyCode(sodium, subject).replace(/ /g, "");
  if (
    !/^[0-9]{30}$/.test(digits) ||
    !sodium.memcmp(new TextEncoder().encode(digits), new TextEncoder().encode(expected))
  ) {
    throw new CryptoError("SAFETY_CODE_MISMATCH", "the safety code differs from the one of these keys");
  }
}
