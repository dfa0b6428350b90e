import {
  acceptInviteRequestSchema,
  createInviteRequestSchema,
  inviteTokenSchema,
  LIMITS,
  type StaffRole,
} from "@briefgeheim/protocol";
import { eq, or } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { Roster } from "../../crypto/index.js";
import type { WriteTx } from "../../db/client.js";
import { helplines, invites, members, rosters } from "../../db/schema.js";
import { type AppEnv, type Deps, sha256 } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { appendAudit } from "../../services/audit.js";
import type { RosterCache } from "../../services/rosters.js";
import { getHelpline } from "../../services/threads.js";
import { validate } from "../../validate.js";
import { checkPassphraseWrap, checkRecoveryWrap } from "../auth/index.js";
import { firstSupervisorProfile, insertProfile, proposedProfileOf } from "../helplines/profile.js";

const tokenParam = z.object({ token: inviteTokenSchema });
const HOUR_MS = 3_600_000;

type InviteRow = typeof invites.$inferSelect;

/**
 * Creates an invite inside a write job. The token is random and made by the caller (the inviter's
 * browser or the operator CLI); only its SHA-256 is stored, so a stolen database yields no usable
 * invite. A retry with the same id and token returns the first answer; the same id with another
 * token or content is `IDEMPOTENCY_CONFLICT`. Used by POST /api/invites and by the operator CLI.
 */
export async function insertInvite(
  tx: WriteTx,
  input: {
    id: string;
    helplineId: string;
    role: StaffRole;
    expiresInHours: number;
    createdBy: string | null;
    firstSupervisor: boolean;
    now: number;
    token: string;
    /** The invite secret sealed for the supervisors (opaque), if the inviter's client made one. */
    sealedSecret?: Buffer | null;
  },
): Promise<{ id: string; token: string; expiresAt: number }> {
  const sealedSecret = input.sealedSecret ?? null;
  const tokenHash = sha256(input.token);
  const existing = await tx.select().from(invites).where(eq(invites.id, input.id));
  const found = existing[0];
  if (found) {
    const same =
      Buffer.from(found.tokenHash).equals(tokenHash) &&
      found.helplineId === input.helplineId &&
      found.role === input.role &&
      found.expiresInHours === input.expiresInHours &&
      found.createdBy === input.createdBy &&
      (found.sealedSecret === null
        ? sealedSecret === null
        : sealedSecret !== null && Buffer.from(found.sealedSecret).equals(sealedSecret));
    if (!same) throw new AppError("IDEMPOTENCY_CONFLICT", "this invite id was used with other content");
    return { id: found.id, token: input.token, expiresAt: found.expiresAt };
  }
  const clash = await tx.select({ id: members.id }).from(members).where(eq(members.id, input.id));
  if (clash.length > 0) throw new AppError("CONFLICT", "this id is taken");
  const tokenTaken = await tx
    .select({ id: invites.id })
    .from(invites)
    .where(eq(invites.tokenHash, tokenHash));
  if (tokenTaken.length > 0) throw new AppError("CONFLICT", "this token is taken");
  const expiresAt = input.now + input.expiresInHours * HOUR_MS;
  await tx.insert(invites).values({
    id: input.id,
    helplineId: input.helplineId,
    tokenHash,
    role: input.role,
    firstSupervisor: input.firstSupervisor,
    createdBy: input.createdBy,
    sealedSecret,
    expiresInHours: input.expiresInHours,
    createdAt: input.now,
    expiresAt,
  });
  await appendAudit(tx, {
    helplineId: input.helplineId,
    at: input.now,
    actorKind: input.createdBy === null ? "operator" : "staff",
    actorId: input.createdBy,
    action: "invite-created",
    subjectId: input.id,
    details: { role: input.role, expiresAt, firstSupervisor: input.firstSupervisor },
  });
  return { id: input.id, token: input.token, expiresAt };
}

/** /api/invites: supervisors create one-time invites; the invited accept them with their new keys. */
export function inviteRoutes(deps: Deps, rosterCache: RosterCache) {
  async function findInvite(token: string): Promise<InviteRow> {
    // After the per-address share (app.ts): per invite, then global.
    await deps.limits.invite.take(token.slice(0, 16));
    await deps.limits.global.take("*");
    const rows = await deps.db.read
      .select()
      .from(invites)
      .where(eq(invites.tokenHash, sha256(token)));
    const invite = rows[0];
    if (invite === undefined) throw new AppError("NOT_FOUND", "no such invite");
    return invite;
  }

  return new Hono<AppEnv>()
    .post(
      "/",
      bodyLimit(LIMITS.body.small),
      sessionAuth(deps),
      requireRole("supervisor"),
      validate("json", createInviteRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "staff only");
        const { sealedSecret, token, ...body } = c.req.valid("json");
        const crypto = await deps.crypto();
        const sealed = sealedSecret === undefined ? null : Buffer.from(crypto.bytes(sealedSecret));
        const result = await deps.writer.run((tx) =>
          insertInvite(tx, {
            ...body,
            sealedSecret: sealed,
            helplineId: auth.helplineId,
            createdBy: auth.memberId,
            firstSupervisor: false,
            now: deps.clock.now(),
            token,
          }),
        );
        return c.json(result, 200);
      },
    )
    .get("/:token", validate("param", tokenParam), async (c) => {
      const invite = await findInvite(c.req.valid("param").token);
      if (invite.acceptedAt !== null) throw new AppError("INVITE_USED", "this invite was already used");
      if (deps.clock.now() >= invite.expiresAt) throw new AppError("INVITE_EXPIRED", "this invite expired");
      const helpline = await getHelpline(deps.db.read, invite.helplineId);
      return c.json(
        {
          memberId: invite.id,
          helplineId: invite.helplineId,
          helplineName: helpline?.name ?? "",
          role: invite.role,
          expiresAt: invite.expiresAt,
          firstSupervisor: invite.firstSupervisor,
          proposedProfile: invite.firstSupervisor && helpline ? proposedProfileOf(helpline) : null,
        },
        200,
      );
    })
    .post(
      "/:token/accept",
      bodyLimit(LIMITS.body.invite),
      validate("param", tokenParam),
      validate("json", acceptInviteRequestSchema),
      async (c) => {
        const invite = await findInvite(c.req.valid("param").token);
        const body = c.req.valid("json");
        const crypto = await deps.crypto();
        const memberId = invite.id;
        const result = { memberId, helplineId: invite.helplineId, role: invite.role };

        if (invite.acceptedAt !== null) {
          // A retried acceptance (same account) gets the first answer.
          const rows = await deps.db.read.select().from(members).where(eq(members.id, memberId));
          const m = rows[0];
          if (m && m.username === body.username && m.signInPk === body.signInPk && m.signPk === body.signPk) {
            return c.json(
              { ...result, status: m.status === "active" ? ("active" as const) : ("pending" as const) },
              200,
            );
          }
          throw new AppError("INVITE_USED", "this invite was already used");
        }
        if (deps.clock.now() >= invite.expiresAt) throw new AppError("INVITE_EXPIRED", "this invite expired");

        const wrappedKey = checkPassphraseWrap(crypto, body.passphrase);
        const recoveryWrappedKey = checkRecoveryWrap(crypto, body.recovery.wrappedKey);
        let roster: Roster | undefined;
        let rosterBytes: Uint8Array | undefined;
        if (invite.firstSupervisor) {
          if (body.roster === undefined)
            throw new AppError("VALIDATION_FAILED", "roster: required for the first supervisor");
          rosterBytes = crypto.bytes(body.roster);
          const parsed = crypto.parseRoster(rosterBytes);
          roster = crypto.verifyRoster(rosterBytes, { rootPk: parsed.rootPk, helplineId: invite.helplineId });
          const only = roster.members[0];
          if (
            roster.version !== 1 ||
            roster.members.length !== 1 ||
            only === undefined ||
            only.memberId !== memberId ||
            only.role !== "supervisor" ||
            crypto.b64(only.signPk) !== body.signPk ||
            crypto.b64(only.boxPk) !== body.boxPk
          ) {
            throw new AppError(
              "ROSTER_INVALID",
              "roster v1 must list exactly the new supervisor with these keys",
            );
          }
        } else if (body.roster !== undefined) {
          throw new AppError("VALIDATION_FAILED", "roster: only for the first supervisor");
        }
        // The first supervisor's profile v1 (routes/helplines/profile.ts), checked against roster v1.
        const firstProfile = await firstSupervisorProfile(deps, invite, body.profile, roster);

        const now = deps.clock.now();
        const status = invite.firstSupervisor ? ("active" as const) : ("pending" as const);
        await deps.writer.run(async (tx) => {
          const fresh = await tx
            .select({ acceptedAt: invites.acceptedAt })
            .from(invites)
            .where(eq(invites.id, invite.id));
          if (fresh[0]?.acceptedAt !== null)
            throw new AppError("INVITE_USED", "this invite was already used");
          const taken = await tx
            .select({ username: members.username })
            .from(members)
            .where(or(eq(members.username, body.username), eq(members.signInPk, body.signInPk)));
          if (taken.some((t) => t.username === body.username))
            throw new AppError("USERNAME_TAKEN", "choose another username");
          if (taken.length > 0) throw new AppError("CONFLICT", "this sign-in key is registered already");
          if (roster && rosterBytes) {
            const h = await getHelpline(tx, invite.helplineId);
            if (h?.rootPk !== null) throw new AppError("CONFLICT", "the helpline has a root already");
          }
          await tx.insert(members).values({
            id: memberId,
            helplineId: invite.helplineId,
            username: body.username,
            role: invite.role,
            status,
            // Roster v1 names the first supervisor; everyone else's choice waits for admission.
            displayName: roster?.members[0]?.displayName ?? body.displayName ?? null,
            intakeReader: roster?.members[0]?.intakeReader ?? false,
            signInPk: body.signInPk,
            signPk: body.signPk,
            boxPk: body.boxPk,
            passSalt: Buffer.from(crypto.bytes(body.passphrase.salt)),
            passOps: body.passphrase.opsLimit,
            passMemKiB: body.passphrase.memLimitKiB,
            passProofHash: Buffer.from(crypto.proofHash(crypto.bytes(body.passphrase.proof))),
            wrappedKey: Buffer.from(wrappedKey),
            recoveryProofHash: Buffer.from(crypto.proofHash(crypto.bytes(body.recovery.proof))),
            recoveryWrappedKey: Buffer.from(recoveryWrappedKey),
            keyProof: body.keyProof === undefined ? null : Buffer.from(crypto.bytes(body.keyProof)),
            createdAt: now,
          });
          await tx.update(invites).set({ acceptedAt: now }).where(eq(invites.id, invite.id));
          await appendAudit(tx, {
            helplineId: invite.helplineId,
            at: now,
            actorKind: "staff",
            actorId: memberId,
            action: "invite-accepted",
            subjectId: memberId,
            details: { role: invite.role },
          });
          if (roster && rosterBytes) {
            await tx.insert(rosters).values({
              helplineId: invite.helplineId,
              version: 1,
              bytes: Buffer.from(rosterBytes),
              hash: Buffer.from(roster.hash),
              createdAt: now,
            });
            await tx
              .update(helplines)
              .set({ rootPk: crypto.b64(roster.rootPk), rosterVersion: 1 })
              .where(eq(helplines.id, invite.helplineId));
            if (firstProfile) await insertProfile(tx, { ...firstProfile, now, actorId: memberId });
            await appendAudit(tx, {
              helplineId: invite.helplineId,
              at: now,
              actorKind: "staff",
              actorId: memberId,
              action: "roster-change",
              details: { version: 1, added: [memberId], removed: [] },
            });
          }
        });
        if (roster) rosterCache.put(invite.helplineId, roster);
        return c.json({ ...result, status }, 200);
      },
    );
}
