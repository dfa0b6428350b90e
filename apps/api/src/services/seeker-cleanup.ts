import { and, eq, inArray, notExists, sql } from "drizzle-orm";
import type { WriteTx } from "../db/client.js";
import { drafts, seekers, sessions, threads } from "../db/schema.js";

/**
 * Forgets help-seekers whose last conversation just went (deleted by them, or past retention): their
 * `seekers` row (the sign-in public key, which would let anyone holding the database test code guesses
 * offline, and the first-visit time), their sessions (cascade) and every draft they kept, including
 * drafts of a new conversation. Runs in the same write job as the thread deletion, so no request can
 * see a seeker without threads in between; a seeker who still has a thread is left alone. Returns how
 * many were forgotten.
 *
 * @example
 * await forgetSeekersWithoutThreads(tx, [thread.seekerId]);
 */
export async function forgetSeekersWithoutThreads(
  tx: WriteTx,
  seekerIds: readonly string[],
): Promise<number> {
  const ids = [...new Set(seekerIds)];
  if (ids.length === 0) return 0;
  const done = await tx
    .select({ id: seekers.id })
    .from(seekers)
    .where(
      and(
        inArray(seekers.id, ids),
        notExists(tx.select({ id: threads.id }).from(threads).where(eq(threads.seekerId, seekers.id))),
      ),
    );
  if (done.length === 0) return 0;
  const gone = done.map((s) => s.id);
  await tx.delete(drafts).where(
    inArray(
      drafts.owner,
      gone.map((id) => `seeker:${id}`),
    ),
  );
  await tx.delete(seekers).where(inArray(seekers.id, gone));
  return gone.length;
}

/**
 * Forgets help-seekers who never kept anything: no conversation, no session (theirs ended or expired)
 * and no draft. Such a row is only a sign-in key and a first-visit time left by someone who signed in
 * and left. A help-seeker with a saved first draft keeps their row (they can come back to it). At most
 * `limit` per call. Returns how many were forgotten.
 */
export async function sweepAbandonedSeekers(tx: WriteTx, limit: number): Promise<number> {
  const rows = await tx
    .select({ id: seekers.id })
    .from(seekers)
    .where(
      and(
        notExists(tx.select({ id: threads.id }).from(threads).where(eq(threads.seekerId, seekers.id))),
        notExists(
          tx.select({ seekerId: sessions.seekerId }).from(sessions).where(eq(sessions.seekerId, seekers.id)),
        ),
        notExists(
          tx
            .select({ owner: drafts.owner })
            .from(drafts)
            .where(eq(drafts.owner, sql`'seeker:' || ${seekers.id}`)),
        ),
      ),
    )
    .limit(limit);
  if (rows.length === 0) return 0;
  await tx.delete(seekers).where(
    inArray(
      seekers.id,
      rows.map((r) => r.id),
    ),
  );
  return rows.length;
}
