import {
  applyRosterChange,
  type BoxPublicKey,
  CryptoError,
  checkSafetyCode,
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
import { type BulkOutcome, type BulkProgress, runBulk, type SignedChange } from "./bulk-run.js";
import { ClientError, isClientError } from "./errors.js";
import { listAllThreads } from "./staff-caseload.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { listTeam, publishRoster } from "./staff-team-roster.js";

// Admitting accepted members (PROTOCOL.md §3, "Admission"): each key is checked either by the invite
// key binding (only the inviter can open the sealed secret) or by the safety code the supervisor and
// the new member compared; there is no third way. Then the roster that lists them, and re-keying every
// thread for newly admitted supervisors.

/** One pending member to admit, with the supervisor's explicit choices. */
export interface Admission {
  readonly memberId: MemberId;
  /** Reads new threads from intake: an explicit yes or no, never a default. */
  readonly intakeReader: boolean;
  /**
   * The member's safety code as the supervisor compared it with the member's own screen (typed back,
   * or the code shown and confirmed equal). Without it the invite key binding must verify, which only
   * the supervisor who made the invite can check.
   */
  readonly comparedSafetyCode?: string;
  /**
   * The name on the roster; default the name the member chose when accepting, else the username.
   * (The chosen name is not covered by the key check: read it before admitting.)
   */
  readonly displayName?: string;
}

export interface AdmitOptions {
  /** Who to admit, each with an explicit intake-reader choice and (unless bound) a compared code. */
  readonly admit?: readonly Admission[];
  /**
   * Shorthand without `admit`: every pending member (or `only` these) by their invite key binding
   * alone (so only members this supervisor invited with a link), intake readers as listed here.
   */
  readonly intakeReaders?: readonly MemberId[];
  /** With the shorthand: roster names by member id. */
  readonly displayNames?: Readonly<Record<string, string>>;
  /** With the shorthand: only these pending members. */
  readonly only?: readonly MemberId[];
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
 * Checks each admitted member's keys as the server lists them now: by the compared safety code
 * (`SAFETY_CODE_MISMATCH`) or, without one, by the invite key binding sealed under this supervisor's
 * own invite key (`INVITE_KEY_MISMATCH`: not bound, bound by another supervisor, or a swapped key).
 * Throws with the refused member ids in `details` before anything is published.
 */
function checkAdmissions(
  ctx: StaffContext,
  pending: readonly StaffMember[],
  admit: readonly Admission[],
): void {
  const { sodium } = ctx.client;
  const mismatched: string[] = [];
  const unbound: string[] = [];
  for (const a of admit) {
    const m = pending.find((p) => p.id === a.memberId);
    if (m === undefined) {
      throw new ClientError("NOT_FOUND", "this member is not pending", {
        details: { memberIds: [a.memberId] },
      });
    }
    const keys = {
      signInPk: fromBase64(sodium, m.signInPk),
      signPk: fromBase64(sodium, m.signPk),
      boxPk: fromBase64(sodium, m.boxPk),
    };
    const invite = { helplineId: ctx.helplineId, memberId: m.id, role: m.role };
    try {
      if (a.comparedSafetyCode !== undefined) {
        // The code covers the role the member is admitted with (m.role below): a role the server
        // changed in the listing is a mismatch, like a swapped key.
        checkSafetyCode(sodium, { ...invite, signPk: keys.signPk, boxPk: keys.boxPk }, a.comparedSafetyCode);
        continue;
      }
      if (m.sealedInviteSecret === null || m.keyProof === null) {
        throw new CryptoError("INVITE_KEY_MISMATCH", "no key binding: compare the safety code");
      }
      const secret = openInviteSecret(sodium, ctx.accountKey, fromBase64(sodium, m.sealedInviteSecret), {
        ...invite,
        inviterSignPk: ctx.keys.signing.publicKey,
      });
      try {
        verifyInviteKeyProof(sodium, secret, invite, keys, fromBase64(sodium, m.keyProof));
      } finally {
        secret.fill(0);
      }
    } catch (e) {
      if (!isCryptoError(e)) throw e;
      (e.code === "SAFETY_CODE_MISMATCH" ? mismatched : unbound).push(m.id);
    }
  }
  if (mismatched.length > 0) {
    throw new CryptoError(
      "SAFETY_CODE_MISMATCH",
      "the safety code compared for a new member is not the code of the keys the server lists: nothing was admitted",
      { details: { memberIds: mismatched } },
    );
  }
  if (unbound.length > 0) {
    throw new CryptoError(
      "INVITE_KEY_MISMATCH",
      "a new member's keys are not bound by an invite this supervisor made: compare their safety code; nothing was admitted",
      { details: { memberIds: unbound } },
    );
  }
}

/** The admissions the shorthand options mean: binding only, intake readers as listed. */
function shorthandAdmissions(pending: readonly StaffMember[], options: AdmitOptions): Admission[] {
  return pending
    .filter((m) => options.only === undefined || options.only.includes(m.id as MemberId))
    .map((m) => {
      const displayName = options.displayNames?.[m.id];
      return {
        memberId: m.id as MemberId,
        intakeReader: options.intakeReaders?.includes(m.id as MemberId) ?? false,
        ...(displayName === undefined ? {} : { displayName }),
      };
    });
}

/**
 * Admits accepted-but-pending members: checks each one's keys (safety code compared, or the invite key
 * binding of this supervisor's own invite; a server cannot slip its own keys in), then publishes the
 * next roster listing them with those keys and the explicit intake-reader choice. When supervisors
 * are added, every existing thread is re-keyed (`rekeyForRoster`) so they can read it; if that is
 * interrupted, run `rekeyForRoster` again (it skips what was done). Nothing is published when the
 * list is empty.
 *
 * @example
 * await admitPending(ctx, { admit: [{ memberId: anna, intakeReader: false, comparedSafetyCode: typed }] });
 */
export async function admitPending(ctx: StaffContext, options: AdmitOptions = {}): Promise<Admitted> {
  requireSupervisor(ctx);
  const { sodium } = ctx.client;
  const team = await listTeam(ctx);
  const pending = team.filter((m) => m.status === "pending");
  const admit = options.admit ?? shorthandAdmissions(pending, options);
  checkAdmissions(ctx, pending, admit);
  const chosen = new Map(admit.map((a) => [a.memberId as string, a]));
  let added: MemberId[] = [];
  const roster = await publishRoster(ctx, (current) => {
    const add: RosterMember[] = pending
      .filter((m) => chosen.has(m.id) && findMemberById(current, m.id as MemberId) === undefined)
      .map((m) => {
        const a = chosen.get(m.id)!;
        return {
          memberId: m.id as MemberId,
          role: m.role,
          intakeReader: a.intakeReader,
          signPk: fromBase64(sodium, m.signPk) as SignPublicKey,
          boxPk: fromBase64(sodium, m.boxPk) as BoxPublicKey,
          displayName: a.displayName ?? m.displayName ?? m.username,
        };
      });
    added = add.map((m) => m.memberId);
    return add.length === 0 ? undefined : { add };
  });
  const supervisors = added.filter((id) => findMemberById(roster, id)?.role === "supervisor");
  if (supervisors.length === 0) return { version: roster.version, added };
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
            heads: t.heads,
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
