import {
  bytesEqual,
  type EpochRecord,
  findMember,
  type SignPublicKey,
  type ThreadProblem,
} from "@briefgeheim/crypto";
import type { ThreadContext } from "./thread-loader.js";

/**
 * `NOT_REKEYED` (PROTOCOL.md §4): who signed the current epoch, and every staff reader of it, must be
 * on the newest roster this client has verified (its chain, refreshed at sign-in and whenever a
 * record relies on a newer roster), with the same member id and keys. Anyone else was removed (or
 * got new keys) after the epoch began and may still hold its key until a supervisor's client moves
 * the thread to the new roster. A warning, not a refusal: posting stays possible in that window.
 */
export function notRekeyed(ctx: ThreadContext, current: EpochRecord): ThreadProblem[] {
  const { client, helplineId } = ctx;
  const { sodium } = client;
  const newest = client.helplines.cachedRoster(helplineId);
  if (newest === undefined || newest.version <= current.rosterVersion) return [];
  const onNewest = (signPk: SignPublicKey, memberId?: string, boxPk?: Uint8Array) => {
    const m = findMember(newest, signPk);
    return (
      m !== undefined &&
      (memberId === undefined || m.memberId === memberId) &&
      (boxPk === undefined || bytesEqual(sodium, m.boxPk, boxPk))
    );
  };
  const problems: ThreadProblem[] = [];
  const seekerSigned = current.readers.some(
    (r) => r.kind === "seeker" && bytesEqual(sodium, r.signPk, current.signerPk),
  );
  if (!seekerSigned && !onNewest(current.signerPk)) {
    problems.push({
      reason: "NOT_REKEYED",
      index: -1,
      detail: `epoch ${current.epoch} was signed by someone no longer on roster ${newest.version}`,
    });
  }
  for (const r of current.readers) {
    if (r.kind !== "staff" || onNewest(r.signPk, r.memberId, r.boxPk)) continue;
    problems.push({
      reason: "NOT_REKEYED",
      index: -1,
      detail: `${r.memberId} reads epoch ${current.epoch} and is not on roster ${newest.version}`,
    });
  }
  return problems;
}
