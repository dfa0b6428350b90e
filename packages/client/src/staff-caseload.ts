import {
  assignThread,
  type EpochStart,
  findMemberById,
  isCryptoError,
  type MemberId,
  type Roster,
  type RosterMember,
  reassignThread,
  regrantCaseload,
  removeReader,
  type ThreadId,
} from "@briefgeheim/crypto";
import type { EpochAck, ThreadSummary } from "@briefgeheim/protocol";
import { type BulkOutcome, type BulkProgress, runBulk, type SignedChange } from "./bulk-run.js";
import { ClientError, isClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { changeEpoch } from "./staff-epochs.js";
import { announceCommitted, announceHandover, announceMissing, type NotAnnounced } from "./staff-handover.js";
import { publishRoster } from "./staff-team.js";
import type { LoadedEpochs } from "./thread-loader.js";
import { readJson } from "./transport.js";

/** Every thread of the helpline (supervisors), server metadata. */
export async function listAllThreads(ctx: StaffContext): Promise<ThreadSummary[]> {
  return collectPages<ThreadSummary, string>(async (cursor) => {
    const page = await readJson(
      await ctx.client.api.threads.$get({
        query: { view: "all", limit: String(PAGE_SIZE), ...(cursor === undefined ? {} : { cursor }) },
      }),
    );
    return { items: page.threads, next: page.nextCursor };
  });
}

function rosterMembers(roster: Roster, ids: readonly MemberId[]): RosterMember[] {
  return ids.map((id) => {
    const m = findMemberById(roster, id);
    if (m === undefined)
      throw new ClientError("NOT_ON_ROSTER", `${id} is not on the roster`, { source: "crypto" });
    return m;
  });
}

function readsNow(epochs: LoadedEpochs, memberId: MemberId): boolean {
  return epochs.current.readers.some((r) => r.kind === "staff" && r.memberId === memberId);
}

function counsellorReaders(epochs: LoadedEpochs, roster: Roster, except?: MemberId): MemberId[] {
  return epochs.current.readers.flatMap((r) => {
    if (r.kind !== "staff" || r.memberId === except) return [];
    return findMemberById(roster, r.memberId)?.role === "counsellor" ? [r.memberId] : [];
  });
}

/**
 * Gives one thread to one or more roster members (supervisors): a new epoch for the help-seeker,
 * them and the supervisors; a counsellor who read it before loses access to what follows. Then a
 * signed handover event per member (PROTOCOL.md §5.1); one that fails is in `notAnnounced` (the
 * thread moved all the same; `announceHandover` posts the missing event, and nothing twice).
 *
 * @example
 * await assign(ctx, threadId, [bramId]);
 */
export async function assign(
  ctx: StaffContext,
  threadId: ThreadId,
  to: readonly MemberId[],
): Promise<EpochAck & { readonly notAnnounced: readonly NotAnnounced[] }> {
  requireSupervisor(ctx);
  const ack = await changeEpochTo(ctx, threadId, to);
  const notAnnounced: NotAnnounced[] = [];
  for (const memberId of to) {
    try {
      await announceHandover(ctx, threadId, memberId);
    } catch (e) {
      if (!isClientError(e)) throw e;
      notAnnounced.push({ threadId, code: e.code, message: e.message });
    }
  }
  return { ...ack, notAnnounced };
}

function changeEpochTo(ctx: StaffContext, threadId: ThreadId, to: readonly MemberId[]): Promise<EpochAck> {
  const { client } = ctx;
  return changeEpoch(ctx, threadId, (current, roster, epochs) => {
    const members = rosterMembers(roster, to);
    const op = counsellorReaders(epochs, roster).length > 0 ? reassignThread : assignThread;
    return op(client.sodium, {
      ...current,
      roster,
      signer: ctx.keys.signing,
      random: client.random,
      now: client.now(),
      to: members,
    });
  });
}

export interface ReassignCaseloadOptions {
  /** The counsellor whose threads move. */
  readonly from: MemberId;
  /** Who takes them over, round-robin (roster members). */
  readonly to: readonly MemberId[];
  /** Only these threads (default: every thread whose current epoch lists `from`). */
  readonly threadIds?: readonly ThreadId[];
  /** Threads per batch request (default 100, the server's maximum). */
  readonly batchSize?: number;
  readonly onProgress?: (progress: BulkProgress) => void;
}

/** A bulk move: what `runBulk` did, and the moved threads whose handover event could not be posted. */
export interface MoveOutcome extends BulkOutcome {
  readonly notAnnounced: readonly NotAnnounced[];
}

/**
 * Moves a counsellor's whole caseload (illness, leave, departure) with `regrantCaseload`: for each
 * thread whose current epoch still lists `from`, a new epoch for the help-seeker, the next member of
 * `to` and the supervisors, posted in batches. Resumable: run it again after an interruption and it
 * skips what was committed and finishes the rest. A thread is always either in its old epoch or in a
 * complete new one that the help-seeker and the supervisors read.
 *
 * @example
 * const outcome = await reassignCaseload(ctx, { from: anna, to: [bram], onProgress: (p) => bar(p) });
 * outcome.changed.length; // threads moved now
 */
export async function reassignCaseload(
  ctx: StaffContext,
  options: ReassignCaseloadOptions,
): Promise<MoveOutcome> {
  requireSupervisor(ctx);
  const { client } = ctx;
  if (options.to.length === 0) throw new ClientError("NOT_ON_ROSTER", "reassign to at least one member");
  rosterMembers(await client.helplines.latestRoster(ctx.helplineId), options.to);
  let threadIds = options.threadIds;
  if (threadIds === undefined) {
    options.onProgress?.({ phase: "listing", done: 0, total: 1 });
    threadIds = (await listAllThreads(ctx))
      .filter((t) => t.assigneeIds.includes(options.from))
      .map((t) => t.id as ThreadId);
    options.onProgress?.({ phase: "listing", done: 1, total: 1 });
  }
  const notAnnounced: NotAnnounced[] = [];
  // Each moved thread tells its readers who has it now: the members of `to` its new record lists.
  const newCounsellors = (start: EpochStart) =>
    start.parsed.readers.flatMap((r) =>
      r.kind === "staff" && options.to.includes(r.memberId) ? [r.memberId] : [],
    );
  // `runBulk` signs a batch at a time: the round-robin goes on where the batch before left it.
  let signedBefore = 0;
  const outcome = await runBulk(ctx, {
    threadIds,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    ...(options.onProgress === undefined ? {} : { onProgress: options.onProgress }),
    onCommitted: announceCommitted(ctx, newCounsellors, notAnnounced),
    needs: (epochs) => readsNow(epochs, options.from),
    sign: (threads, roster) => {
      const to = rosterMembers(roster, options.to);
      const turn = signedBefore % to.length;
      signedBefore += threads.length;
      return regrantCaseload(client.sodium, {
        threads,
        to: [...to.slice(turn), ...to.slice(0, turn)],
        roster,
        signer: ctx.keys.signing,
        random: client.random,
        now: client.now(),
      }).map(
        (r): SignedChange =>
          r.ok
            ? { ok: true, threadId: r.threadId, start: r.start }
            : { ok: false, threadId: r.threadId, error: r.error },
      );
    },
  });
  // A resumed run: threads moved before may lack their handover (stopped between commit and event).
  if (outcome.skipped.length > 0) await announceMissing(ctx, outcome.skipped, options.to, notAnnounced);
  return { ...outcome, notAnnounced };
}

export interface RemoveMemberOptions {
  /**
   * Who takes over threads the removed member was the only counsellor of (round-robin). Without it
   * those threads stay with the help-seeker and the supervisors only.
   */
  readonly reassignTo?: readonly MemberId[];
  readonly batchSize?: number;
  readonly onProgress?: (progress: BulkProgress) => void;
}

/** The outcome of a removal: the roster without the member, and the threads re-keyed. */
export interface RemovalOutcome extends BulkOutcome {
  readonly rosterVersion: number;
}

/**
 * Removes a staff member: first a new roster without them (the server ends their sessions and
 * refuses their sign-in), then a new epoch for every thread whose current epoch they read, so they
 * cannot read what follows. Threads they were the only counsellor of go to `reassignTo`; from the
 * others they are just removed. Resumable like `reassignCaseload`.
 *
 * @example
 * await removeMember(ctx, annaId, { reassignTo: [bramId], onProgress: (p) => bar(p) });
 */
export async function removeMember(
  ctx: StaffContext,
  memberId: MemberId,
  options: RemoveMemberOptions = {},
): Promise<RemovalOutcome> {
  requireSupervisor(ctx);
  const { client, helplineId } = ctx;
  if (memberId === ctx.memberId) throw new ClientError("FORBIDDEN", "a supervisor cannot remove themselves");
  const progress = options.onProgress ?? (() => {});
  const reassignTo = options.reassignTo ?? [];
  rosterMembers(await client.helplines.latestRoster(helplineId), reassignTo);
  const wasRole = lastRole(ctx, memberId, await client.helplines.latestRoster(helplineId));

  progress({ phase: "roster", done: 0, total: 1 });
  const roster = await publishRoster(ctx, (current) =>
    findMemberById(current, memberId) === undefined ? undefined : { remove: [memberId] },
  );
  progress({ phase: "roster", done: 1, total: 1 });

  progress({ phase: "listing", done: 0, total: 1 });
  // A supervisor reads every thread; a counsellor only intake threads and those assigned to them.
  const threadIds = (await listAllThreads(ctx))
    .filter((t) => wasRole !== "counsellor" || t.intake || t.assigneeIds.includes(memberId))
    .map((t) => t.id as ThreadId);
  progress({ phase: "listing", done: 1, total: 1 });

  let next = 0;
  const outcome = await runBulk(ctx, {
    threadIds,
    ...(options.batchSize === undefined ? {} : { batchSize: options.batchSize }),
    onProgress: progress,
    needs: (epochs) => readsNow(epochs, memberId),
    sign: (threads, current) =>
      threads.map((t): SignedChange => {
        const threadId = t.epochs.threadId;
        const base = {
          prev: t.prev,
          prevKeys: t.prevKeys,
          heads: t.heads,
          roster: current,
          signer: ctx.keys.signing,
          random: client.random,
          now: client.now(),
        };
        try {
          const orphaned =
            !t.epochs.summary.intake && counsellorReaders(t.epochs, current, memberId).length === 0;
          const takeover =
            orphaned && reassignTo.length > 0 ? reassignTo[next++ % reassignTo.length]! : undefined;
          const start =
            takeover === undefined
              ? removeReader(client.sodium, { ...base, member: memberId })
              : reassignThread(client.sodium, { ...base, to: rosterMembers(current, [takeover]) });
          return { ok: true, threadId, start };
        } catch (error) {
          if (!isCryptoError(error) && !isClientError(error)) throw error;
          return { ok: false, threadId, error };
        }
      }),
  });
  return { rosterVersion: roster.version, ...outcome };
}

/** The member's role on the newest roster that lists them (removal may be a resumed run). */
function lastRole(ctx: StaffContext, memberId: MemberId, newest: Roster): RosterMember["role"] | undefined {
  for (let v = newest.version; v >= 1; v--) {
    const m = ctx.client.helplines.roster(ctx.helplineId, v)?.members.find((x) => x.memberId === memberId);
    if (m !== undefined) return m.role;
  }
  return undefined;
}
