import { and, eq, inArray, notExists } from "drizzle-orm";
import type { WriteTx } from "../db/client.js";
import { drafts, seekers, threads } from "../db/schema.js";

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
