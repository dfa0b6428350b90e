import type { AttachmentMeta, HelplineId, ThreadId } from "@briefgeheim/crypto";
import type { EpochAck, ThreadStatus, ThreadSummary } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { type DraftContent, type DraftContext, DraftStore } from "./drafts.js";
import { guard } from "./errors.js";
import {
  type ListedThreads,
  type ListSnapshot,
  listWithTags,
  readStaffThreads,
  type StaffReadResult,
  verifyStaffThreads,
} from "./staff-inbox.js";
import { type StaffIdentity, StaffSessionBase } from "./staff-session-base.js";
import {
  claim,
  flag,
  type InboxView,
  listStaffThreads,
  readStaffThread,
  type StaffThreadView,
} from "./staff-threads.js";
import { type FetchedThread, fetchThreads } from "./thread-batch.js";
import { postWithReload, type Sent } from "./thread-post.js";

/**
 * Everyday use of `StaffSession` (staff.ts) by every counsellor: the inbox, reading, replying, notes,
 * status, flag, claim and drafts.
 */
export abstract class StaffSessionThreads extends StaffSessionBase {
  readonly #drafts: DraftStore;

  constructor(client: BriefgeheimClient, identity: StaffIdentity) {
    super(client, identity);
    this.#drafts = new DraftStore(client, () => this.live().keys.draftKey);
  }

  // ----------------------------------------------------------------------------------- threads

  /**
   * An inbox view (`intake`, `mine`, `all` for supervisors, `flagged`), sorted by waiting time.
   *
   * @example
   * const mine = await staff.listThreads("mine");
   */
  listThreads(view?: InboxView): Promise<ThreadSummary[]> {
    return guard(() => listStaffThreads(this.ctx(), view));
  }

  /**
   * `listThreads` with each page's ETag from `previous`: unchanged pages cost a `304` (slice H).
   * `onPage` sees the threads so far after each page but the last.
   *
   * @example
   * let list = await staff.listThreadsWithTags("mine");
   * list = await staff.listThreadsWithTags("mine", list.snapshot);
   */
  listThreadsWithTags(
    view?: InboxView,
    previous?: ListSnapshot,
    onPage?: (soFar: readonly ThreadSummary[]) => void,
  ): Promise<ListedThreads> {
    return guard(() => listWithTags(this.ctx(), view, previous, onPage));
  }

  /**
   * Reads many threads in batches (in the order given) with every check of `readThread`, calling
   * `onEach` as each one is verified; `stop()` ends it early.
   *
   * @example
   * await staff.readThreads(ids, (r) => (r.ok ? show(r.view) : warn(r.error)));
   */
  readThreads(
    threadIds: readonly ThreadId[],
    onEach: (result: StaffReadResult) => void,
    stop?: () => boolean,
  ): Promise<void> {
    return guard(() => readStaffThreads(this.ctx(), this.#helplineRef(), threadIds, onEach, stop));
  }

  /** Fetches threads by batch read without verifying them (benchmarks: the floor's input). */
  fetchThreads(threadIds: readonly ThreadId[]): Promise<FetchedThread[]> {
    return guard(() => fetchThreads(this.ctx(), threadIds));
  }

  /** Verifies fetched threads as `readThreads` does (benchmarks: the floor without network). */
  verifyFetchedThreads(fetched: readonly FetchedThread[]): Promise<StaffReadResult[]> {
    return guard(() => verifyStaffThreads(this.ctx(), this.#helplineRef(), fetched));
  }

  #helplineRef(): { id: HelplineId; name: string } {
    return { id: this.helplineId, name: this.helpline.name };
  }

  /**
   * Reads a thread with its internal notes, verified end to end: the whole listing (opening a
   * conversation), or with `incremental` only what follows the listing this session verified, checked
   * together with it (refreshing an open conversation; any doubt makes it a full read). `view.read`
   * says which.
   *
   * @example
   * const view = await staff.readThread(threadId);
   * view.messages.filter((m) => m.kind === "note");
   * const fresh = await staff.readThread(threadId, { incremental: true });
   */
  readThread(threadId: ThreadId, options: { readonly incremental?: boolean } = {}): Promise<StaffThreadView> {
    return guard(() =>
      readStaffThread(this.ctx(), { id: this.helplineId, name: this.helpline.name }, threadId, options),
    );
  }

  /**
   * Replies to the help-seeker.
   *
   * @example
   * await staff.reply(threadId, "Dank je voor je bericht.");
   */
  reply(
    threadId: ThreadId,
    body: string,
    options: { readonly attachments?: readonly AttachmentMeta[] } = {},
  ): Promise<Sent> {
    const files = options.attachments === undefined ? {} : { attachments: options.attachments };
    return guard(() => postWithReload(this.ctx(), threadId, { kind: "message", body, ...files }));
  }

  /**
   * Writes an internal note: encrypted under the epoch's staff key, never readable by the
   * help-seeker. Needs epoch 1 or later (claim or assign the thread first).
   *
   * @example
   * await staff.addNote(threadId, "Overleg met coördinator");
   */
  addNote(threadId: ThreadId, body: string): Promise<Sent> {
    return guard(() => postWithReload(this.ctx(), threadId, { kind: "note", body }));
  }

  /**
   * Sets the status as a signed status envelope in the thread (and in clear for the inbox).
   *
   * @example
   * await staff.setStatus(threadId, "waiting");
   */
  setStatus(threadId: ThreadId, status: ThreadStatus): Promise<Sent> {
    return guard(() => postWithReload(this.ctx(), threadId, { kind: "status", body: status, status }));
  }

  /**
   * Flags a thread for the supervisors, with an optional note (posted as an encrypted internal note;
   * needs epoch 1 or later), or resolves the flag (`flagged` false). Both are in the audit log.
   *
   * @example
   * await staff.flag(threadId, true, { note: "Wil iemand meelezen?" }); // ask for help
   * await staff.flag(threadId, false); // resolved
   */
  flag(threadId: ThreadId, flagged = true, options: { readonly note?: string } = {}): Promise<ThreadSummary> {
    return guard(() => flag(this.ctx(), threadId, flagged, options.note));
  }

  /**
   * Claims a thread from intake.
   *
   * @example
   * await staff.claim(threadId);
   */
  claim(threadId: ThreadId): Promise<EpochAck> {
    return guard(() => claim(this.ctx(), threadId));
  }

  /** Encrypts and stores a draft (`replyDraftContext(threadId)`). */
  saveDraft(context: DraftContext, content: DraftContent): Promise<{ updatedAt: number }> {
    return this.#drafts.save(context, content);
  }

  /** The draft of a context, or `null`. */
  loadDraft(context: DraftContext): Promise<(DraftContent & { updatedAt: number }) | null> {
    return this.#drafts.load(context);
  }

  /** Deletes a draft; true when there was one. */
  deleteDraft(context: DraftContext): Promise<boolean> {
    return this.#drafts.delete(context);
  }
}
