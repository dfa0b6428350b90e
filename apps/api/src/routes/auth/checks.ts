import { eq } from "drizzle-orm";
import type { Context } from "hono";
import type { WriteTx } from "../../db/client.js";
import { challenges, members } from "../../db/schema.js";
import { type AppEnv, constantTimeEqual, type Deps } from "../../deps.js";
import { AppError, isAppError } from "../../errors.js";

export type MemberRow = typeof members.$inferSelect;

/**
 * The credential checks of /api/auth (index.ts): member lookup, passphrase and recovery proofs with
 * their limits and delays, and sign-in challenges.
 */
export function authChecks(deps: Deps) {
  const limits = deps.limits;

  async function findMember(username: string): Promise<MemberRow | undefined> {
    const rows = await deps.db.read.select().from(members).where(eq(members.username, username));
    return rows[0];
  }

  /**
   * Checks a passphrase (or recovery) proof by comparing hashes in constant time. Unknown usernames
   * cost the same hash and fail the same way (`401 INVALID_CREDENTIALS`).
   */
  async function checkProof(
    member: MemberRow | undefined,
    proofText: string,
    which: "pass" | "recovery",
  ): Promise<MemberRow> {
    const crypto = await deps.crypto();
    const hash = crypto.proofHash(crypto.bytes(proofText));
    const stored = member
      ? which === "pass"
        ? member.passProofHash
        : member.recoveryProofHash
      : Buffer.alloc(32);
    const ok = constantTimeEqual(hash, new Uint8Array(stored));
    if (member === undefined || !ok)
      throw new AppError("INVALID_CREDENTIALS", "unknown username or wrong proof");
    if (member.status === "removed")
      throw new AppError("ACCOUNT_REMOVED", "this account was removed from the helpline");
    return member;
  }

  /**
   * The limits of a staff sign-in step, after the per-address share (app.ts): per username (a bound on
   * guessing from many addresses; not for `params`, which reveals nothing and must stay answerable for
   * the owner), then global.
   */
  async function limitStaffStep(step: "unlock" | "sign-in" | "recover" | "reset" | null, username: string) {
    if (step !== null) await limits.staffAuth.take(`${step}:${username}`);
    await limits.global.take("*");
  }

  /**
   * `checkProof` with a growing delay per (username, client address): after a few wrong proofs from one
   * address, that address waits 1, 2, 4, ... seconds per further try for that username (429 with the
   * wait); the owner at another address is not affected, and a right proof clears the delay. In-process
   * requests (no address) are not delayed.
   */
  async function checkStaffProof(
    c: Context<AppEnv>,
    username: string,
    proofText: string,
    which: "pass" | "recovery",
  ): Promise<MemberRow> {
    const address = c.var.clientKey;
    const key = address === undefined ? undefined : `${username}\u0000${address}`;
    if (key !== undefined) await limits.passphrase.check(key);
    try {
      const member = await checkProof(await findMember(username), proofText, which);
      if (key !== undefined) await limits.passphrase.succeeded(key);
      return member;
    } catch (e) {
      if (key !== undefined && isAppError(e, "INVALID_CREDENTIALS")) await limits.passphrase.failed(key);
      throw e;
    }
  }

  /**
   * Checks a sign-in challenge: known, same helpline, fresh; then the signature. The nonce is consumed
   * (deleted) by the caller's write job; a bad signature consumes it too (the one write a refused
   * sign-in makes: a nonce gets one try).
   */
  async function checkChallenge(
    helplineId: string,
    nonceText: string,
    signatureText: string,
    role: "seeker" | "staff",
    signInPk: string,
  ): Promise<Buffer> {
    const crypto = await deps.crypto();
    const nonce = Buffer.from(crypto.bytes(nonceText));
    const rows = await deps.db.read.select().from(challenges).where(eq(challenges.nonce, nonce));
    const challenge = rows[0];
    if (challenge === undefined || challenge.helplineId !== helplineId) {
      throw new AppError("CHALLENGE_INVALID", "unknown or used challenge");
    }
    if (deps.clock.now() >= challenge.expiresAt) {
      // Useless already; maintenance deletes it (a refused request writes nothing).
      throw new AppError("CHALLENGE_EXPIRED", "the challenge expired; request a new one");
    }
    try {
      crypto.verifyChallenge(
        { origin: deps.origin, helplineId, role, nonce: new Uint8Array(nonce) },
        crypto.bytes(signatureText),
        crypto.bytes(signInPk),
      );
    } catch (e) {
      await deps.writer.run((tx) => tx.delete(challenges).where(eq(challenges.nonce, nonce)));
      throw e instanceof AppError
        ? e
        : new AppError("CHALLENGE_INVALID", "the sign-in signature does not verify");
    }
    return nonce;
  }

  /** Inside a write job: consume the nonce (exactly once) or fail. */
  async function consumeChallenge(tx: WriteTx, nonce: Buffer): Promise<void> {
    const deleted = await tx
      .delete(challenges)
      .where(eq(challenges.nonce, nonce))
      .returning({ n: challenges.nonce });
    if (deleted.length !== 1) throw new AppError("CHALLENGE_INVALID", "unknown or used challenge");
  }

  return { findMember, limitStaffStep, checkStaffProof, checkChallenge, consumeChallenge };
}
