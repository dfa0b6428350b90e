import {
  challengeRequestSchema,
  LIMITS,
  type Session,
  seekerSignInRequestSchema,
  staffParamsRequestSchema,
  staffRecoverRequestSchema,
  staffResetRequestSchema,
  staffSignInRequestSchema,
  staffUnlockRequestSchema,
} from "@briefgeheim/protocol";
import { and, eq } from "drizzle-orm";
import { Hono } from "hono";
import type { ServerCrypto } from "../../crypto/index.js";
import { challenges, helplines, members, seekers, sessions } from "../../db/schema.js";
import { type AppEnv, type Auth, type Deps, random, toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requirePow } from "../../middleware/pow/index.js";
import {
  absoluteMsFor,
  clearSessionCookie,
  idleMsFor,
  newSessionToken,
  sessionAuth,
  setSessionCookie,
  tokenHash,
} from "../../middleware/session/index.js";
import { appendAudit } from "../../services/audit.js";
import { validate } from "../../validate.js";
import { authChecks } from "./checks.js";

/** Session info as every sign-in and GET /api/auth/session return it. */
export function sessionInfo(auth: Auth): Session {
  return {
    role: auth.role,
    helplineId: auth.helplineId,
    memberId: auth.kind === "staff" ? auth.memberId : null,
    status: auth.kind === "staff" ? auth.status : "active",
    expiresAt: auth.expiresAt,
    idleTimeoutMs: auth.idleMs,
  };
}

/** /api/auth: challenges, help-seeker and staff sign-in, recovery, session, sign-out. */
export function authRoutes(deps: Deps) {
  const limits = deps.limits;

  const { findMember, limitStaffStep, checkStaffProof, checkChallenge, consumeChallenge } = authChecks(deps);

  return new Hono<AppEnv>()
    .post("/challenge", bodyLimit(LIMITS.body.small), validate("json", challengeRequestSchema), async (c) => {
      const { helplineId } = c.req.valid("json");
      // After the per-address share (app.ts): per helpline, then global.
      await limits.challenge.take(helplineId);
      await limits.global.take("*");
      const exists = await deps.db.read
        .select({ id: helplines.id })
        .from(helplines)
        .where(eq(helplines.id, helplineId));
      if (exists.length === 0) throw new AppError("NOT_FOUND", "no such helpline");
      const nonce = random(32);
      const expiresAt = deps.clock.now() + LIMITS.challengeTtlMs;
      await deps.writer.run((tx) => tx.insert(challenges).values({ nonce, helplineId, expiresAt }));
      return c.json({ nonce: toB64(nonce), expiresAt }, 200);
    })
    .post(
      "/seeker",
      bodyLimit(LIMITS.body.small),
      requirePow(deps.pow, "seeker-sign-in"),
      validate("json", seekerSignInRequestSchema),
      async (c) => {
        const body = c.req.valid("json");
        await limits.seekerSignIn.take(body.signInPk);
        await limits.global.take("*");
        const nonce = await checkChallenge(
          body.helplineId,
          body.nonce,
          body.signature,
          "seeker",
          body.signInPk,
        );
        const now = deps.clock.now();
        const token = newSessionToken();
        const expiresAt = now + absoluteMsFor("seeker");
        const seekerId = await deps.writer.run(async (tx) => {
          await consumeChallenge(tx, nonce);
          const found = await tx
            .select({ id: seekers.id })
            .from(seekers)
            .where(and(eq(seekers.helplineId, body.helplineId), eq(seekers.signInPk, body.signInPk)));
          // A key seen before signs into its row; a new key gets no row until its first conversation
          // (services/seeker-row.ts): the session alone carries the key, and goes when it ends.
          const id = found[0]?.id ?? null;
          await tx.insert(sessions).values({
            tokenHash: tokenHash(token),
            kind: "seeker",
            helplineId: body.helplineId,
            seekerId: id,
            seekerSignInPk: id === null ? body.signInPk : null,
            createdAt: now,
            lastSeenAt: now,
            expiresAt,
          });
          return id;
        });
        setSessionCookie(c, token);
        return c.json(
          sessionInfo({
            kind: "seeker",
            role: "seeker",
            helplineId: body.helplineId,
            seekerId,
            pendingSignInPk: seekerId === null ? body.signInPk : null,
            tokenHash: tokenHash(token),
            expiresAt,
            idleMs: idleMsFor("seeker"),
          }),
          200,
        );
      },
    )
    .post(
      "/staff/params",
      bodyLimit(LIMITS.body.small),
      validate("json", staffParamsRequestSchema),
      async (c) => {
        const { username } = c.req.valid("json");
        await limitStaffStep(null, username);
        const member = await findMember(username);
        if (member) {
          return c.json(
            { salt: toB64(member.passSalt), opsLimit: member.passOps, memLimitKiB: member.passMemKiB },
            200,
          );
        }
        // Unknown username: a decoy that is stable per username, so probing cannot tell.
        const secrets = await deps.secrets();
        return c.json({ salt: toB64(secrets.decoySalt(username)), ...LIMITS.kdfDecoy }, 200);
      },
    )
    .post(
      "/staff/unlock",
      bodyLimit(LIMITS.body.small),
      validate("json", staffUnlockRequestSchema),
      async (c) => {
        const { username, proof } = c.req.valid("json");
        await limitStaffStep("unlock", username);
        const member = await checkStaffProof(c, username, proof, "pass");
        return c.json(
          { memberId: member.id, helplineId: member.helplineId, wrappedKey: toB64(member.wrappedKey) },
          200,
        );
      },
    )
    .post("/staff", bodyLimit(LIMITS.body.small), validate("json", staffSignInRequestSchema), async (c) => {
      const body = c.req.valid("json");
      await limitStaffStep("sign-in", body.username);
      const member = await checkStaffProof(c, body.username, body.proof, "pass");
      const nonce = await checkChallenge(
        member.helplineId,
        body.nonce,
        body.signature,
        "staff",
        member.signInPk,
      );
      const now = deps.clock.now();
      const token = newSessionToken();
      const expiresAt = now + absoluteMsFor("staff");
      const current = await deps.writer.run(async (tx) => {
        await consumeChallenge(tx, nonce);
        const rows = await tx.select().from(members).where(eq(members.id, member.id));
        const m = rows[0];
        if (m === undefined) throw new AppError("INVALID_CREDENTIALS", "unknown username or wrong proof");
        if (m.status === "removed")
          throw new AppError("ACCOUNT_REMOVED", "this account was removed from the helpline");
        await tx.insert(sessions).values({
          tokenHash: tokenHash(token),
          kind: "staff",
          helplineId: m.helplineId,
          memberId: m.id,
          createdAt: now,
          lastSeenAt: now,
          expiresAt,
        });
        await appendAudit(tx, {
          helplineId: m.helplineId,
          at: now,
          actorKind: "staff",
          actorId: m.id,
          action: "sign-in",
        });
        return m;
      });
      setSessionCookie(c, token);
      return c.json(
        sessionInfo({
          kind: "staff",
          role: current.role,
          status: current.status === "active" ? "active" : "pending",
          helplineId: current.helplineId,
          memberId: current.id,
          signPk: current.signPk,
          boxPk: current.boxPk,
          intakeReader: current.intakeReader,
          tokenHash: tokenHash(token),
          expiresAt,
          idleMs: idleMsFor("staff"),
        }),
        200,
      );
    })
    .post(
      "/staff/recover",
      bodyLimit(LIMITS.body.small),
      validate("json", staffRecoverRequestSchema),
      async (c) => {
        const { username, recoveryProof } = c.req.valid("json");
        await limitStaffStep("recover", username);
        const member = await checkStaffProof(c, username, recoveryProof, "recovery");
        return c.json(
          {
            memberId: member.id,
            helplineId: member.helplineId,
            recoveryWrappedKey: toB64(member.recoveryWrappedKey),
          },
          200,
        );
      },
    )
    .post(
      "/staff/reset",
      bodyLimit(LIMITS.body.small),
      validate("json", staffResetRequestSchema),
      async (c) => {
        const { username, recoveryProof, passphrase } = c.req.valid("json");
        await limitStaffStep("reset", username);
        const member = await checkStaffProof(c, username, recoveryProof, "recovery");
        const crypto = await deps.crypto();
        const wrapped = checkPassphraseWrap(crypto, passphrase);
        const proofHash = Buffer.from(crypto.proofHash(crypto.bytes(passphrase.proof)));
        await deps.writer.run(async (tx) => {
          await tx
            .update(members)
            .set({
              passSalt: Buffer.from(crypto.bytes(passphrase.salt)),
              passOps: passphrase.opsLimit,
              passMemKiB: passphrase.memLimitKiB,
              passProofHash: proofHash,
              wrappedKey: Buffer.from(wrapped),
            })
            .where(eq(members.id, member.id));
          // A new passphrase ends every session of the account.
          await tx.delete(sessions).where(eq(sessions.memberId, member.id));
        });
        return c.json({ ok: true as const }, 200);
      },
    )
    .get("/session", sessionAuth(deps), (c) => c.json(sessionInfo(c.var.auth), 200))
    .post("/sign-out", bodyLimit(LIMITS.body.small), sessionAuth(deps), async (c) => {
      const hash = c.var.auth.tokenHash;
      await deps.writer.run((tx) => tx.delete(sessions).where(eq(sessions.tokenHash, hash)));
      clearSessionCookie(c);
      return c.json({ ok: true as const }, 200);
    });
}

/**
 * The uploaded passphrase wrap must be a kind-1 wrapped key (type 0x06) whose salt and parameters are
 * the ones declared next to it (what /staff/params will hand out). `400 VALIDATION_FAILED` otherwise.
 */
export function checkPassphraseWrap(
  crypto: ServerCrypto,
  p: { salt: string; opsLimit: number; memLimitKiB: number; wrappedKey: string },
): Uint8Array {
  const bytes = crypto.bytes(p.wrappedKey);
  const w = crypto.parseWrappedKey(bytes);
  if (
    w.kind !== "passphrase" ||
    crypto.b64(w.salt) !== p.salt ||
    w.opsLimit !== p.opsLimit ||
    w.memLimitKiB !== p.memLimitKiB
  ) {
    throw new AppError("VALIDATION_FAILED", "passphrase.wrappedKey does not match its salt and parameters");
  }
  return bytes;
}

/** The recovery wrap must be a kind-2 wrapped key. */
export function checkRecoveryWrap(crypto: ServerCrypto, wrappedKey: string): Uint8Array {
  const bytes = crypto.bytes(wrappedKey);
  if (crypto.parseWrappedKey(bytes).kind !== "recovery") {
    throw new AppError("VALIDATION_FAILED", "recovery.wrappedKey is not a recovery wrap");
  }
  return bytes;
}
