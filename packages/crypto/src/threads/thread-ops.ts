import type { MemberId, SignKeyPair } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import type { EnvelopeHead, EpochKeys, EpochRecord, Reader, Roster, RosterMember } from "../core/types.js";
import { findMember, findMemberById, rosterSupervisors } from "../roster/roster-members.js";
import { type EpochStart, startEpoch } from "./start-epoch.js";
import { memberAsReader, seekerReader } from "./thread-readers.js";

/** What every thread operation needs: the current epoch, the signer's keys of it, who signs. */
export interface ThreadOpOptions {
  readonly prev: EpochRecord;
  readonly prevKeys: EpochKeys;
  /** The newest verified roster. */
  readonly roster: Roster;
  readonly signer: SignKeyPair;
  readonly random: RandomSource;
  readonly now: number;
  /** The thread's heads as the signer sees them (see `StartEpochOptions.heads`). */
  readonly heads: readonly EnvelopeHead[];
}

/** Members of the roster, by id, with the roster's keys (never keys from elsewhere). */
function onRoster(roster: Roster, members: readonly RosterMember[]): Reader[] {
  return members.map((m) => {
    const listed = findMemberById(roster, m.memberId);
    if (listed === undefined) throw new CryptoError("NOT_ON_ROSTER", `${m.memberId} is not on the roster`);
    return memberAsReader(listed);
  });
}

function withSupervisors(opts: ThreadOpOptions, staff: readonly Reader[]): Reader[] {
  return [seekerReader(opts.prev), ...staff, ...rosterSupervisors(opts.roster).map(memberAsReader)];
}

/**
 * A counsellor (who read the previous epoch, e.g. from intake) takes the thread: readers become
 * the help-seeker, the claimer and the supervisors.
 *
 * @example
 * const next = claimThread(sodium, { prev, prevKeys, roster, signer: me.signing, random, now: Date.now(), heads });
 */
export function claimThread(sodium: Sodium, opts: ThreadOpOptions): EpochStart {
  const me = findMember(opts.roster, opts.signer.publicKey);
  if (me === undefined) throw new CryptoError("NOT_ON_ROSTER", "the claimer is not on the roster");
  return startEpoch(sodium, {
    ...opts,
    reason: "claim",
    readers: withSupervisors(opts, [memberAsReader(me)]),
  });
}

/**
 * A supervisor gives the thread to one or more counsellors: readers become the help-seeker, those
 * counsellors and the supervisors.
 *
 * @example
 * const next = assignThread(sodium, { prev, prevKeys, roster, signer: supervisor.signing, to: [anna], random, now, heads });
 */
export function assignThread(
  sodium: Sodium,
  opts: ThreadOpOptions & { readonly to: RosterMember | readonly RosterMember[] },
): EpochStart {
  return assignLike(sodium, opts, "assign");
}

/** Like `assignThread`, for a thread that already had a counsellor (who loses access to what follows). */
export function reassignThread(
  sodium: Sodium,
  opts: ThreadOpOptions & { readonly to: RosterMember | readonly RosterMember[] },
): EpochStart {
  return assignLike(sodium, opts, "reassign");
}

function assignLike(
  sodium: Sodium,
  opts: ThreadOpOptions & { readonly to: RosterMember | readonly RosterMember[] },
  reason: "assign" | "reassign",
): EpochStart {
  const to: readonly RosterMember[] = Array.isArray(opts.to) ? opts.to : [opts.to as RosterMember];
  if (to.length === 0) throw new CryptoError("NOT_ON_ROSTER", "assign to at least one member");
  return startEpoch(sodium, { ...opts, reason, readers: withSupervisors(opts, onRoster(opts.roster, to)) });
}

/**
 * A supervisor removes one staff reader: the others stay (with their current roster keys; anyone
 * no longer on the roster is dropped too), every supervisor of the roster reads on (a supervisor
 * still on the roster cannot be removed from a thread: `SIGNER_NOT_ALLOWED`, PROTOCOL.md §4), and
 * the removed member cannot read what follows.
 *
 * @example
 * const next = removeReader(sodium, { prev, prevKeys, roster, signer: supervisor.signing, member: leaver.memberId, random, now, heads });
 */
export function removeReader(
  sodium: Sodium,
  opts: ThreadOpOptions & { readonly member: MemberId },
): EpochStart {
  const staff = opts.prev.readers.filter((r) => r.kind === "staff");
  if (!staff.some((r) => r.memberId === opts.member)) {
    throw new CryptoError("NOT_A_READER", `${opts.member} does not read epoch ${opts.prev.epoch}`);
  }
  if (findMemberById(opts.roster, opts.member)?.role === "supervisor") {
    throw new CryptoError("SIGNER_NOT_ALLOWED", "a supervisor on the roster reads every thread");
  }
  const remaining = staff.flatMap((r) => {
    const listed = r.memberId === opts.member ? undefined : findMemberById(opts.roster, r.memberId);
    return listed === undefined ? [] : [memberAsReader(listed)];
  });
  return startEpoch(sodium, {
    ...opts,
    reason: "remove",
    readers: withSupervisors(opts, remaining),
  });
}

/**
 * A supervisor re-keys a thread after a roster change: staff readers still on the roster stay
 * (with their current keys), those gone are dropped, and every current supervisor is added.
 * Raising the thread's roster version also stops anyone removed from the roster from signing a
 * later epoch that relies on an older roster.
 */
export function applyRosterChange(sodium: Sodium, opts: ThreadOpOptions): EpochStart {
  const staff = opts.prev.readers.flatMap((r) => {
    const listed = r.kind === "staff" ? findMemberById(opts.roster, r.memberId) : undefined;
    return listed === undefined ? [] : [memberAsReader(listed)];
  });
  return startEpoch(sodium, { ...opts, reason: "roster-change", readers: withSupervisors(opts, staff) });
}
