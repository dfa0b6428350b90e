import {
  type EpochStart,
  findMemberById,
  type MemberId,
  type Roster,
  type ThreadEvent,
  type ThreadId,
} from "@briefgeheim/crypto";
import { ClientError, isClientError } from "./errors.js";
import { announceInBatches, type HandoverJob } from "./handover-batch.js";
import { mapLimit } from "./map-limit.js";
import type { StaffContext } from "./staff-context.js";
import { type LoadedThread, loadThread, wipeEpochKeys } from "./thread-loader.js";
import { postToThread, resolvePending, type Sent } from "./thread-post.js";

/** A thread whose handover event could not be posted (it was moved all the same). */
export interface NotAnnounced {
  readonly threadId: ThreadId;
  readonly code: string;
  readonly message: string;
}

/**
 * The handover event naming `memberId` as `roster` lists them (PROTOCOL.md §5.1): readers check the
 * name against the roster the epoch relied on, so it comes from that roster, never from the server.
 */
export function handoverEvent(roster: Roster, memberId: MemberId): ThreadEvent {
  const m = findMemberById(roster, memberId);
  if (m === undefined) {
    throw new ClientError("NOT_ON_ROSTER", `${memberId} is not on roster ${roster.version}`, {
      source: "crypto",
    });
  }
  return { type: "handover", memberId, signPk: m.signPk, displayName: m.displayName };
}

/** True when the loaded thread already holds a verified handover to `memberId` in its current epoch. */
export function announced(thread: LoadedThread, memberId: MemberId): boolean {
  return thread.verification.items.some(
    (i) => i.ok && i.envelope.epoch === thread.current.epoch && i.payload?.event?.memberId === memberId,
  );
}

/**
 * Posts "the thread is now with `memberId`" as a signed event in the thread's main stream, so the
 * help-seeker and the staff see the handover (issue 10, help-seeker item 6). Loads and verifies the
 * whole thread first; does nothing when the current epoch already holds that event (a resumed run),
 * and loads again when someone moved the thread on meanwhile. The signer is the caller: a supervisor,
 * or the named member taking the thread over (the rules every reader checks).
 *
 * @example
 * await announceHandover(ctx, threadId, bramId);
 */
export async function announceHandover(
  ctx: StaffContext,
  threadId: ThreadId,
  memberId: MemberId,
  options: { readonly epochAtLeast?: number } = {},
): Promise<Sent | undefined> {
  for (let attempt = 1; ; attempt++) {
    let thread = await loadThread(ctx, threadId);
    try {
      // A bulk job's fallback knows the epoch it committed: a load that shows an older one is a server
      // hiding it, and an event sealed there would go to the readers the job just removed.
      if (options.epochAtLeast !== undefined && thread.current.epoch < options.epochAtLeast) {
        throw new ClientError("THREAD_TAMPERED", `the server hides epoch ${options.epochAtLeast}`, {
          source: "server",
        });
      }
      // A post of this device left pending (a batch that got no answer) may be this very handover: it is
      // settled or sent first, and the thread read again, so the check below sees it.
      if ((await resolvePending(ctx, thread, "main")) !== undefined) {
        wipeEpochKeys(thread.keys);
        thread = await loadThread(ctx, threadId);
      }
      if (announced(thread, memberId)) return undefined;
      const roster = ctx.client.helplines.roster(ctx.helplineId, thread.current.rosterVersion);
      if (roster === undefined)
        throw new ClientError("THREAD_TAMPERED", "the epoch's roster is not verified");
      return await postToThread(ctx, thread, {
        kind: "event",
        body: "",
        event: handoverEvent(roster, memberId),
      });
    } catch (e) {
      const raced = isClientError(e, "SEQUENCE_CONFLICT") || isClientError(e, "EPOCH_CONFLICT");
      if (!raced || attempt >= 3) throw e;
    } finally {
      wipeEpochKeys(thread.keys);
    }
  }
}

/**
 * Handovers that go the slow way (a full load each, `announceHandover`) at once: six, what a browser
 * opens to one origin over HTTP/1.1. The others go in batches (`announceInBatches`).
 */
const ANNOUNCE_CONCURRENCY = 6;

/**
 * The `onCommitted` hook of a bulk job that moves threads to new counsellors: for each committed
 * thread, the members `newCounsellors` names (from its new record) get a handover event, posted in
 * batches (`announceInBatches`); what cannot go in a batch is announced one by one. Failures are
 * collected in `notAnnounced` (the thread was moved all the same), never thrown.
 *
 * @example
 * const notAnnounced: NotAnnounced[] = [];
 * runBulk(ctx, { ..., onCommitted: announceCommitted(ctx, (s) => [bramId], notAnnounced) });
 */
export function announceCommitted(
  ctx: StaffContext,
  newCounsellors: (start: EpochStart) => readonly MemberId[],
  notAnnounced: NotAnnounced[],
): (
  committed: readonly { threadId: ThreadId; start: EpochStart }[],
  onProgress?: (p: { phase: "announcing"; done: number; total: number }) => void,
) => Promise<void> {
  return async (committed, onProgress) => {
    const total = committed.reduce((n, c) => n + newCounsellors(c.start).length, 0);
    let done = 0;
    const step = (n: number) => {
      done += n;
      onProgress?.({ phase: "announcing", done, total });
    };
    const fail = (threadId: ThreadId, e: ClientError) => {
      notAnnounced.push({ threadId, code: e.code, message: e.message });
    };
    step(0);
    let roster: Roster;
    try {
      roster = await ctx.client.helplines.latestRoster(ctx.helplineId);
    } catch (e) {
      // No roster to name anyone by (the network, the session, a refused chain): every event of this
      // batch is not announced; the threads moved all the same, and a resumed run posts them.
      if (!isClientError(e)) throw e;
      for (const c of committed) for (const _ of newCounsellors(c.start)) fail(c.threadId, e);
      step(total);
      return;
    }
    const jobs: HandoverJob[] = [];
    for (const c of committed) {
      for (const memberId of newCounsellors(c.start)) {
        // The record was signed on the newest roster: the event names the member as it lists them.
        const epochRoster =
          roster.version === c.start.parsed.rosterVersion
            ? roster
            : ctx.client.helplines.roster(ctx.helplineId, c.start.parsed.rosterVersion);
        if (epochRoster === undefined) {
          fail(c.threadId, new ClientError("THREAD_TAMPERED", "the epoch's roster is unknown"));
          step(1);
        } else jobs.push({ threadId: c.threadId, start: c.start, roster: epochRoster, memberId });
      }
    }
    const outcome = await announceInBatches(
      ctx,
      jobs,
      (job) => ({ kind: "event", body: "", event: handoverEvent(job.roster, job.memberId) }),
      step,
    );
    for (const { job, error } of outcome.failed) fail(job.threadId, error);
    // One thread's handovers one after another (each seals the next seq of the same stream); threads
    // side by side.
    const byThread = new Map<string, HandoverJob[]>();
    for (const job of outcome.fallback)
      byThread.set(job.threadId, [...(byThread.get(job.threadId) ?? []), job]);
    await mapLimit([...byThread.values()], ANNOUNCE_CONCURRENCY, async (threadJobs) => {
      for (const job of threadJobs) {
        try {
          await announceHandover(ctx, job.threadId, job.memberId, { epochAtLeast: job.start.parsed.epoch });
        } catch (e) {
          if (!isClientError(e)) throw e;
          fail(job.threadId, e);
        } finally {
          step(1);
        }
      }
    });
  };
}

/**
 * For threads a resumed job found moved already (`skipped`): posts the handover to each member of `to`
 * who reads the current epoch and has none there yet (the earlier run may have stopped between the
 * commit and the event). One full load per thread; nothing is posted twice.
 */
export async function announceMissing(
  ctx: StaffContext,
  threadIds: readonly ThreadId[],
  to: readonly MemberId[],
  notAnnounced: NotAnnounced[],
): Promise<void> {
  await mapLimit(threadIds, ANNOUNCE_CONCURRENCY, async (threadId) => {
    try {
      const thread = await loadThread(ctx, threadId);
      const members = thread.current.readers.flatMap((r) =>
        r.kind === "staff" && to.includes(r.memberId) && !announced(thread, r.memberId) ? [r.memberId] : [],
      );
      wipeEpochKeys(thread.keys);
      for (const memberId of members) await announceHandover(ctx, threadId, memberId);
    } catch (e) {
      if (!isClientError(e)) throw e;
      notAnnounced.push({ threadId, code: e.code, message: e.message });
    }
  });
}
