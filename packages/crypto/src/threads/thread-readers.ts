import { compareBytes } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import type { EpochRecord, Reader, RosterMember } from "../core/types.js";

/** A roster member as an epoch reader. */
export function memberAsReader(member: RosterMember): Reader {
  return { kind: "staff", memberId: member.memberId, signPk: member.signPk, boxPk: member.boxPk };
}

/** The help-seeker reader of a record (every valid record has exactly one). */
export function seekerReader(record: EpochRecord): Reader {
  const seeker = record.readers.find((r) => r.kind === "seeker");
  if (seeker === undefined) throw new CryptoError("MALFORMED", "record without a help-seeker reader");
  return seeker;
}

/** Readers sorted by signPk, the same key listed once (a supervisor who is also the claimer, say). */
export function readerSet(readers: readonly Reader[]): Reader[] {
  const sorted = [...readers].sort((a, b) => compareBytes(a.signPk, b.signPk));
  return sorted.filter((r, i) => i === 0 || compareBytes(sorted[i - 1]!.signPk, r.signPk) !== 0);
}
