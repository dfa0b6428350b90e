/**
 * The help flag (issue 10, staff item 3): a staff reader asks the supervisors for help with a thread,
 * with an optional note, and the flag is resolved by clearing it. The note is an end-to-end encrypted
 * internal note of the thread (staff stream): the server keeps only its envelope id. Raising and
 * resolving are audited (who, which thread, the note's id), never with content.
 */
import { and, eq } from "drizzle-orm";
import type { Queryable, WriteTx } from "../../db/client.js";
import { envelopes, members, type threads } from "../../db/schema.js";
import type { Auth } from "../../deps.js";
import { AppError } from "../../errors.js";
import { appendAudit } from "../../services/audit.js";

type ThreadRow = typeof threads.$inferSelect;

/**
 * The note named with a raised flag must be the caller's own note in this thread (a staff-stream
 * envelope they signed): nobody can point the flag at another member's note or another thread's.
 * Anything else is `404 NOT_FOUND` (nothing of the caller's there) and changes nothing.
 */
export async function checkFlagNote(
  db: Queryable,
  auth: Auth,
  threadId: string,
  noteId: string,
): Promise<void> {
  if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "staff only");
  const rows = await db
    .select({ senderPk: envelopes.senderPk, signPk: members.signPk })
    .from(envelopes)
    .innerJoin(members, eq(members.id, auth.memberId))
    .where(and(eq(envelopes.threadId, threadId), eq(envelopes.id, noteId), eq(envelopes.stream, "staff")));
  const row = rows[0];
  if (row === undefined || row.senderPk !== row.signPk)
    throw new AppError("NOT_FOUND", "no note of yours with that id in this thread");
}

/** Inside the PATCH's write job: an audit entry when the flag is raised (again) or resolved. */
export async function auditFlag(
  tx: WriteTx,
  auth: Auth,
  before: ThreadRow,
  flagged: boolean | undefined,
  noteId: string | undefined,
  at: number,
): Promise<void> {
  if (flagged === undefined || auth.kind !== "staff") return;
  // Clearing a flag nobody raised is no event, nor raising a raised one again without a new note.
  if (flagged === before.flagged && noteId === undefined) return;
  const note = flagged ? noteId : before.flagNoteId;
  await appendAudit(tx, {
    helplineId: before.helplineId,
    at,
    actorKind: "staff",
    actorId: auth.memberId,
    action: flagged ? "flag-raised" : "flag-resolved",
    threadId: before.id,
    ...(note === undefined || note === null ? {} : { details: { note } }),
  });
}
