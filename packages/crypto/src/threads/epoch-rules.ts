import { samePublicBytes } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import type { EpochRecord, Roster } from "../core/types.js";
import { findMember, rosterSupervisors } from "../roster/roster-members.js";

/**
 * "Who may sign" (PROTOCOL.md section 4) for a record whose context, chain link and signature are
 * already checked. `roster` is the roster of `record.rosterVersion`.
 *
 * - Every staff reader is a roster member with the same memberId, signPk and boxPk (`NOT_ON_ROSTER`),
 *   so nobody can add a key the root did not sign.
 * - Epoch 0 (`open` only): signed by its single help-seeker reader; staff readers are supervisors
 *   or intake readers (`NOT_ON_ROSTER` for a member without that role).
 * - Epoch e > 0 (never `open`): the same help-seeker reader as before, a roster not older than
 *   before (`ROSTER_ROLLBACK`), every supervisor of that roster among the readers (so no signer,
 *   not even a supervisor removed by a later roster, can shut the other supervisors out of a
 *   thread), and a signer that is a supervisor, or a counsellor who read epoch e-1 and claims it for
 *   exactly themselves plus every supervisor of the roster.
 * Everything else about the signer is `SIGNER_NOT_ALLOWED`.
 */
export function checkWhoMaySign(record: EpochRecord, prev: EpochRecord | undefined, roster: Roster): void {
  const notAllowed = (why: string): never => {
    throw new CryptoError("SIGNER_NOT_ALLOWED", `epoch ${record.epoch}: ${why}`);
  };
  const seekers = record.readers.filter((r) => r.kind === "seeker");
  const seeker = seekers[0];
  if (seeker === undefined || seekers.length !== 1) notAllowed("a thread has exactly one help-seeker reader");
  const staff = record.readers.filter((r) => r.kind === "staff");
  for (const reader of staff) {
    const member = findMember(roster, reader.signPk);
    if (
      member === undefined ||
      member.memberId !== reader.memberId ||
      !samePublicBytes(member.boxPk, reader.boxPk)
    ) {
      throw new CryptoError("NOT_ON_ROSTER", `reader ${reader.memberId} is not on roster ${roster.version}`);
    }
    if (record.epoch === 0 && member.role !== "supervisor" && !member.intakeReader) {
      throw new CryptoError(
        "NOT_ON_ROSTER",
        `reader ${reader.memberId} is neither supervisor nor intake reader`,
      );
    }
  }

  if (record.epoch === 0) {
    if (record.reason !== "open") notAllowed("epoch 0 must be an open");
    if (!samePublicBytes(record.signerPk, seeker!.signPk)) notAllowed("epoch 0 is signed by its help-seeker");
    return;
  }
  if (prev === undefined) throw new CryptoError("EPOCH_CHAIN_BROKEN", "a later epoch needs its predecessor");
  if (record.reason === "open") notAllowed("only epoch 0 is an open");
  const prevSeeker = prev.readers.find((r) => r.kind === "seeker");
  if (
    prevSeeker === undefined ||
    !samePublicBytes(prevSeeker.signPk, seeker!.signPk) ||
    !samePublicBytes(prevSeeker.boxPk, seeker!.boxPk)
  ) {
    notAllowed("the help-seeker reader changed");
  }
  if (record.rosterVersion < prev.rosterVersion) {
    throw new CryptoError(
      "ROSTER_ROLLBACK",
      `record relies on roster ${record.rosterVersion} < ${prev.rosterVersion}`,
    );
  }
  const signer = findMember(roster, record.signerPk);
  if (signer === undefined) notAllowed("the signer is not on the roster");
  const listed = new Set(staff.map((r) => r.memberId));
  if (rosterSupervisors(roster).some((m) => !listed.has(m.memberId))) {
    notAllowed(`every supervisor of roster ${roster.version} reads every epoch after 0`);
  }
  if (signer!.role === "supervisor") return;

  // A counsellor may only take a thread they already read, for themselves and the supervisors.
  if (record.reason !== "claim") notAllowed("a counsellor may only claim");
  const wasReader = prev.readers.some(
    (r) => r.kind === "staff" && samePublicBytes(r.signPk, record.signerPk),
  );
  if (!wasReader) notAllowed("a counsellor may only claim a thread they read");
  const expected = new Set([signer!.memberId, ...rosterSupervisors(roster).map((m) => m.memberId)]);
  const actual = new Set(staff.map((r) => r.memberId));
  if (actual.size !== expected.size || [...expected].some((id) => !actual.has(id))) {
    notAllowed("a claim is read by the claimer and every supervisor, nobody else");
  }
}
