import {
  type AttachmentMeta,
  type DraftKey,
  fromBase64,
  type HelplineId,
  openDraft,
  sealDraft,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import type { BriefgeheimClient } from "./client.js";
import { guard, isClientError } from "./errors.js";
import { withRetry } from "./retry.js";
import { readJson } from "./transport.js";

/** A draft's name, bound into its encryption: a draft cannot be moved to another context. */
export type DraftContext = `new:${string}` | `reply:${string}`;

/** What a draft holds. */
export interface DraftContent {
  readonly subject: string;
  readonly body: string;
  /**
   * Files being sent with it (their keys included): kept only inside the encrypted draft, so the
   * staff app can `resumeAttachment` after a reload. Absent is the same as none.
   */
  readonly attachments?: readonly AttachmentMeta[];
}

/**
 * The context of a first message to a helpline.
 *
 * @example
 * await session.saveDraft(newDraftContext(helplineId), { subject, body });
 */
export function newDraftContext(helplineId: HelplineId): DraftContext {
  return `new:${helplineId}`;
}

/**
 * The context of a reply in a thread.
 *
 * @example
 * await session.saveDraft(replyDraftContext(threadId), { subject: "", body });
 */
export function replyDraftContext(threadId: ThreadId): DraftContext {
  return `reply:${threadId}`;
}

/**
 * Encrypted drafts on the server under the owner's draft key (PROTOCOL.md §7). The server stores
 * only ciphertext bound to its context.
 *
 * @example
 * const drafts = new DraftStore(client, () => keys.draftKey);
 * await drafts.save("reply:...", { subject: "", body: "half a thought" });
 */
export class DraftStore {
  constructor(
    private readonly client: BriefgeheimClient,
    private readonly draftKey: () => DraftKey,
  ) {}

  /** Encrypts and stores (replaces) the draft of `context`. */
  save(context: DraftContext, content: DraftContent): Promise<{ updatedAt: number }> {
    return guard(async () => {
      const { sodium, random } = this.client;
      const bytes = sealDraft(
        sodium,
        this.draftKey(),
        context,
        { subject: content.subject, body: content.body, attachments: content.attachments ?? [] },
        random,
      );
      const ack = await withRetry(async () =>
        readJson(
          await this.client.api.drafts[":context"].$put({
            param: { context },
            json: { draft: toBase64(sodium, bytes) },
          }),
        ),
      );
      return { updatedAt: ack.updatedAt };
    });
  }

  /** The draft of `context`, or `null` when there is none. A draft that fails to decrypt throws. */
  load(context: DraftContext): Promise<(DraftContent & { updatedAt: number }) | null> {
    return guard(async () => {
      let found: { draft: string; updatedAt: number };
      try {
        found = await readJson(await this.client.api.drafts[":context"].$get({ param: { context } }));
      } catch (e) {
        if (isClientError(e, "NOT_FOUND")) return null;
        throw e;
      }
      const { sodium } = this.client;
      const payload = openDraft(sodium, this.draftKey(), fromBase64(sodium, found.draft), context);
      return {
        subject: payload.subject,
        body: payload.body,
        ...(payload.attachments.length === 0 ? {} : { attachments: payload.attachments }),
        updatedAt: found.updatedAt,
      };
    });
  }

  /** Deletes the draft of `context`; true when there was one. */
  delete(context: DraftContext): Promise<boolean> {
    return guard(async () => {
      const res = await withRetry(async () =>
        readJson(await this.client.api.drafts[":context"].$delete({ param: { context } })),
      );
      return res.deleted;
    });
  }
}
