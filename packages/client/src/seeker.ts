import {
  type AttachmentMeta,
  type EpochStart,
  type Fingerprint,
  type HelplineId,
  newId,
  openThread,
  parseEnvelope,
  type Roster,
  type SeekerCode,
  type SeekerKeys,
  sealEnvelope,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import type { EnvelopeAck, Helpline, SurveyQuestion, ThreadSummary } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { type DraftContent, type DraftContext, DraftStore } from "./drafts.js";
import { ClientError, guard, isClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import type { PinKind } from "./pins.js";
import { type PowProgress, withProofOfWork } from "./pow.js";
import { withRetry } from "./retry.js";
import { fetchSurveyQuestionsForSeeker, submitSurvey } from "./seeker-survey.js";
import type { SurveyAnswerSet } from "./survey-answers.js";
import { ThreadCache } from "./thread-cache.js";
import { loadThread, type ThreadContext, wipeEpochKeys } from "./thread-loader.js";
import { rememberHeads } from "./thread-memory.js";
import { postWithReload, type Sent } from "./thread-post.js";
import { type ThreadView, threadView } from "./thread-view.js";
import { readJson } from "./transport.js";

/** Options of `openThread`. */
export interface OpenThreadOptions {
  /** Progress of the proof of work a new conversation costs (numbers tried, most there can be). */
  readonly onWork?: PowProgress;
  /** Files uploaded with `uploadAttachment(session, { target: { newConversation: true }, ... })`. */
  readonly attachments?: readonly AttachmentMeta[];
}

/** A first message as sent: the new thread and the server's acknowledgement. */
export interface OpenedThread {
  readonly threadId: ThreadId;
  readonly thread: ThreadSummary;
  readonly sent: EnvelopeAck;
}

/**
 * What a help-seeker can do once signed in. Keys live only in memory; `wipe()` overwrites them
 * (quick exit), `signOut()` also ends the server session. Made by `startSeeker`.
 *
 * @example
 * const session = await startSeeker(client, { code: typed });
 * const [first] = await session.listThreads();
 * const view = await session.readThread(first.id as ThreadId);
 * await session.reply(view.threadId, "Dank je.");
 * session.wipe(); // quick exit
 */
export class SeekerSession {
  #keys: SeekerKeys | undefined;
  #code: SeekerCode | undefined;
  readonly #drafts: DraftStore;
  /** Verified threads of this session (memory only; cleared by `wipe()`, the quick exit included). */
  readonly #cache = new ThreadCache();

  constructor(
    readonly client: BriefgeheimClient,
    code: SeekerCode,
    /** The helpline this code belongs to. */
    readonly helpline: Helpline,
    /** The fingerprint of the helpline's root, to compare with the one the helpline publishes. */
    readonly fingerprint: Fingerprint,
    /** How the root is trusted (`first-use` only in development builds). */
    readonly pinnedBy: PinKind,
    keys: SeekerKeys,
  ) {
    this.#code = code;
    this.#keys = keys;
    this.#drafts = new DraftStore(client, () => this.#live().draftKey);
  }

  /** The code in display form (`TTSS-SSSS-...`): show it so the help-seeker can keep it. */
  get code(): SeekerCode {
    if (this.#code === undefined) throw new ClientError("WIPED", "the session was wiped");
    return this.#code;
  }

  get helplineId(): HelplineId {
    return this.helpline.id as HelplineId;
  }

  /**
   * Writes a first message: epoch 0 for the help-seeker, the supervisors and the intake readers of
   * the verified roster, and the message sealed in it, in one request (retried safely).
   *
   * @example
   * const { threadId } = await session.openThread({ subject: "Vraag", body: "Ik wil iets vertellen" });
   */
  openThread(message: DraftContent, options: OpenThreadOptions = {}): Promise<OpenedThread> {
    return guard(async () => {
      const { sodium } = this.client;
      const threadId = newId<ThreadId>(sodium, this.client.random);
      let roster = await this.client.helplines.latestRoster(this.helplineId);
      for (let attempt = 1; ; attempt++) {
        const start = this.#openEpoch(threadId, roster);
        try {
          const envelope = sealEnvelope(sodium, {
            helplineId: this.helplineId,
            threadId,
            epochKeys: start.keys,
            kind: "message",
            sender: this.#live().messageSign,
            seq: 1,
            heads: [],
            createdAt: this.client.now(),
            payload: { subject: message.subject, body: message.body, attachments: options.attachments ?? [] },
            random: this.client.random,
          });
          const json = {
            threadId,
            record: toBase64(sodium, start.record),
            grants: start.grants.map((g) => toBase64(sodium, g)),
            envelope: toBase64(sodium, envelope),
            ...(options.attachments === undefined || options.attachments.length === 0
              ? {}
              : { attachments: options.attachments.map((a) => a.attachmentId) }),
          };
          // Each try carries its own proof of work (a solution is single use).
          const res = await withRetry(() =>
            withProofOfWork(
              this.client,
              "open-thread",
              async (headers) => readJson(await this.client.api.threads.$post({ json }, { headers })),
              options.onWork,
            ),
          );
          // This tab remembers its first message: if the server drops it, the next one names it (MISSING).
          const first = parseEnvelope(sodium, envelope);
          rememberHeads(this.client.memory, sodium, threadId, first.senderSignPk, [
            { stream: "main", signPk: first.senderSignPk, seq: 1, hash: first.hash, pastDamaged: false },
          ]);
          return { threadId, thread: res.thread, sent: res.envelope };
        } catch (e) {
          // A roster published meanwhile: rebuild epoch 0 on it (nothing was stored).
          if (!isClientError(e, "ROSTER_CONFLICT") || attempt >= 3) throw e;
          roster = await this.client.helplines.latestRoster(this.helplineId);
        } finally {
          wipeEpochKeys(new Map([[0, start.keys]]));
        }
      }
    });
  }

  /**
   * The help-seeker's threads (server metadata: status, times, expiry).
   *
   * @example
   * for (const t of await session.listThreads()) show(t.id, t.status, t.expiresAt);
   */
  listThreads(): Promise<ThreadSummary[]> {
    return guard(() =>
      collectPages<ThreadSummary, string>(async (cursor) => {
        const page = await readJson(
          await this.client.api.threads.$get({
            query: { limit: String(PAGE_SIZE), ...(cursor === undefined ? {} : { cursor }) },
          }),
        );
        return { items: page.threads, next: page.nextCursor };
      }),
    );
  }

  /**
   * Reads a thread, verified end to end: the epoch chain against the verified rosters, the grants
   * against their commitments, every envelope's signature, sequence and hash links. Internal notes
   * never reach a help-seeker (the server does not send them and no key opens them).
   *
   * @example
   * const view = await session.readThread(threadId);
   * if (!view.ok) warn(view.problems);
   * view.readers; // { helpline: "...", counsellors: ["Bram"], supervisors: true }
   */
  readThread(threadId: ThreadId): Promise<ThreadView> {
    return guard(async () => {
      const ctx = this.#ctx();
      const thread = await loadThread(ctx, threadId);
      try {
        return threadView(this.client.sodium, this.client.helplines, this.#helplineRef(), ctx.me, thread);
      } finally {
        wipeEpochKeys(thread.keys);
      }
    });
  }

  /**
   * Writes again in a thread.
   *
   * @example
   * await session.reply(threadId, "Dank je voor je antwoord.");
   */
  reply(
    threadId: ThreadId,
    body: string,
    options: { readonly attachments?: readonly AttachmentMeta[] } = {},
  ): Promise<Sent> {
    const files = options.attachments === undefined ? {} : { attachments: options.attachments };
    return guard(() => postWithReload(this.#ctx(), threadId, { kind: "message", body, ...files }));
  }

  /** Encrypts and stores a draft (`newDraftContext(helplineId)` or `replyDraftContext(threadId)`). */
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

  /**
   * Seals the optional survey answers of a conversation for its helpline (seeker-survey.ts); skipped
   * questions are left out. Once per conversation.
   *
   * @example
   * await session.submitSurvey(threadId, { age: "16-18" });
   */
  /** The survey questions the helpline asks after a first message (none: ask nothing). */
  surveyQuestions(): Promise<SurveyQuestion[]> {
    return guard(() => fetchSurveyQuestionsForSeeker(this.client));
  }

  submitSurvey(threadId: ThreadId, answers: SurveyAnswerSet): Promise<void> {
    return guard(() => submitSurvey(this.#ctx(), threadId, answers));
  }

  /**
   * Deletes the whole conversation for good.
   *
   * @example
   * await session.deleteThread(threadId);
   */
  deleteThread(threadId: ThreadId): Promise<{ readonly signedOut: boolean }> {
    return guard(async () => {
      this.#live();
      const res = await withRetry(async () =>
        readJson(await this.client.api.threads[":threadId"].$delete({ param: { threadId } })),
      );
      // The last conversation takes the help-seeker's account and session with it (server side).
      return { signedOut: res.signedOut };
    });
  }

  /**
   * Ends the server session, then wipes the keys. An already ended session is not an error.
   *
   * @example
   * await session.signOut();
   */
  signOut(): Promise<void> {
    return guard(async () => {
      try {
        await readJson(await this.client.api.auth["sign-out"].$post());
      } catch (e) {
        if (!isClientError(e, "UNAUTHENTICATED") && !isClientError(e, "SESSION_EXPIRED")) throw e;
      } finally {
        this.wipe();
      }
    });
  }

  /**
   * Overwrites every key held in memory and forgets the code and the session cookie (jar mode).
   * Synchronous, for the quick exit. Every later call fails with `WIPED`.
   */
  wipe(): void {
    if (this.#keys !== undefined) wipeSeekerKeys(this.#keys);
    this.#keys = undefined;
    this.#code = undefined;
    this.#cache.clear();
    this.client.transport.forgetSession();
  }

  /** True until `wipe()` or `signOut()`. */
  get active(): boolean {
    return this.#keys !== undefined;
  }

  #helplineRef(): { id: HelplineId; name: string } {
    return { id: this.helplineId, name: this.helpline.name };
  }

  #live(): SeekerKeys {
    if (this.#keys === undefined) throw new ClientError("WIPED", "the session was wiped");
    return this.#keys;
  }

  #ctx(): ThreadContext {
    const keys = this.#live();
    return {
      client: this.client,
      helplineId: this.helplineId,
      me: { kind: "seeker", signing: keys.messageSign, box: keys.box },
      cache: this.#cache,
      generation: this.#cache.generation,
    };
  }

  #openEpoch(threadId: ThreadId, roster: Roster): EpochStart {
    const keys = this.#live();
    return openThread(this.client.sodium, {
      helplineId: this.helplineId,
      threadId,
      roster,
      seeker: { signing: keys.messageSign, box: keys.box },
      random: this.client.random,
      now: this.client.now(),
    });
  }
}

/** Overwrites every secret key of a help-seeker (failed sign-in, quick exit). */
export function wipeSeekerKeys(keys: SeekerKeys): void {
  keys.signIn.secretKey.fill(0);
  keys.messageSign.secretKey.fill(0);
  keys.box.secretKey.fill(0);
  keys.draftKey.fill(0);
}
