import {
  bytesEqual,
  type Fingerprint,
  generateRootKey,
  type RootRecoveryText,
  type Roster,
  type RosterChanges,
  rootFingerprint,
  rootKeyFromSheet,
  rootRecoveryText,
  wipeRootKey,
} from "@briefgeheim/crypto";
import { ClientError } from "./errors.js";
import type { StaffContext } from "./staff-context.js";
import { publishSignedRoster } from "./staff-team-roster.js";

// The helpline root after setup (PROTOCOL.md §3): it lives only on the printed root recovery sheet.
// It is typed in for two things: an emergency roster (no supervisor left to sign) and handing the
// root over to a new one (succession). The seed is wiped as soon as the roster is signed.

export { wipeRootKey };

/** The root of a typed sheet, refused unless it is the helpline's current root (`ROSTER_WRONG_ROOT`). */
async function currentRootFromSheet(ctx: StaffContext, sheet: string) {
  const { client, helplineId } = ctx;
  const current = await client.helplines.latestRoster(helplineId);
  const root = rootKeyFromSheet(client.sodium, sheet);
  if (!bytesEqual(client.sodium, root.keyPair.publicKey, current.rootPk)) {
    wipeRootKey(root);
    throw new ClientError("ROSTER_WRONG_ROOT", "this sheet is not the helpline's current root", {
      source: "crypto",
    });
  }
  return root;
}

/**
 * Publishes the next roster signed with the root from its recovery sheet: the way back when no
 * supervisor is left (any signed-in staff member with the sheet can do it, e.g. to make themselves
 * supervisor). It removes members or changes roles, flags and names; it never adds or changes keys
 * (`ROSTER_INVALID`). `ROSTER_WRONG_ROOT` for a sheet of another (or a succeeded) root, `INVALID_RECOVERY_KEY`
 * for a typo.
 *
 * @example
 * await publishRosterWithRootSheet(ctx, typedSheet, (r) => ({ replace: [{ ...me, role: "supervisor" }] }));
 */
export async function publishRosterWithRootSheet(
  ctx: StaffContext,
  sheet: string,
  changes: (roster: Roster) => RosterChanges | undefined,
): Promise<Roster> {
  const root = await currentRootFromSheet(ctx, sheet);
  try {
    return await publishSignedRoster(ctx, root.keyPair, (roster) => keysUnchanged(roster, changes(roster)));
  } finally {
    wipeRootKey(root);
  }
}

/**
 * The root's emergency roster may remove members and change roles, intake flags and names, but never
 * add a key or change one: new keys come only through admission (binding or safety code), so no path
 * puts an unchecked key on a roster. `ROSTER_INVALID` otherwise, before anything is signed.
 */
function keysUnchanged(roster: Roster, change: RosterChanges | undefined): RosterChanges | undefined {
  if (change === undefined) return undefined;
  const refuse = (why: string): never => {
    throw new ClientError("ROSTER_INVALID", `the root's roster cannot ${why}: admit new members instead`);
  };
  if ((change.add?.length ?? 0) > 0) refuse("add members");
  for (const m of change.replace ?? []) {
    const listed = roster.members.find((x) => x.memberId === m.memberId);
    if (listed === undefined || !sameKey(listed.signPk, m.signPk) || !sameKey(listed.boxPk, m.boxPk)) {
      refuse("change a member's keys");
    }
  }
  return change;
}

function sameKey(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((v, i) => v === b[i]);
}

/** A new root after succession: print the sheet, publish the fingerprint. Shown once. */
export interface SucceededRoot {
  readonly version: number;
  readonly rootRecoveryText: RootRecoveryText;
  readonly fingerprint: Fingerprint;
}

/**
 * Root succession: makes a new root and publishes a roster (members unchanged) that names it, signed
 * by the old root from its sheet. Clients follow the chain from their pinned (original) root, so no
 * pin changes; from then on only the new sheet signs emergency rosters. Use it when the old sheet may
 * have been seen by someone who should not hold it.
 *
 * @example
 * const { rootRecoveryText, fingerprint } = await succeedRoot(ctx, oldSheet);
 */
export async function succeedRoot(ctx: StaffContext, sheet: string): Promise<SucceededRoot> {
  const { client } = ctx;
  const old = await currentRootFromSheet(ctx, sheet);
  const next = generateRootKey(client.sodium, client.random);
  try {
    const roster = await publishSignedRoster(ctx, old.keyPair, () => ({}), next.keyPair.publicKey);
    if (!bytesEqual(client.sodium, roster.rootPk, next.keyPair.publicKey)) {
      throw new ClientError("ROSTER_CHAIN_BROKEN", "the new root is not on the published roster", {
        source: "crypto",
      });
    }
    return {
      version: roster.version,
      rootRecoveryText: rootRecoveryText(client.sodium, next.seed),
      fingerprint: rootFingerprint(client.sodium, next.keyPair.publicKey),
    };
  } finally {
    wipeRootKey(old);
    wipeRootKey(next);
  }
}
