import { and, eq } from "drizzle-orm";
import type { WriteTx } from "../db/client.js";
import { seekers, sessions } from "../db/schema.js";
import { newId, type SeekerAuth } from "../deps.js";

/**
 * The help-seeker's row, created when they first keep something (their first conversation, or a saved
 * draft): a sign-in alone leaves only its session, which carries the sign-in key until then and goes
 * when the session ends. Every open session of the same key is pointed at the new row (they then lose
 * their copy of the key), so the cascade of `forgetSeekersWithoutThreads` ends them too. Inside a
 * write job; two first conversations of one key at once share one row (the unique index decides).
 *
 * @example
 * const seekerId = await ensureSeekerRow(tx, auth, now);
 */
export async function ensureSeekerRow(tx: WriteTx, auth: SeekerAuth, now: number): Promise<string> {
  if (auth.seekerId !== null) return auth.seekerId;
  const signInPk = auth.pendingSignInPk;
  if (signInPk === null) throw new Error("a help-seeker session without a row or a sign-in key");
  await tx
    .insert(seekers)
    .values({ id: newId(), helplineId: auth.helplineId, signInPk, createdAt: now })
    .onConflictDoNothing();
  const id = (await findSeekerId(tx, auth))!;
  await tx
    .update(sessions)
    .set({ seekerId: id, seekerSignInPk: null })
    .where(and(eq(sessions.helplineId, auth.helplineId), eq(sessions.seekerSignInPk, signInPk)));
  return id;
}

/** The row of this session's help-seeker, if it exists (also one made by another session meanwhile). */
export async function findSeekerId(tx: WriteTx, auth: SeekerAuth): Promise<string | undefined> {
  if (auth.seekerId !== null) return auth.seekerId;
  if (auth.pendingSignInPk === null) return undefined;
  const rows = await tx
    .select({ id: seekers.id })
    .from(seekers)
    .where(and(eq(seekers.helplineId, auth.helplineId), eq(seekers.signInPk, auth.pendingSignInPk)));
  return rows[0]?.id;
}
