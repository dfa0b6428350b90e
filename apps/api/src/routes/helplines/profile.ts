/**
 * The signed helpline directory (docs/PROTOCOL.md §10): storing and serving each helpline's signed
 * profile. Clients verify a profile themselves against the roster chain of the pinned root; the
 * server checks the same rules before storing so that an honest server never serves one they refuse.
 */
import {
  type CryptoError,
  type HelplineId,
  type HelplineProfile,
  isCryptoError,
  type Roster,
  type Sodium,
  verifyHelplineProfile,
} from "@briefgeheim/crypto";
import { type ErrorCode, idSchema, publishProfileRequestSchema } from "@briefgeheim/protocol";
import { and, desc, eq, inArray, max } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { Queryable, WriteTx } from "../../db/client.js";
import { helplineProfiles, helplines } from "../../db/schema.js";
import { type AppEnv, type Deps, toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { appendAudit } from "../../services/audit.js";
import type { RosterCache } from "../../services/rosters.js";
import { getHelpline } from "../../services/threads.js";
import { validate } from "../../validate.js";

const helplineParam = z.object({ helplineId: idSchema });

/** The newest profile of each helpline (base64url), for the public list. One query per page. */
export async function latestProfiles(
  db: Queryable,
  helplineIds: readonly string[],
): Promise<Map<string, string>> {
  if (helplineIds.length === 0) return new Map();
  const newest = db
    .select({ helplineId: helplineProfiles.helplineId, version: max(helplineProfiles.version).as("newest") })
    .from(helplineProfiles)
    .where(inArray(helplineProfiles.helplineId, [...helplineIds]))
    .groupBy(helplineProfiles.helplineId)
    .as("newest");
  const rows = await db
    .select({ helplineId: helplineProfiles.helplineId, bytes: helplineProfiles.bytes })
    .from(helplineProfiles)
    .innerJoin(
      newest,
      and(eq(newest.helplineId, helplineProfiles.helplineId), eq(newest.version, helplineProfiles.version)),
    );
  return new Map(rows.map((r) => [r.helplineId, toB64(new Uint8Array(r.bytes))]));
}

/** The crypto package's reasons, as the API's typed 4xx codes. */
function profileRefusal(e: CryptoError): AppError {
  const code: ErrorCode =
    e.code === "PROFILE_SIGNER_NOT_ALLOWED"
      ? "SIGNER_NOT_ALLOWED"
      : e.code === "PROFILE_ROLLBACK"
        ? "PROFILE_CONFLICT"
        : e.code === "BAD_SIGNATURE"
          ? "BAD_SIGNATURE"
          : e.code === "WRONG_CONTEXT" || e.code === "PROFILE_TAG_MISMATCH"
            ? "WRONG_CONTEXT"
            : "MALFORMED_STRUCTURE";
  return new AppError(code, e.message);
}

/** The operator's unsigned proposal for profile version 1 (the helpline row as `helpline create` made it). */
export function proposedProfileOf(h: typeof helplines.$inferSelect) {
  return {
    tag: h.tag,
    name: h.name,
    descriptionNl: h.description,
    descriptionEn: h.descriptionEn,
    replyWithinHours: h.replyTimeHours,
  };
}

/** Verifies a profile as clients do (signer on `roster`, helpline, tag); typed 4xx otherwise. */
export function checkProfileBytes(
  sodium: Sodium,
  bytes: Uint8Array,
  trust: { helplineId: string; roster: Roster; tag: number },
): HelplineProfile {
  try {
    return verifyHelplineProfile(sodium, bytes, { ...trust, helplineId: trust.helplineId as HelplineId });
  } catch (e) {
    if (isCryptoError(e)) throw profileRefusal(e);
    throw e;
  }
}

/**
 * Stores a verified profile, keeps the unsigned copy in `helplines` in step (thread summaries and the
 * operator CLI read it) and audits it. Inside a write job; the caller checked the version.
 */
export async function insertProfile(
  tx: WriteTx,
  p: { helplineId: string; profile: HelplineProfile; bytes: Uint8Array; now: number; actorId: string | null },
): Promise<void> {
  await tx.insert(helplineProfiles).values({
    helplineId: p.helplineId,
    version: p.profile.profileVersion,
    bytes: Buffer.from(p.bytes),
    signerPk: toB64(p.profile.signerPk),
    createdAt: p.now,
  });
  await tx
    .update(helplines)
    .set({
      name: p.profile.name,
      description: p.profile.descriptionNl,
      descriptionEn: p.profile.descriptionEn,
      replyTimeHours: p.profile.replyWithinHours,
      crisisOptions: JSON.stringify(p.profile.crisisOptions),
      exitUrl: p.profile.exitUrl,
    })
    .where(eq(helplines.id, p.helplineId));
  await appendAudit(tx, {
    helplineId: p.helplineId,
    at: p.now,
    actorKind: "staff",
    actorId: p.actorId,
    action: "profile-published",
    details: { version: p.profile.profileVersion, type: p.profile.type },
  });
}

/**
 * The profile version 1 a first supervisor sends with the acceptance of the operator's invite (the
 * helpline opens with it), verified against the roster v1 sent alongside; `undefined` without one.
 */
export async function firstSupervisorProfile(
  deps: Deps,
  invite: { readonly firstSupervisor: boolean; readonly helplineId: string },
  text: string | undefined,
  roster: Roster | undefined,
): Promise<{ helplineId: string; profile: HelplineProfile; bytes: Uint8Array } | undefined> {
  if (text === undefined) return undefined;
  if (!invite.firstSupervisor || roster === undefined) {
    throw new AppError("VALIDATION_FAILED", "profile: only for the first supervisor");
  }
  const crypto = await deps.crypto();
  const helpline = await getHelpline(deps.db.read, invite.helplineId);
  if (helpline === undefined) throw new AppError("NOT_FOUND", "no such helpline");
  const bytes = crypto.bytes(text);
  const profile = checkProfileBytes(crypto.sodium, bytes, {
    helplineId: invite.helplineId,
    roster,
    tag: helpline.tag,
  });
  if (profile.profileVersion !== 1) {
    throw new AppError("PROFILE_CONFLICT", "the first supervisor signs profile version 1");
  }
  return { helplineId: invite.helplineId, profile, bytes };
}

/** POST /api/helplines/:helplineId/profile: a supervisor publishes the next signed profile version. */
export function helplineProfileRoutes(deps: Deps, rosterCache: RosterCache) {
  return new Hono<AppEnv>().post(
    "/:helplineId/profile",
    bodyLimit(32 * 1024), // the largest profile (20 KiB) as base64url in JSON
    sessionAuth(deps),
    requireRole("supervisor"),
    // Another helpline's profile is refused before anything in the request is looked at.
    async (c, next) => {
      if (c.req.param("helplineId") !== c.var.auth.helplineId) {
        throw new AppError("FORBIDDEN", "not your helpline");
      }
      await next();
    },
    validate("param", helplineParam),
    validate("json", publishProfileRequestSchema),
    async (c) => {
      const auth = c.var.auth;
      const { helplineId } = c.req.valid("param");
      const crypto = await deps.crypto();
      const bytes = crypto.bytes(c.req.valid("json").profile);
      const helpline = await getHelpline(deps.db.read, helplineId);
      const roster =
        helpline === undefined ? undefined : await rosterCache.get(helplineId, helpline.rosterVersion);
      if (helpline === undefined || roster === undefined) {
        throw new AppError("HELPLINE_NOT_READY", "the helpline has no roster yet");
      }
      // The server's tag is the one codes of this helpline carry: a profile must sign exactly it.
      const profile = checkProfileBytes(crypto.sodium, bytes, { helplineId, roster, tag: helpline.tag });
      const now = deps.clock.now();
      await deps.writer.run(async (tx) => {
        const newest = await tx
          .select({ version: helplineProfiles.version, bytes: helplineProfiles.bytes })
          .from(helplineProfiles)
          .where(eq(helplineProfiles.helplineId, helplineId))
          .orderBy(desc(helplineProfiles.version))
          .limit(1);
        const current = newest[0];
        // An exact retry of the newest profile is answered as the first time.
        if (current !== undefined && Buffer.from(current.bytes).equals(Buffer.from(bytes))) return;
        if (profile.profileVersion !== (current?.version ?? 0) + 1) {
          throw new AppError(
            "PROFILE_CONFLICT",
            `profile version ${profile.profileVersion} is not the next one after ${current?.version ?? 0}`,
          );
        }
        await insertProfile(tx, {
          helplineId,
          profile,
          bytes,
          now,
          actorId: auth.kind === "staff" ? auth.memberId : null,
        });
      });
      return c.json({ version: profile.profileVersion }, 200);
    },
  );
}
