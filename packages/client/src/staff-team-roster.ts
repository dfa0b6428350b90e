import {
  findMemberById,
  type MemberId,
  nextRoster,
  type Roster,
  type RosterChanges,
  shareRootSeed,
  toBase64,
} from "@briefgeheim/crypto";
import type { StaffMember } from "@briefgeheim/protocol";
import { ClientError, isClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import { withRetry } from "./retry.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { loadRootKey, wipeRootKey } from "./staff-root.js";
import { readJson } from "./transport.js";

// The team's roster as supervisors change it: listing staff against the verified roster, publishing
// the next roster, sharing the root key and intake readers. Admission lives in staff-team-admit.ts.

/** A staff account as the server lists it, checked against the verified roster. */
export interface TeamMember extends StaffMember {
  /** Listed on the newest verified roster. */
  readonly onRoster: boolean;
  /** The roster lists exactly the keys the server shows for the account. */
  readonly keysMatchRoster: boolean;
}

/**
 * The helpline's staff accounts (supervisors): active, pending (accepted, not yet admitted) and
 * removed, each checked against the verified roster.
 *
 * @example
 * const pending = (await listTeam(ctx)).filter((m) => m.status === "pending");
 */
export async function listTeam(ctx: StaffContext): Promise<TeamMember[]> {
  requireSupervisor(ctx);
  const { client, helplineId } = ctx;
  const roster = await client.helplines.latestRoster(helplineId);
  const members = await collectPages<StaffMember, string>(async (cursor) => {
    const page = await readJson(
      await client.api.staff.$get({
        query: { limit: String(PAGE_SIZE), ...(cursor === undefined ? {} : { cursor }) },
      }),
    );
    return { items: page.members, next: page.nextCursor };
  });
  return members.map((m) => {
    const listed = findMemberById(roster, m.id as MemberId);
    return {
      ...m,
      onRoster: listed !== undefined,
      keysMatchRoster:
        listed !== undefined &&
        toBase64(client.sodium, listed.signPk) === m.signPk &&
        toBase64(client.sodium, listed.boxPk) === m.boxPk,
    };
  });
}

/**
 * Publishes the roster after the newest verified one, signed with the root key (unwrapped from the
 * supervisor's server copy for this call, then wiped). `changes` is computed on the newest roster;
 * if another roster was published meanwhile it is computed again on that one. Returns the newest
 * verified roster after publishing.
 *
 * @example
 * await publishRoster(ctx, (roster) => ({ add: [member] }));
 */
export async function publishRoster(
  ctx: StaffContext,
  changes: (roster: Roster) => RosterChanges | undefined,
): Promise<Roster> {
  requireSupervisor(ctx);
  const { client, helplineId } = ctx;
  const root = await loadRootKey(ctx);
  try {
    for (let attempt = 1; ; attempt++) {
      const roster = await client.helplines.latestRoster(helplineId);
      const change = changes(roster);
      if (change === undefined) return roster;
      const bytes = nextRoster(client.sodium, roster, change, root.keyPair, client.now());
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
  } finally {
    wipeRootKey(root);
  }
}

/**
 * Gives another supervisor (on the verified roster) a copy of the root key, sealed to their box key
 * from the roster: never to a key only the server names.
 *
 * @example
 * await shareRoot(ctx, newSupervisorId);
 */
export async function shareRoot(ctx: StaffContext, memberId: MemberId): Promise<void> {
  requireSupervisor(ctx);
  const { client, helplineId } = ctx;
  const roster = await client.helplines.latestRoster(helplineId);
  const member = findMemberById(roster, memberId);
  if (member?.role !== "supervisor") {
    throw new ClientError("NOT_ON_ROSTER", "only a supervisor on the roster can hold the root key", {
      source: "crypto",
    });
  }
  const root = await loadRootKey(ctx);
  try {
    const sealed = shareRootSeed(client.sodium, root.seed, member.boxPk, client.random);
    await withRetry(async () =>
      readJson(
        await client.api.staff[":memberId"]["root-key"].$put({
          param: { memberId },
          json: { rootSealed: toBase64(client.sodium, sealed) },
        }),
      ),
    );
  } finally {
    wipeRootKey(root);
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
