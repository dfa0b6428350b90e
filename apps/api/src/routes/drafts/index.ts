import { draftContextSchema, LIMITS, putDraftRequestSchema } from "@briefgeheim/protocol";
import { and, count, eq } from "drizzle-orm";
import { Hono } from "hono";
import { z } from "zod";
import { drafts } from "../../db/schema.js";
import { type AppEnv, type Auth, type Deps, toB64 } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { ensureSeekerRow } from "../../services/seeker-row.js";
import { validate } from "../../validate.js";

const contextParam = z.object({ context: draftContextSchema });

/** Most drafts one account keeps. */
export const MAX_DRAFTS_PER_OWNER = 100;

/** The draft owner; undefined for a help-seeker who has no row yet (so no drafts). */
function ownerOf(auth: Auth): string | undefined {
  if (auth.kind === "staff") return `member:${auth.memberId}`;
  return auth.seekerId === null ? undefined : `seeker:${auth.seekerId}`;
}

/** /api/drafts/:context: the caller's own encrypted draft per context (never anyone else's). */
export function draftRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .use(sessionAuth(deps), requireRole("seeker", "counsellor", "supervisor"))
    .get("/:context", validate("param", contextParam), async (c) => {
      const { context } = c.req.valid("param");
      const rows = await deps.db.read
        .select()
        .from(drafts)
        .where(and(eq(drafts.owner, ownerOf(c.var.auth) ?? ""), eq(drafts.context, context)));
      const row = rows[0];
      if (row === undefined) throw new AppError("NOT_FOUND", "no draft for this context");
      return c.json({ context, draft: toB64(new Uint8Array(row.bytes)), updatedAt: row.updatedAt }, 200);
    })
    .put(
      "/:context",
      bodyLimit(LIMITS.body.draft),
      validate("param", contextParam),
      validate("json", putDraftRequestSchema),
      async (c) => {
        const { context } = c.req.valid("param");
        const crypto = await deps.crypto();
        const bytes = crypto.bytes(c.req.valid("json").draft);
        if (crypto.draftContext(bytes) !== context) {
          throw new AppError("WRONG_CONTEXT", "the draft is bound to another context");
        }
        const auth = c.var.auth;
        const updatedAt = deps.clock.now();
        await deps.writer.run(async (tx) => {
          // A saved draft is something kept: a help-seeker without a row gets it now.
          const owner =
            ownerOf(auth) ??
            (auth.kind === "seeker" ? `seeker:${await ensureSeekerRow(tx, auth, updatedAt)}` : "");
          const existing = await tx
            .select({ n: count() })
            .from(drafts)
            .where(and(eq(drafts.owner, owner), eq(drafts.context, context)));
          if ((existing[0]?.n ?? 0) === 0) {
            const total = await tx.select({ n: count() }).from(drafts).where(eq(drafts.owner, owner));
            if ((total[0]?.n ?? 0) >= MAX_DRAFTS_PER_OWNER) {
              throw new AppError("CONFLICT", `at most ${MAX_DRAFTS_PER_OWNER} drafts per account`);
            }
          }
          await tx
            .insert(drafts)
            .values({ owner, context, bytes: Buffer.from(bytes), updatedAt })
            .onConflictDoUpdate({
              target: [drafts.owner, drafts.context],
              set: { bytes: Buffer.from(bytes), updatedAt },
            });
        });
        return c.json({ context, updatedAt }, 200);
      },
    )
    .delete("/:context", validate("param", contextParam), async (c) => {
      const { context } = c.req.valid("param");
      const owner = ownerOf(c.var.auth) ?? "";
      const gone = await deps.writer.run((tx) =>
        tx
          .delete(drafts)
          .where(and(eq(drafts.owner, owner), eq(drafts.context, context)))
          .returning({ c: drafts.context }),
      );
      return c.json({ deleted: gone.length > 0 }, 200);
    });
}
