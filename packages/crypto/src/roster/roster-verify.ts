import type { HelplineId, RootPublicKey, RosterBytes } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { CryptoError } from "../core/errors.js";
import { LABEL } from "../core/labels.js";
import { verifyWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type { Roster } from "../core/types.js";
import { parseRoster } from "./roster.js";
import { checkRosterRules } from "./roster-rules.js";

export interface RosterTrust {
  /** The root key pinned in the client build for this helpline. */
  readonly pinnedRoot: RootPublicKey;
  readonly helplineId: HelplineId;
  /** The newest roster this client already verified, if any. */
  readonly trusted?: Roster;
}

/**
 * Verifies one roster: helpline (`WRONG_CONTEXT`), pinned root (`ROSTER_WRONG_ROOT`), signature
 * (`BAD_SIGNATURE`), content rules (`ROSTER_INVALID`), and, given a trusted roster, that this one
 * follows it directly (`ROSTER_ROLLBACK` when not newer, `ROSTER_CHAIN_BROKEN` when it skips a
 * version or names another predecessor). Without `trusted` the version is not constrained: use
 * `verifyRosterChain` to start from nothing.
 *
 * @example
 * const v4 = verifyRoster(sodium, bytes, { pinnedRoot, helplineId, trusted: v3 });
 */
export function verifyRoster(sodium: Sodium, bytes: RosterBytes, trust: RosterTrust): Roster {
  const roster = parseRoster(sodium, bytes);
  if (roster.helplineId !== trust.helplineId) {
    throw new CryptoError("WRONG_CONTEXT", "roster belongs to another helpline");
  }
  if (!samePublicBytes(roster.rootPk, trust.pinnedRoot)) {
    throw new CryptoError("ROSTER_WRONG_ROOT", "roster is not issued by the pinned helpline root");
  }
  const body = bytes.subarray(0, bytes.length - roster.signature.length);
  verifyWithLabel(sodium, LABEL.roster, body, roster.signature, trust.pinnedRoot);
  checkRosterRules(sodium, roster);
  const trusted = trust.trusted;
  if (trusted !== undefined) {
    if (trusted.helplineId !== trust.helplineId || !samePublicBytes(trusted.rootPk, trust.pinnedRoot)) {
      throw new CryptoError("WRONG_CONTEXT", "the trusted roster belongs to another helpline or root");
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
  }
  return roster;
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
    const roster = verifyRoster(sodium, bytes, { ...trust, trusted });
    if (trusted === undefined && roster.version !== 1) {
      throw new CryptoError(
        "ROSTER_CHAIN_BROKEN",
        "a roster chain without trusted state must start at version 1",
      );
    }
    out.push(roster);
    trusted = roster;
  }
  return out;
}
