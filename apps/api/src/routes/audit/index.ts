import { auditQuerySchema, LIMITS } from "@briefgeheim/protocol";
import { and, asc, eq, gt } from "drizzle-orm";
import { Hono } from "hono";
import { auditLog } from "../../db/schema.js";
import type { AppEnv, Deps } from "../../deps.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { auditEntryFromRow } from "../../services/audit.js";
import { validate } from "../../validate.js";

/** GET /api/audit: the caller's helpline's hash-chained audit log (supervisors). */
export function auditRoutes(deps: Deps) {
  return new Hono<AppEnv>()
    .use(sessionAuth(deps), requireRole("supervisor"))
    .get("/", validate("query", auditQuerySchema), async (c) => {
      const { after = 0, limit = LIMITS.pageDefault } = c.req.valid("query");
      const rows = await deps.db.read
        .select()
        .from(auditLog)
        .where(and(eq(auditLog.helplineId, c.var.auth.helplineId), gt(auditLog.seq, after)))
        .orderBy(asc(auditLog.seq))
        .limit(limit + 1);
      const page = rows.slice(0, limit);
      return c.json(
        { entries: page.map(auditEntryFromRow), nextAfter: rows.length > limit ? page.at(-1)!.seq : null },
        200,
      );
    });
}
