import {
  type Helpline,
  helplinesQuerySchema,
  idSchema,
  LIMITS,
  publishRosterRequestSchema,
  rostersQuerySchema,
} from "@briefgeheim/protocol";
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { Roster, ServerCrypto } from "../../crypto/index.js";
import type { Queryable, WriteTx } from "../../db/client.js";
import { helplines, members, rosters, sessions } from "../../db/schema.js";
import { type AppEnv, type Deps, toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { appendAudit } from "../../services/audit.js";
import { crisisOptionsOf } from "../../services/helpline-settings.js";
import { type RosterCache, rosterDiff } from "../../services/rosters.js";
import { getHelpline } from "../../services/threads.js";
import { validate } from "../../validate.js";
import { deleteOwnSavedReplies } from "../saved-replies/index.js";
import { latestProfiles } from "./profile.js";

const helplineParam = z.object({ helplineId: idSchema });

/** `profile`: the newest signed profile (routes/helplines/profile.ts), null while there is none. */
export function helplineFromRow(h: typeof helplines.$inferSelect, profile: string | null = null): Helpline {
  return {
    id: h.id,
    slug: h.slug,
    name: h.name,
    description: h.description,
    replyTimeHours: h.replyTimeHours,
    tag: h.tag,
    rootPk: h.rootPk,
    rosterVersion: h.rosterVersion,
    lockAfterMinutes: h.lockAfterMinutes,
    retentionDays: h.retentionDays,
    createdAt: h.createdAt,
    profile,
    descriptionEn: h.descriptionEn,
    crisisOptions: crisisOptionsOf(h),
    exitUrl: h.exitUrl,
  };
}

/** /api/helplines: public helpline list, roster chain, publishing the next roster. */
export function helplineRoutes(deps: Deps, rosterCache: RosterCache) {
  return new Hono<AppEnv>()
    .get("/", validate("query", helplinesQuerySchema), async (c) => {
      const { limit = LIMITS.pageDefault, cursor } = c.req.valid("query");
      const rows = await deps.db.read
        .select()
        .from(helplines)
        .where(cursor === undefined ? undefined : gt(helplines.slug, cursor))
        .orderBy(asc(helplines.slug))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      const profiles = await latestProfiles(
        deps.db.read,
        page.map((h) => h.id),
      );
      return c.json(
        {
          helplines: page.map((h) => helplineFromRow(h, profiles.get(h.id) ?? null)),
          nextCursor: rows.length > limit ? page.at(-1)!.slug : null,
        },
        200,
      );
    })
    .get(
      "/:helplineId/rosters",
      validate("param", helplineParam),
      validate("query", rostersQuerySchema),
      async (c) => {
        const { helplineId } = c.req.valid("param");
        const { after = 0, limit = LIMITS.pageDefault } = c.req.valid("query");
        const helpline = await getHelpline(deps.db.read, helplineId);
        if (helpline === undefined) throw new AppError("NOT_FOUND", "no such helpline");
        const rows = await deps.db.read
          .select({ version: rosters.version, bytes: rosters.bytes })
          .from(rosters)
          .where(and(eq(rosters.helplineId, helplineId), gt(rosters.version, after)))
          .orderBy(asc(rosters.version))
          .limit(limit + 1);
        const page = rows.slice(0, limit);
        return c.json(
          {
            rosters: page.map((r) => toB64(new Uint8Array(r.bytes))),
            latestVersion: helpline.rosterVersion,
            nextAfter: rows.length > limit ? page.at(-1)!.version : null,
          },
          200,
        );
      },
    )
    .post(
      "/:helplineId/rosters",
      bodyLimit(LIMITS.body.roster),
      sessionAuth(deps),
      // Supervisors publish rosters; any active staff member may post one signed by the helpline's
      // current root (the emergency roster from the root recovery sheet, PROTOCOL.md §3).
      requireRole("supervisor", "counsellor"),
      // Another helpline's roster is refused before anything in the request is looked at.
      async (c, next) => {
        if (c.req.param("helplineId") !== c.var.auth.helplineId) {
          throw new AppError("FORBIDDEN", "not your helpline");
        }
        await next();
      },
      validate("param", helplineParam),
      validate("json", publishRosterRequestSchema),
      async (c) => {
        const auth = c.var.auth;
        const { helplineId } = c.req.valid("param");
        const crypto = await deps.crypto();
        const bytes = crypto.bytes(c.req.valid("json").roster);
        const helpline = await getHelpline(deps.db.read, helplineId);
        if (helpline?.rootPk == null)
          throw new AppError("HELPLINE_NOT_READY", "the helpline has no root yet");
        const parsed = crypto.parseRoster(bytes);

        // An exact retry of a roster that is already stored returns the first result.
        if (parsed.version <= helpline.rosterVersion) {
          const stored = await deps.db.read
            .select({ bytes: rosters.bytes })
            .from(rosters)
            .where(and(eq(rosters.helplineId, helplineId), eq(rosters.version, parsed.version)));
          if (stored[0] && Buffer.from(stored[0].bytes).equals(Buffer.from(bytes))) {
            const prev = await rosterCache.get(helplineId, parsed.version - 1);
            return c.json(
              { version: parsed.version, hash: toB64(parsed.hash), ...rosterDiff(prev, parsed) },
              200,
            );
          }
          throw new AppError("ROSTER_CONFLICT", `roster version ${helpline.rosterVersion} is current`);
        }
        const previous = await rosterCache.get(helplineId, helpline.rosterVersion);
        // Exactly one version after the newest, with its hash, signed by someone it allows (signer
        // rules: ROSTER_SIGNER_NOT_ALLOWED, ROSTER_CHAIN_BROKEN, ROSTER_INVALID; all typed 4xx).
        const roster = crypto.verifyRoster(bytes, {
          rootPk: crypto.bytes(helpline.rootPk),
          helplineId,
          previous,
        });
        if (
          auth.role !== "supervisor" &&
          !Buffer.from(roster.signerPk).equals(Buffer.from(previous?.rootPk ?? []))
        ) {
          throw new AppError(
            "FORBIDDEN",
            "only supervisors publish rosters, or anyone with the root's signature",
          );
        }
        await checkRosterAccounts(crypto, deps.db.read, helplineId, roster);
        const diff = rosterDiff(previous, roster);
        const now = deps.clock.now();

        await deps.writer.run(async (tx) => {
          const current = await getHelpline(tx, helplineId);
          if (current?.rosterVersion !== roster.version - 1) {
            throw new AppError("ROSTER_CONFLICT", "another roster was published meanwhile");
          }
          await checkRosterAccounts(crypto, tx, helplineId, roster);
          await tx.insert(rosters).values({
            helplineId,
            version: roster.version,
            bytes: Buffer.from(bytes),
            hash: Buffer.from(roster.hash),
            createdAt: now,
          });
          await tx
            .update(helplines)
            .set({ rosterVersion: roster.version })
            .where(eq(helplines.id, helplineId));
          await applyRosterToMembers(tx, helplineId, roster, diff.removed, now);
          await appendAudit(tx, {
            helplineId,
            at: now,
            actorKind: "staff",
            actorId: auth.kind === "staff" ? auth.memberId : null,
            action: "roster-change",
            details: { version: roster.version, added: diff.added, removed: diff.removed },
          });
        });
        rosterCache.put(helplineId, roster);
        return c.json({ version: roster.version, hash: toB64(roster.hash), ...diff }, 200);
      },
    );
}

/**
 * Every roster member must be an account of this helpline that was not removed, with the same keys:
 * a roster cannot list keys the server has no account for. `422 ROSTER_INVALID` otherwise.
 */
export async function checkRosterAccounts(
  crypto: ServerCrypto,
  db: Queryable,
  helplineId: string,
  roster: Roster,
): Promise<void> {
  const ids = roster.members.map((m) => m.memberId as string);
  const rows = await db
    .select()
    .from(members)
    .where(and(eq(members.helplineId, helplineId), inArray(members.id, ids)));
  const byId = new Map(rows.map((r) => [r.id, r]));
  for (const m of roster.members) {
    const account = byId.get(m.memberId);
    if (account === undefined) throw new AppError("ROSTER_INVALID", `member ${m.memberId} has no account`);
    if (account.status === "removed")
      throw new AppError("ROSTER_INVALID", `member ${m.memberId} was removed`);
    if (account.signPk !== crypto.b64(m.signPk) || account.boxPk !== crypto.b64(m.boxPk)) {
      throw new AppError("ROSTER_INVALID", `member ${m.memberId}: keys differ from the account's`);
    }
  }
}

/**
 * Roles, names and intake flags from the roster; members left out are removed and their sessions
 * revoked: kept (until they expire) with the reason, so that an open session's next request gets
 * `403 ACCOUNT_REMOVED` rather than a bare 401.
 */
export async function applyRosterToMembers(
  tx: WriteTx,
  helplineId: string,
  roster: Roster,
  removed: readonly string[],
  now: number,
): Promise<void> {
  for (const m of roster.members) {
    await tx
      .update(members)
      .set({ role: m.role, status: "active", displayName: m.displayName, intakeReader: m.intakeReader })
      .where(and(eq(members.id, m.memberId), eq(members.helplineId, helplineId)));
  }
  if (removed.length > 0) {
    await tx
      .update(members)
      .set({ status: "removed", removedAt: now, intakeReader: false })
      .where(and(eq(members.helplineId, helplineId), inArray(members.id, [...removed])));
    await tx
      .update(sessions)
      .set({ revokedReason: "account-removed" })
      .where(inArray(sessions.memberId, [...removed]));
    // Their own saved replies go with them (nobody else can open them anyway).
    await deleteOwnSavedReplies(tx, helplineId, removed);
  }
}
