import type { HelplineId, RootPublicKey, RosterBytes } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import { LABEL } from "../core/labels.js";
import { verifyWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type { Roster } from "../core/types.js";
import { parseRoster } from "./roster.js";
import { rosterSupervisors } from "./roster-members.js";
import { checkRosterRules } from "./roster-rules.js";

export interface RosterTrust {
  /** The root key pinned in the client build for this helpline. */
  readonly pinnedRoot: RootPublicKey;
  readonly helplineId: HelplineId;
  /**
   * The newest roster this client already verified, if any. The root it names (after any succession)
   * is the "current root"; the pin is only checked at version 1.
   */
  readonly trusted?: Roster;
}

/**
 * Verifies one roster: helpline (`WRONG_CONTEXT`), content rules (`ROSTER_INVALID`), who signed and
 * the signature (`ROSTER_SIGNER_NOT_ALLOWED`, `BAD_SIGNATURE`), and its place in the chain.
 *
 * - Version 1 (no `trusted`): rootPk and signerPk are both the pinned root (`ROSTER_WRONG_ROOT`).
 * - Version N > 1 (`trusted` = roster N-1): version exactly N-1+1 (`ROSTER_ROLLBACK` when not newer,
 *   `ROSTER_CHAIN_BROKEN` when it skips a version or names another predecessor); the signer is the
 *   current root (rootPk of N-1) or a supervisor listed on N-1 (`ROSTER_SIGNER_NOT_ALLOWED`); the root
 *   changes only when the old root signs (succession, else `ROSTER_INVALID`).
 *
 * A roster of version > 1 without `trusted` cannot be judged (who may sign depends on the roster
 * before it): `ROSTER_CHAIN_BROKEN`. Use `verifyRosterChain` to start from nothing.
 *
 * @example
 * const v4 = verifyRoster(sodium, bytes, { pinnedRoot, helplineId, trusted: v3 });
 */
export function verifyRoster(sodium: Sodium, bytes: RosterBytes, trust: RosterTrust): Roster {
  const roster = parseRoster(sodium, bytes);
  if (roster.helplineId !== trust.helplineId) {
    throw new CryptoError("WRONG_CONTEXT", "roster belongs to another helpline");
  }
  const trusted = trust.trusted;
  if (trusted === undefined) {
    checkFounding(roster, trust.pinnedRoot);
  } else {
    checkFollows(roster, trusted, trust.helplineId);
  }
  const body = bytes.subarray(0, bytes.length - roster.signature.length);
  verifyWithLabel(sodium, LABEL.roster, body, roster.signature, roster.signerPk);
  checkRosterRules(sodium, roster);
  return roster;
}

/** Version 1: founded and signed by the pinned root. */
function checkFounding(roster: Roster, pinnedRoot: RootPublicKey): void {
  if (roster.version !== 1) {
    throw new CryptoError("ROSTER_CHAIN_BROKEN", "a roster after version 1 needs the roster before it");
  }
  if (!samePublicBytes(roster.rootPk, pinnedRoot) || !samePublicBytes(roster.signerPk, pinnedRoot)) {
    throw new CryptoError("ROSTER_WRONG_ROOT", "roster version 1 is not founded by the pinned helpline root");
  }
}

/** Version N > 1: follows N-1 directly and is signed by someone N-1 allows. */
function checkFollows(roster: Roster, trusted: Roster, helplineId: HelplineId): void {
  if (trusted.helplineId !== helplineId) {
    throw new CryptoError("WRONG_CONTEXT", "the trusted roster belongs to another helpline");
  }
  if (roster.version <= trusted.version) {
    throw new CryptoError(
      "ROSTER_ROLLBACK",
      `roster version ${roster.version} is not newer than trusted ${trusted.version}`,
    );
  }
  if (roster.version !== trusted.version + 1 || !samePublicBytes(roster.prevHash, trusted.hash)) {
    throw new CryptoError(
      "ROSTER_CHAIN_BROKEN",
      `roster ${roster.version} does not follow ${trusted.version}`,
    );
  }
  const byRoot = samePublicBytes(roster.signerPk, trusted.rootPk);
  const bySupervisor = rosterSupervisors(trusted).some((m) => samePublicBytes(m.signPk, roster.signerPk));
  if (!byRoot && !bySupervisor) {
    throw new CryptoError(
      "ROSTER_SIGNER_NOT_ALLOWED",
      `roster ${roster.version} is signed by neither the root nor a supervisor of roster ${trusted.version}`,
    );
  }
  if (!samePublicBytes(roster.rootPk, trusted.rootPk) && !byRoot) {
    throw new CryptoError("ROSTER_INVALID", "only the current root may hand the root over to a new one");
  }
}

/**
 * Verifies consecutive rosters and returns them parsed, oldest first; the last is the newest.
 *
 * With `trusted`, the chain must start at `trusted.version + 1` (an empty chain means "no news").
 * Without it, the chain must start at version 1: a client with no trusted state verifies the
 * whole history from the first roster, so the server cannot hide a past roster (for instance one
 * that briefly listed an attacker's key) behind a later one.
 *
 * @example
 * const rosters = verifyRosterChain(sodium, chainFromServer, { pinnedRoot, helplineId });
 * const current = rosters.at(-1)!;
 */
export function verifyRosterChain(
  sodium: Sodium,
  chain: readonly RosterBytes[],
  trust: RosterTrust,
): Roster[] {
  if (trust.trusted === undefined) {
    if (chain.length === 0) throw new CryptoError("ROSTER_CHAIN_BROKEN", "no roster to start from");
  }
  const out: Roster[] = [];
  let trusted = trust.trusted;
  for (const bytes of chain) {
    // Without trusted state verifyRoster itself refuses anything but version 1 (checkFounding).
    const roster = verifyRoster(sodium, bytes, { ...trust, trusted });
    out.push(roster);
    trusted = roster;
  }
  return out;
}
