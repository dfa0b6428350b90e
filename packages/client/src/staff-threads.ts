import { bytesEqual, claimThread, findMemberById, type MemberId, type ThreadId } from "@briefgeheim/crypto";
import type { EpochAck, ThreadView as InboxView, ThreadSummary } from "@briefgeheim/protocol";
import { collectPages, PAGE_SIZE } from "./paging.js";
import type { StaffContext } from "./staff-context.js";
import { changeEpoch } from "./staff-epochs.js";
import { type LoadedThread, loadThread, wipeEpochKeys } from "./thread-loader.js";
import { postWithReload } from "./thread-post.js";
import { type ThreadView, threadView } from "./thread-view.js";
import { readJson } from "./transport.js";

export type { InboxView };

/** A thread as staff see it: the help-seeker's view plus notes, inbox metadata and what the reader may do. */
export interface StaffThreadView extends ThreadView {
  readonly flagged: boolean;
  /**
   * The note the help flag was raised with: the verified note of the thread the server names
   * (`flagNoteId`); absent when there is none, or when the server names anything but a genuine,
   * undamaged note (it cannot make one up; it could name another genuine note of the thread).
   */
  readonly flagNote?: ThreadView["messages"][number];
  /** In intake: nobody claimed it yet. */
  readonly intake: boolean;
  /** Display names of the counsellors it is assigned to now (from the verified roster). */
  readonly assignees: readonly string[];
  readonly currentEpoch: number;
  readonly waitingSince: number | null;
  readonly replyDueAt: number | null;
  /** The reader reads the current epoch: may reply, write notes (after intake) and set the status. */
  readonly canWrite: boolean;
  /** Notes need a staff key: from epoch 1 on (after a claim or assignment). */
  readonly canWriteNotes: boolean;
}

/**
 * An inbox view, sorted by how long the help-seeker has waited (server order).
 *
 * @example
 * const intake = await listStaffThreads(ctx, "intake");
 */
export async function listStaffThreads(ctx: StaffContext, view?: InboxView): Promise<ThreadSummary[]> {
  return collectPages<ThreadSummary, string>(async (cursor) => {
    const page = await readJson(
      await ctx.client.api.threads.$get({
        query: {
          limit: String(PAGE_SIZE),
          ...(view === undefined ? {} : { view }),
          ...(cursor === undefined ? {} : { cursor }),
        },
      }),
    );
    return { items: page.threads, next: page.nextCursor };
  });
}

/**
 * Reads a thread with its internal notes, verified end to end (see `loadThread`); `incremental`
 * fetches only what follows the listing this tab verified (refreshing an open conversation).
 *
 * @example
 * const view = await readStaffThread(ctx, helpline, threadId);
 */
export async function readStaffThread(
  ctx: StaffContext,
  helpline: { readonly id: StaffContext["helplineId"]; readonly name: string },
  threadId: ThreadId,
  options: { readonly incremental?: boolean } = {},
): Promise<StaffThreadView> {
  return staffView(ctx, helpline, await loadThread(ctx, threadId, options));
}

/** What staff are shown of a loaded, verified thread; its epoch keys are wiped afterwards. */
export function staffView(
  ctx: StaffContext,
  helpline: { readonly id: StaffContext["helplineId"]; readonly name: string },
  thread: LoadedThread,
): StaffThreadView {
  const { client } = ctx;
  try {
    const base = threadView(client.sodium, client.helplines, helpline, ctx.me, thread);
    const roster = client.helplines.roster(ctx.helplineId, thread.current.rosterVersion);
    const assignees = thread.summary.assigneeIds.flatMap((id) => {
      const reads = thread.current.readers.some((r) => r.kind === "staff" && r.memberId === id);
      const member = roster === undefined || !reads ? undefined : findMemberById(roster, id as MemberId);
      return member === undefined ? [] : [member.displayName];
    });
    const keys = thread.keys.get(thread.current.epoch);
    const canWrite =
      keys !== undefined &&
      thread.current.readers.some((r) => bytesEqual(client.sodium, r.signPk, ctx.me.signing.publicKey));
    const noteId = thread.summary.flagNoteId;
    const flagNote = base.messages.find(
      (m) => m.id === noteId && m.kind === "note" && m.verified && !m.damaged,
    );
    return {
      ...base,
      flagged: thread.summary.flagged ?? false,
      ...(flagNote === undefined || !(thread.summary.flagged ?? false) ? {} : { flagNote }),
      intake: thread.summary.intake,
      assignees,
      currentEpoch: thread.current.epoch,
      waitingSince: thread.summary.waitingSince,
      replyDueAt: thread.summary.replyDueAt,
      canWrite,
      canWriteNotes: canWrite && keys?.staffKey !== undefined,
    };
  } finally {
    wipeEpochKeys(thread.keys);
  }
}

/**
 * Takes a thread from intake (a counsellor who reads it): a new epoch for the help-seeker, the
 * claimer and the supervisors; the other intake readers lose access to what follows.
 *
 * @example
 * await claim(ctx, threadId);
 */
export function claim(ctx: StaffContext, threadId: ThreadId): Promise<EpochAck> {
  const { client } = ctx;
  return changeEpoch(ctx, threadId, (current, roster) =>
    claimThread(client.sodium, {
      ...current,
      roster,
      signer: ctx.keys.signing,
      random: client.random,
      now: client.now(),
    }),
  );
}

/**
 * Flags a thread for the supervisors' attention, with an optional note saying what is needed, or
 * resolves the flag (`flagged` false). The note is posted first as an encrypted internal note of the
 * thread (so it needs a staff key: epoch 1 or later); the server keeps only its id. Raising and
 * resolving are in the audit log.
 *
 * @example
 * await flag(ctx, threadId, true, "Wil iemand meelezen? Ze noemt zelfbeschadiging.");
 * await flag(ctx, threadId, false); // resolved
 */
export async function flag(
  ctx: StaffContext,
  threadId: ThreadId,
  flagged: boolean,
  note?: string,
): Promise<ThreadSummary> {
  const text = note?.trim() ?? "";
  const flagNoteId =
    flagged && text !== ""
      ? (await postWithReload(ctx, threadId, { kind: "note", body: text })).id
      : undefined;
  const json = flagNoteId === undefined ? { flagged } : { flagged, flagNoteId };
  const res = await readJson(await ctx.client.api.threads[":threadId"].$patch({ param: { threadId }, json }));
  return res.thread;
}
