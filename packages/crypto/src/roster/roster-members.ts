import type { MemberId, SignPublicKey } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import type { Roster, RosterMember } from "../core/types.js";

/**
 * The roster member holding this signing key, if any.
 *
 * @example
 * const me = findMember(roster, myKeys.signing.publicKey);
 * if (me?.role === "supervisor") showTeamView();
 */
export function findMember(roster: Roster, signPk: SignPublicKey | Uint8Array): RosterMember | undefined {
  return roster.members.find((m) => samePublicBytes(m.signPk, signPk));
}

/** The roster member with this id, if any. */
export function findMemberById(roster: Roster, memberId: MemberId): RosterMember | undefined {
  return roster.members.find((m) => m.memberId === memberId);
}

/** Every supervisor (they read every thread of the helpline). */
export function rosterSupervisors(roster: Roster): RosterMember[] {
  return roster.members.filter((m) => m.role === "supervisor");
}

/** Every member flagged as intake reader (they read new threads before a claim), of any role. */
export function rosterIntakeReaders(roster: Roster): RosterMember[] {
  return roster.members.filter((m) => m.intakeReader);
}
