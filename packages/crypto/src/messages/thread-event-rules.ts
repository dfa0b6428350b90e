import { bytesEqual } from "../core/hash.js";
import type { Sodium } from "../core/sodium.js";
import type { Envelope, RosterMember, ThreadEvent } from "../core/types.js";
import type { ThreadEpoch, ThreadProblem } from "./verify-thread.js";

/**
 * Who may sign a handover and whom it may name (PROTOCOL.md §5.1), checked by every reader:
 *
 * - the named member (id and sign key) is a staff reader of the event's epoch, and on the roster that
 *   epoch relied on under the same id, key and display name (`EVENT_NOT_A_READER`): an event cannot
 *   hand the thread to someone who cannot read it, nor show another name than the roster's;
 * - the signer is a supervisor on that roster, or the named member themselves when they also signed the
 *   epoch's record, i.e. made the epoch that gave them the thread (a claim) (`EVENT_SIGNER_NOT_ALLOWED`):
 *   a counsellor cannot announce a handover to someone else, and a reader the epoch merely kept or
 *   added (an intake reader, a co-reader) cannot announce that they took the thread over.
 *
 * Without the roster of the epoch (`epoch.roster` absent) nothing can be checked: refused, not trusted.
 */
export function checkThreadEvent(
  sodium: Sodium,
  index: number,
  envelope: Envelope,
  event: ThreadEvent,
  epoch: ThreadEpoch,
): ThreadProblem[] {
  const roster: readonly RosterMember[] | undefined = epoch.roster;
  if (roster === undefined) {
    return [
      {
        reason: "EVENT_SIGNER_NOT_ALLOWED",
        index,
        detail: `the roster of epoch ${envelope.epoch} is not verified`,
      },
    ];
  }
  const problems: ThreadProblem[] = [];
  const reads = epoch.readers.some(
    (r) => r.kind === "staff" && r.memberId === event.memberId && bytesEqual(sodium, r.signPk, event.signPk),
  );
  const named = roster.find((m) => m.memberId === event.memberId);
  if (!reads) {
    problems.push({
      reason: "EVENT_NOT_A_READER",
      index,
      detail: `${event.memberId} does not read epoch ${envelope.epoch}`,
    });
  } else if (named === undefined || !bytesEqual(sodium, named.signPk, event.signPk)) {
    problems.push({ reason: "EVENT_NOT_A_READER", index, detail: `${event.memberId} is not on the roster` });
  } else if (named.displayName !== event.displayName) {
    problems.push({ reason: "EVENT_NOT_A_READER", index, detail: "the name differs from the roster's" });
  }
  const self = bytesEqual(sodium, envelope.senderSignPk, event.signPk);
  const signer = roster.find((m) => bytesEqual(sodium, m.signPk, envelope.senderSignPk));
  // Reading the epoch is not being given it: only the record's signer took the thread over themselves.
  const madeEpoch = epoch.signerPk !== undefined && bytesEqual(sodium, epoch.signerPk, event.signPk);
  // A supervisor may hand the thread to any reader the rules above accept.
  if (signer?.role === "supervisor") return problems;
  if (!self) {
    problems.push({
      reason: "EVENT_SIGNER_NOT_ALLOWED",
      index,
      detail: "a handover is signed by a supervisor or by the member taking over",
    });
  } else if (!madeEpoch) {
    problems.push({
      reason: "EVENT_SIGNER_NOT_ALLOWED",
      index,
      detail: `${event.memberId} did not make epoch ${envelope.epoch}: a reader cannot announce taking it over`,
    });
  }
  return problems;
}
