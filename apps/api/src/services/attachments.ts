/**
 * Attachment uploads (docs/PROTOCOL.md §6, docs/API.md): limits per helpline, who owns an unbound
 * upload, binding uploads to the message that names them, and expiry. The server holds only the
 * stream header, the padded size and the encrypted chunks.
 */
import { LIMITS } from "@briefgeheim/protocol";
import { and, count, eq, gt, inArray, isNull, lt, sql } from "drizzle-orm";
import type { Queryable, WriteTx } from "../db/client.js";
import { attachmentChunks, attachmentLimits, attachments } from "../db/schema.js";
import type { Auth } from "../deps.js";
import { AppError } from "../errors.js";
import { DELETED_UPLOADER } from "./attachments-ledger.js";

export type AttachmentRow = typeof attachments.$inferSelect;

export interface HelplineAttachmentLimits {
  readonly maxFileBytes: number;
  readonly maxFilesPerMessage: number;
  readonly dailyBytesPerConversation: number;
}

/** The helpline's limits (its row in attachment_limits, else the defaults of LIMITS.attachments). */
export async function limitsOf(db: Queryable, helplineId: string): Promise<HelplineAttachmentLimits> {
  const row = (
    await db.select().from(attachmentLimits).where(eq(attachmentLimits.helplineId, helplineId))
  )[0];
  return {
    maxFileBytes: row?.maxFileBytes ?? LIMITS.attachments.maxFileBytes,
    maxFilesPerMessage: row?.maxFilesPerMessage ?? LIMITS.attachments.maxFilesPerMessage,
    dailyBytesPerConversation: row?.dailyBytesPerConversation ?? LIMITS.attachments.dailyBytesPerConversation,
  };
}

/**
 * Who owns an unbound upload: a staff member (across sessions and reloads) or a help-seeker's session
 * (their code is never known to the server; a new session is a new owner).
 */
export function ownerOf(auth: Auth): string {
  return auth.kind === "staff"
    ? `member:${auth.memberId}`
    : `session:${auth.tokenHash.toString("base64url")}`;
}

/** The upload `id` as its owner may see it while unbound; `NOT_FOUND` for anyone else (existence does not leak). */
export async function ownUpload(db: Queryable, auth: Auth, id: string): Promise<AttachmentRow> {
  const row = (await db.select().from(attachments).where(eq(attachments.id, id)))[0];
  if (row === undefined || row.helplineId !== auth.helplineId || row.uploader !== ownerOf(auth)) {
    throw new AppError("NOT_FOUND", "no such upload");
  }
  return row;
}

/** The chunk indices stored for an upload, ascending. */
export async function storedChunks(db: Queryable, id: string): Promise<number[]> {
  const rows = await db
    .select({ idx: attachmentChunks.idx })
    .from(attachmentChunks)
    .where(eq(attachmentChunks.attachmentId, id))
    .orderBy(attachmentChunks.idx);
  return rows.map((r) => r.idx);
}

/** The first index missing from an ascending list of stored chunks, or null when all `total` are there. */
export function firstMissing(stored: readonly number[], total: number): number | null {
  for (let i = 0; i < stored.length; i++) if (stored[i] !== i) return i;
  return stored.length >= total ? null : stored.length;
}

/**
 * Padded bytes of uploads counted against a conversation's daily limit in the window ending `now`:
 * for a reply, every upload created for that thread; for a new conversation, the owner's uploads that
 * no thread holds yet. Uploads deleted before sending still count (their ledger rows,
 * services/attachments-ledger.ts): deleting a file does not give its bytes back. Returns the sum and when the oldest counted upload leaves the window.
 */
export async function dailyBytes(
  tx: Queryable,
  target: { threadId: string } | { owner: string; helplineId: string },
  now: number,
): Promise<{ bytes: number; oldest: number | null }> {
  const since = now - 24 * 3_600_000;
  const where =
    "threadId" in target
      ? and(eq(attachments.threadId, target.threadId), gt(attachments.createdAt, since))
      : and(
          inArray(attachments.uploader, [target.owner, `${DELETED_UPLOADER}${target.owner}`]),
          eq(attachments.helplineId, target.helplineId),
          isNull(attachments.threadId),
          gt(attachments.createdAt, since),
        );
  const row = (
    await tx
      .select({
        bytes: sql<number | null>`sum(${attachments.paddedSize})`,
        oldest: sql<number | null>`min(${attachments.createdAt})`,
      })
      .from(attachments)
      .where(where)
  )[0];
  return { bytes: Number(row?.bytes ?? 0), oldest: row?.oldest ?? null };
}

/** Unbound uploads an owner holds for one target (they are the files of the message being written). */
export async function pendingUploads(
  tx: Queryable,
  owner: string,
  helplineId: string,
  threadId: string | null,
): Promise<number> {
  const row = (
    await tx
      .select({ n: count() })
      .from(attachments)
      .where(
        and(
          eq(attachments.uploader, owner),
          eq(attachments.helplineId, helplineId),
          threadId === null ? isNull(attachments.threadId) : eq(attachments.threadId, threadId),
          isNull(attachments.envelopeId),
        ),
      )
  )[0];
  return Number(row?.n ?? 0);
}

export interface BindRequest {
  readonly ids: readonly string[];
  readonly helplineId: string;
  /** The thread the message is in. */
  readonly threadId: string;
  /** True for the first message of a new conversation (its uploads have no thread yet). */
  readonly newConversation: boolean;
  readonly owner: string;
  readonly envelopeId: string;
}

/**
 * Binds the uploads a message names to it, inside the message's own write transaction: each must be
 * the poster's, unbound, complete and made for this thread (or, for a first message, for a new
 * conversation), and there may be no more than the helpline allows per message. A retry of the same
 * post finds them bound to this envelope already and changes nothing. From here on the upload has no
 * owner and no expiry: it lives and dies with its thread.
 */
export async function bindAttachments(tx: WriteTx, r: BindRequest): Promise<void> {
  if (r.ids.length === 0) return;
  if (new Set(r.ids).size !== r.ids.length) {
    throw new AppError("VALIDATION_FAILED", "attachments: an id is named twice");
  }
  const limits = await limitsOf(tx, r.helplineId);
  if (r.ids.length > limits.maxFilesPerMessage) {
    throw new AppError("ATTACHMENT_TOO_MANY", `a message carries at most ${limits.maxFilesPerMessage} files`);
  }
  const rows = await tx
    .select()
    .from(attachments)
    .where(inArray(attachments.id, [...r.ids]));
  const byId = new Map(rows.map((a) => [a.id, a]));
  const toBind: string[] = [];
  for (const id of r.ids) {
    const a = byId.get(id);
    if (a !== undefined && a.envelopeId === r.envelopeId && a.threadId === r.threadId) continue; // a retry
    if (a === undefined || a.helplineId !== r.helplineId || a.uploader !== r.owner || a.envelopeId !== null) {
      throw new AppError("NOT_FOUND", "an attachment the message names is not an upload of yours (expired?)");
    }
    const target = r.newConversation ? a.threadId === null : a.threadId === r.threadId;
    if (!target) throw new AppError("WRONG_CONTEXT", "an attachment was uploaded for another conversation");
    if (!a.complete)
      throw new AppError("ATTACHMENT_INCOMPLETE", "an attachment the message names is not complete");
    toBind.push(id);
  }
  if (toBind.length === 0) return;
  await tx
    .update(attachments)
    .set({ envelopeId: r.envelopeId, threadId: r.threadId, uploader: null, expiresAt: null })
    .where(inArray(attachments.id, toBind));
}

/** Deletes unbound uploads past their expiry (chunks go with them); returns how many. */
export async function expireUploads(tx: WriteTx, now: number, limit = 500): Promise<number> {
  const due = await tx
    .select({ id: attachments.id })
    .from(attachments)
    .where(lt(attachments.expiresAt, now))
    .limit(limit);
  if (due.length === 0) return 0;
  const gone = await tx
    .delete(attachments)
    .where(
      and(
        inArray(
          attachments.id,
          due.map((d) => d.id),
        ),
        lt(attachments.expiresAt, now),
      ),
    )
    .returning({ id: attachments.id });
  return gone.length;
}
