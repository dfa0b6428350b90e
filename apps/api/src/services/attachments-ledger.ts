/**
 * What an attachment upload leaves behind when its owner deletes it before sending: a ledger row (the
 * upload's row without chunks, `uploader` = `deleted:<owner>`) until it leaves the 24-hour window, so
 * deleting an upload gives back neither the conversation's daily attachment bytes nor its place in the
 * window. The row holds no bytes, is not the owner's any more (not listed, bound, read or resumed) and
 * the maintenance loop removes it at its expiry like any unbound upload. And the helpline-wide figure of
 * unsent uploads that caps what anonymous help-seekers can park on the helpline's storage.
 */
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Queryable, WriteTx } from "../db/client.js";
import { attachmentChunks, attachments } from "../db/schema.js";

/** The `uploader` prefix of a deleted upload's ledger row. */
export const DELETED_UPLOADER = "deleted:";

/** Not a ledger row (SQL condition). */
export const notDeleted = sql`coalesce(${attachments.uploader}, '') NOT LIKE ${`${DELETED_UPLOADER}%`}`;

/** Deletes an unbound upload's chunks and turns its row into a ledger row; false when it was bound meanwhile. */
export async function deleteUpload(tx: WriteTx, id: string, owner: string): Promise<boolean> {
  const marked = await tx
    .update(attachments)
    // The header goes too (it served only the download): the row keeps sizes and times, nothing else.
    .set({ uploader: `${DELETED_UPLOADER}${owner}`, complete: false, header: Buffer.alloc(0) })
    .where(and(eq(attachments.id, id), eq(attachments.uploader, owner), isNull(attachments.envelopeId)))
    .returning({ id: attachments.id });
  if (marked.length === 0) return false;
  await tx.delete(attachmentChunks).where(eq(attachmentChunks.attachmentId, id));
  return true;
}

/**
 * Declared padded bytes of a helpline's unsent (unbound) uploads by help-seekers' sessions: the cap on
 * them keeps anonymous sessions from parking the helpline's storage, and staff uploads do not count.
 */
export async function unsentBytes(tx: Queryable, helplineId: string): Promise<number> {
  const row = (
    await tx
      .select({ n: sql<number | null>`sum(${attachments.paddedSize})` })
      .from(attachments)
      .where(
        and(
          eq(attachments.helplineId, helplineId),
          isNull(attachments.envelopeId),
          sql`${attachments.uploader} LIKE 'session:%'`,
        ),
      )
  )[0];
  return Number(row?.n ?? 0);
}
