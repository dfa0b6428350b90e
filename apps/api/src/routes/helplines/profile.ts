/**
 * The signed helpline directory (docs/PROTOCOL.md §10): storing and serving each helpline's signed
 * profile. Clients verify a profile themselves against the roster chain of the pinned root; the
 * server checks the same rules before storing so that an honest server never serves one they refuse.
 */
import {
  type CryptoError,
  type HelplineId,
  isCryptoError,
  type parseHelplineProfile,
  verifyHelplineProfile,
} from "@briefgeheim/crypto";
import { type ErrorCode, idSchema, publishProfileRequestSchema } from "@briefgeheim/protocol";
import { and, desc, eq, inArray, max } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import type { Queryable } from "../../db/client.js";
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

/** POST /api/helplines/:helplineId/profile: a supervisor publishes the next signed profile version. */
export function helplineProfileRoutes(deps: Deps, rosterCache: RosterCache) {
  return new Hono<AppEnv>().post(
    "/:helplineId/profile",
    bodyLimit(20 * 1024),
    sessionAuth(deps),
    requireRole("supervisor"),
    validate("param", helplineParam),
    validate("json", publishProfileRequestSchema),
    async (c) => {
      const auth = c.var.auth;
      const { helplineId } = c.req.valid("param");
      if (helplineId !== auth.helplineId) throw new AppError("FORBIDDEN", "not your helpline");
      const crypto = await deps.crypto();
      const bytes = crypto.bytes(c.req.valid("json").profile);
      const helpline = await getHelpline(deps.db.read, helplineId);
      const roster =
        helpline === undefined ? undefined : await rosterCache.get(helplineId, helpline.rosterVersion);
      if (helpline === undefined || roster === undefined) {
        throw new AppError("HELPLINE_NOT_READY", "the helpline has no roster yet");
      }
      let profile: ReturnType<typeof parseHelplineProfile>;
      try {
        // The server's tag is the one codes of this helpline carry: a profile must sign exactly it.
        profile = verifyHelplineProfile(crypto.sodium, bytes, {
          helplineId: helplineId as HelplineId,
          roster,
          tag: helpline.tag,
        });
      } catch (e) {
        if (isCryptoError(e)) throw profileRefusal(e);
        throw e;
      }
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
        await tx.insert(helplineProfiles).values({
          helplineId,
          version: profile.profileVersion,
          bytes: Buffer.from(bytes),
          signerPk: toB64(profile.signerPk),
          createdAt: now,
        });
        // The unsigned copy follows the signed one (thread summaries and the operator CLI read it).
        await tx
          .update(helplines)
          .set({
            name: profile.name,
            description: profile.descriptionNl,
            replyTimeHours: profile.replyWithinHours,
          })
          .where(eq(helplines.id, helplineId));
        await appendAudit(tx, {
          helplineId,
          at: now,
          actorKind: "staff",
          actorId: auth.kind === "staff" ? auth.memberId : null,
          action: "profile-published",
          details: { version: profile.profileVersion },
        });
      });
      return c.json({ version: profile.profileVersion }, 200);
    },
  );
}
