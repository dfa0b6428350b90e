import {
  type BoxPublicKey,
  findMemberById,
  fromBase64,
  type MemberId,
  newId,
  nextRoster,
  type Roster,
  type RosterChanges,
  type RosterMember,
  type SignPublicKey,
  shareRootSeed,
  toBase64,
} from "@briefgeheim/crypto";
import type { StaffMember, StaffRole } from "@briefgeheim/protocol";
import { ClientError, isClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import { withRetry } from "./retry.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { loadRootKey, wipeRootKey } from "./staff-root.js";
import { readJson } from "./transport.js";

/** A one-time invite to hand over (as a link) to the new member. */
export interface CreatedInvite {
  /** The id the new member will have (it is listed on the roster once admitted). */
  readonly memberId: MemberId;
  readonly role: StaffRole;
  readonly token: string;
  readonly expiresAt: number;
}

/**
 * Creates a one-time invite (supervisors). Retried safely: the id is chosen here.
 *
 * @example
 * const { token } = await createInvite(ctx, "counsellor", { expiresInHours: 72 });
 */
export async function createInvite(
  ctx: StaffContext,
  role: StaffRole,
  options: { readonly expiresInHours?: number } = {},
): Promise<CreatedInvite> {
  requireSupervisor(ctx);
  const { client } = ctx;
  const id = newId<MemberId>(client.sodium, client.random);
  const json = { id, role, expiresInHours: options.expiresInHours ?? 72 };
  const res = await withRetry(async () => readJson(await client.api.invites.$post({ json })));
  return { memberId: id, role, token: res.token, expiresAt: res.expiresAt };
}

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

export interface AdmitOptions {
  /** Members who read new threads from intake (claimable by them). Default: none. */
  readonly intakeReaders?: readonly MemberId[];
  /** Display names by member id; default the name the server knows, else the username. */
  readonly displayNames?: Readonly<Record<string, string>>;
  /** Only these pending members (default: every pending member). */
  readonly only?: readonly MemberId[];
}

/** The roster after an admission and whom it added. */
export interface Admitted {
  readonly version: number;
  readonly added: readonly MemberId[];
}

/**
 * Admits accepted-but-pending members: publishes the next roster listing them with the keys their
 * accounts registered. Nothing is published when nobody is pending.
 *
 * Note: the server lists the pending members' keys; the root then vouches for them. Compare the
 * keys out of band for high assurance (see docs: the invite does not yet bind the keys).
 *
 * @example
 * const { version, added } = await admitPending(ctx, { intakeReaders: [anna] });
 */
export async function admitPending(ctx: StaffContext, options: AdmitOptions = {}): Promise<Admitted> {
  requireSupervisor(ctx);
  const { sodium } = ctx.client;
  const team = await listTeam(ctx);
  const pending = team.filter(
    (m) => m.status === "pending" && (options.only === undefined || options.only.includes(m.id as MemberId)),
  );
  let added: MemberId[] = [];
  const roster = await publishRoster(ctx, (current) => {
    const add: RosterMember[] = pending
      .filter((m) => findMemberById(current, m.id as MemberId) === undefined)
      .map((m) => ({
        memberId: m.id as MemberId,
        role: m.role,
        intakeReader: options.intakeReaders?.includes(m.id as MemberId) ?? false,
        signPk: fromBase64(sodium, m.signPk) as SignPublicKey,
        boxPk: fromBase64(sodium, m.boxPk) as BoxPublicKey,
        displayName: options.displayNames?.[m.id] ?? m.displayName ?? m.username,
      }));
    added = add.map((m) => m.memberId);
    return add.length === 0 ? undefined : { add };
  });
  return { version: roster.version, added };
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
