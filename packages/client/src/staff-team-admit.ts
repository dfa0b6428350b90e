import {
  applyRosterChange,
  type BoxPublicKey,
  CryptoError,
  findMemberById,
  fromBase64,
  isCryptoError,
  type MemberId,
  openInviteSecret,
  type Roster,
  type RosterMember,
  rosterSupervisors,
  type SignPublicKey,
  type ThreadId,
  verifyInviteKeyProof,
} from "@briefgeheim/crypto";
import type { StaffMember } from "@briefgeheim/protocol";
import { isClientError } from "./errors.js";
import { listAllThreads } from "./staff-caseload.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { type BulkOutcome, type BulkProgress, runBulk, type SignedChange } from "./staff-epochs.js";
import { loadRootKey, wipeRootKey } from "./staff-root.js";
import { listTeam, publishRoster, shareRoot } from "./staff-team-roster.js";

// Admitting accepted members: the invite key binding check, the roster that lists them, and
// re-keying every thread for newly admitted supervisors.

export interface AdmitOptions {
  /** Members who read new threads from intake (claimable by them). Default: none. */
  readonly intakeReaders?: readonly MemberId[];
  /**
   * Display names by member id; default the name the member chose when accepting, else the username.
   * (The chosen name is not covered by the key binding: check it before admitting.)
   */
  readonly displayNames?: Readonly<Record<string, string>>;
  /** Only these pending members (default: every pending member). */
  readonly only?: readonly MemberId[];
  /**
   * Members whose invite carries no key binding (an operator's invite, or one accepted without the
   * link's secret) and whose keys the supervisor has confirmed out of band. Anyone else without a
   * verifying key proof is refused with `INVITE_KEY_MISMATCH`.
   */
  readonly unboundKeys?: readonly MemberId[];
  /**
   * Share the root key with newly admitted supervisors (default true): every supervisor holds it, to
   * publish rosters and check invite bindings.
   */
  readonly shareRootWithSupervisors?: boolean;
  /** Threads per batch when existing threads are re-keyed for new supervisors (default 100). */
  readonly batchSize?: number;
  /** Progress of re-keying existing threads for newly admitted supervisors. */
  readonly onProgress?: (progress: BulkProgress) => void;
}

/** The roster after an admission, whom it added, and the threads re-keyed for new supervisors. */
export interface Admitted {
  readonly version: number;
  readonly added: readonly MemberId[];
  /** Present when a supervisor was added: every thread moved to a roster-change epoch they read. */
  readonly rekeyed?: BulkOutcome;
}

/**
 * Checks the invite key binding of each pending member (PROTOCOL.md section 3, "Invites"): the
 * invite secret, sealed under the helpline root by whoever made the invite, is opened with the root
 * seed, and the member's key proof must verify over the keys the server lists now. Throws
 * `INVITE_KEY_MISMATCH` (with the refused member ids in `details`) before anything is published.
 */
async function checkInviteBindings(
  ctx: StaffContext,
  pending: readonly StaffMember[],
  unbound: readonly MemberId[],
): Promise<void> {
  const { sodium } = ctx.client;
  const toCheck = pending.filter((m) => !unbound.includes(m.id as MemberId));
  if (toCheck.length === 0) return;
  const refused: string[] = [];
  const root = await loadRootKey(ctx);
  try {
    for (const m of toCheck) {
      if (m.sealedInviteSecret === null || m.keyProof === null) {
        refused.push(m.id);
        continue;
      }
      const invite = { helplineId: ctx.helplineId, memberId: m.id, role: m.role };
      let secret: Uint8Array | undefined;
      try {
        secret = openInviteSecret(sodium, root.seed, fromBase64(sodium, m.sealedInviteSecret), invite);
        verifyInviteKeyProof(
          sodium,
          secret,
          invite,
          {
            signInPk: fromBase64(sodium, m.signInPk),
            signPk: fromBase64(sodium, m.signPk),
            boxPk: fromBase64(sodium, m.boxPk),
          },
          fromBase64(sodium, m.keyProof),
        );
      } catch (e) {
        if (!isCryptoError(e)) throw e;
        refused.push(m.id);
      } finally {
        secret?.fill(0);
      }
    }
  } finally {
    wipeRootKey(root);
  }
  if (refused.length > 0) {
    throw new CryptoError(
      "INVITE_KEY_MISMATCH",
      "the keys listed for a new member are not the ones bound by their invite: nothing was admitted",
      { details: { memberIds: refused } },
    );
  }
}

/**
 * Admits accepted-but-pending members: checks each one's invite key binding (a server cannot slip
 * its own keys in: `INVITE_KEY_MISMATCH`), then publishes the next roster listing them with those
 * keys. When supervisors are added, they get a copy of the root key and every existing thread is
 * re-keyed (`rekeyForRoster`) so they can read it; if that is interrupted, run `rekeyForRoster` again (it
 * skips what was done). Nothing is published when nobody is pending.
 *
 * @example
 * const { version, added } = await admitPending(ctx, { intakeReaders: [anna], onProgress: (p) => bar(p) });
 */
export async function admitPending(ctx: StaffContext, options: AdmitOptions = {}): Promise<Admitted> {
  requireSupervisor(ctx);
  const { sodium } = ctx.client;
  const team = await listTeam(ctx);
  const pending = team.filter(
    (m) => m.status === "pending" && (options.only === undefined || options.only.includes(m.id as MemberId)),
  );
  await checkInviteBindings(ctx, pending, options.unboundKeys ?? []);
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
  const supervisors = added.filter((id) => findMemberById(roster, id)?.role === "supervisor");
  if (supervisors.length === 0) return { version: roster.version, added };
  if (options.shareRootWithSupervisors ?? true) {
    for (const id of supervisors) await shareRoot(ctx, id);
  }
  const rekeyed = await rekeyForRoster(ctx, {
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
  });
  return { version: roster.version, added, rekeyed };
}

/**
 * Brings every thread of the helpline onto the newest roster: a thread whose current epoch misses a
 * supervisor of the roster (one admitted later), or lists a staff member no longer on it, moves to a
 * `roster-change` epoch (`applyRosterChange`: its staff readers still on the roster stay, every
 * supervisor is added), in batches, resumable like `reassignCaseload`. Threads still in intake stay
 * in intake.
 *
 * @example
 * const outcome = await rekeyForRoster(ctx, { onProgress: (p) => bar(p) });
 */
export async function rekeyForRoster(
  ctx: StaffContext,
  options: {
    readonly threadIds?: readonly ThreadId[];
    readonly batchSize?: number;
    readonly onProgress?: (progress: BulkProgress) => void;
  } = {},
): Promise<BulkOutcome> {
  requireSupervisor(ctx);
  const { client, helplineId } = ctx;
  const progress = options.onProgress ?? (() => {});
  let threadIds = options.threadIds;
  if (threadIds === undefined) {
    progress({ phase: "listing", done: 0, total: 1 });
    threadIds = (await listAllThreads(ctx)).map((t) => t.id as ThreadId);
    progress({ phase: "listing", done: 1, total: 1 });
  }
  const outOfDate = (
    current: { readers: readonly { kind: string; memberId: MemberId }[] },
    roster: Roster,
  ) => {
    const staff = current.readers.filter((r) => r.kind === "staff").map((r) => r.memberId);
    return (
      rosterSupervisors(roster).some((s) => !staff.includes(s.memberId)) ||
      staff.some((id) => findMemberById(roster, id) === undefined)
    );
  };
  let newest = await client.helplines.latestRoster(helplineId);
  return runBulk(ctx, {
    threadIds,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    onProgress: progress,
    needs: (epochs) => outOfDate(epochs.current, newest),
    sign: (threads, roster) => {
      newest = roster;
      return threads.map((t): SignedChange => {
        const threadId = t.epochs.threadId;
        try {
          const start = applyRosterChange(client.sodium, {
            prev: t.prev,
            prevKeys: t.prevKeys,
            roster,
            signer: ctx.keys.signing,
            random: client.random,
            now: client.now(),
          });
          return { ok: true, threadId, start };
        } catch (error) {
          if (!isCryptoError(error) && !isClientError(error)) throw error;
          return { ok: false, threadId, error };
        }
      });
    },
  });
}
