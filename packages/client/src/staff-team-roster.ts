import {
  findMemberById,
  fromBase64,
  type MemberId,
  memberSafetyCode,
  nextRoster,
  type RootPublicKey,
  type Roster,
  type RosterChanges,
  type RosterSigner,
  toBase64,
} from "@briefgeheim/crypto";
import type { StaffMember } from "@briefgeheim/protocol";
import { ClientError, isClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import { withRetry } from "./retry.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { readJson } from "./transport.js";

// The team's roster as supervisors change it: listing staff against the verified roster, publishing
// the next roster (signed with the supervisor's own signing key) and intake readers. Admission lives in
// staff-team-admit.ts; rosters signed with the root recovery sheet in staff-root.ts.

/** A staff account as the server lists it, checked against the verified roster. */
export interface TeamMember extends StaffMember {
  /** Listed on the newest verified roster. */
  readonly onRoster: boolean;
  /** The roster lists exactly the keys the server shows for the account. */
  readonly keysMatchRoster: boolean;
  /**
   * On the newest verified roster but left out of the server's staff list (or listed there as not
   * active): the server hides a member who can read. Such an entry is built from the roster alone
   * (`username` empty, `signInPk` empty, caseload 0); show it with a warning, never drop it.
   */
  readonly missingFromServer: boolean;
  /**
   * The member's safety code (6 groups of 5 digits) of their keys and role: of the roster's keys and
   * role when listed, else of what the server lists (a pending member). The member sees the same code
   * in their own app; show the role beside it.
   */
  readonly safetyCode: string;
}

/**
 * The helpline's staff accounts (supervisors): active, pending (accepted, not yet admitted) and
 * removed, each checked against the verified roster, plus every roster member the server leaves out
 * (`missingFromServer`). For a member on the roster, role, intake flag and name are the roster's.
 *
 * @example
 * const pending = (await listTeam(ctx)).filter((m) => m.status === "pending");
 */
export async function listTeam(ctx: StaffContext): Promise<TeamMember[]> {
  requireSupervisor(ctx);
  const { client, helplineId } = ctx;
  const { sodium } = client;
  const roster = await client.helplines.latestRoster(helplineId);
  const members = await collectPages<StaffMember, string>(async (cursor) => {
    const page = await readJson(
      await client.api.staff.$get({
        query: { limit: String(PAGE_SIZE), ...(cursor === undefined ? {} : { cursor }) },
      }),
    );
    return { items: page.members, next: page.nextCursor };
  });
  const listedByServer = members.map((m): TeamMember => {
    const listed = findMemberById(roster, m.id as MemberId);
    const role = listed?.role ?? m.role;
    const safetyCode = memberSafetyCode(sodium, {
      helplineId,
      memberId: m.id,
      role,
      signPk: listed?.signPk ?? fromBase64(sodium, m.signPk),
      boxPk: listed?.boxPk ?? fromBase64(sodium, m.boxPk),
    });
    return {
      ...m,
      ...(listed === undefined
        ? {}
        : {
            role: listed.role,
            status: "active" as const,
            intakeReader: listed.intakeReader,
            displayName: listed.displayName,
          }),
      safetyCode,
      onRoster: listed !== undefined,
      missingFromServer: listed !== undefined && m.status !== "active",
      keysMatchRoster:
        listed !== undefined &&
        toBase64(sodium, listed.signPk) === m.signPk &&
        toBase64(sodium, listed.boxPk) === m.boxPk,
    };
  });
  const seen = new Set(members.map((m) => m.id));
  const hidden = roster.members
    .filter((r) => !seen.has(r.memberId))
    .map(
      (r): TeamMember => ({
        id: r.memberId,
        username: "",
        role: r.role,
        status: "active",
        displayName: r.displayName,
        intakeReader: r.intakeReader,
        signInPk: "",
        signPk: toBase64(sodium, r.signPk),
        boxPk: toBase64(sodium, r.boxPk),
        caseload: 0,
        createdAt: roster.issuedAt,
        keyProof: null,
        sealedInviteSecret: null,
        onRoster: true,
        keysMatchRoster: false,
        missingFromServer: true,
        safetyCode: memberSafetyCode(sodium, { helplineId, ...r }),
      }),
    );
  return [...listedByServer, ...hidden];
}

/**
 * Publishes the roster after the newest verified one, signed with this supervisor's own signing key
 * (protocol 2: a supervisor of the current roster may sign the next). The newest roster is the one
 * `trust()` verified against the head this device remembers, so a server that hides the newest roster
 * makes this fail with `ROSTER_ROLLBACK` instead of making the supervisor sign a fork. `changes` is
 * computed on the newest roster; if another roster was published meanwhile it is computed again on
 * that one. Returns the newest verified roster after publishing.
 *
 * @example
 * await publishRoster(ctx, (roster) => ({ add: [member] }));
 */
export async function publishRoster(
  ctx: StaffContext,
  changes: (roster: Roster) => RosterChanges | undefined,
): Promise<Roster> {
  requireSupervisor(ctx);
  return publishSignedRoster(ctx, ctx.keys.signing, changes);
}

/**
 * Signs and posts the next roster with `signer` (a supervisor's key pair, or the root from its sheet),
 * on top of the newest verified roster; retries on a conflict (someone else published first).
 */
export async function publishSignedRoster(
  ctx: StaffContext,
  signer: RosterSigner,
  changes: (roster: Roster) => RosterChanges | undefined,
  newRootPk?: RootPublicKey,
): Promise<Roster> {
  const { client, helplineId } = ctx;
  for (let attempt = 1; ; attempt++) {
    const roster = await client.helplines.latestRoster(helplineId);
    const change = changes(roster);
    if (change === undefined) return roster;
    const bytes = nextRoster(client.sodium, roster, change, signer, client.now(), newRootPk);
    try {
      await withRetry(async () =>
        readJson(
          await client.api.helplines[":helplineId"].rosters.$post({
            param: { helplineId },
            json: { roster: toBase64(client.sodium, bytes) },
          }),
        ),
      );
    } catch (e) {
      if (!isClientError(e, "ROSTER_CONFLICT") || attempt >= 3) throw e;
      continue;
    }
    const published = await client.helplines.latestRoster(helplineId);
    if (published.version < roster.version + 1) {
      throw new ClientError("ROSTER_CHAIN_BROKEN", "the published roster is not in the chain", {
        source: "crypto",
      });
    }
    return published;
  }
}

/**
 * Makes a roster member an intake reader or not (a new roster). New threads are opened for the
 * intake readers of the roster at that moment; threads already in intake keep their readers.
 *
 * @example
 * await setIntakeReader(ctx, bramId, true);
 */
export async function setIntakeReader(
  ctx: StaffContext,
  memberId: MemberId,
  on: boolean,
): Promise<{ version: number }> {
  const roster = await publishRoster(ctx, (current) => {
    const member = findMemberById(current, memberId);
    if (member === undefined) {
      throw new ClientError("NOT_ON_ROSTER", "no such member on the roster", { source: "crypto" });
    }
    return member.intakeReader === on ? undefined : { replace: [{ ...member, intakeReader: on }] };
  });
  return { version: roster.version };
}
