/**
 * POST /api/threads/:threadId/exported (issue 10, staff item 5): a staff reader of the thread printed or
 * exported it for a safeguarding report. The export itself happens in the browser (decrypted there); the
 * server only records that it happened, in the audit log, with who and which thread: never content.
 */
import { idSchema } from "@briefgeheim/protocol";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { appendAudit } from "../../services/audit.js";
import { loadVisibleThread } from "../../services/threads.js";
import { validate } from "../../validate.js";

const threadParam = z.object({ threadId: idSchema });

export function exportedRoutes(deps: Deps) {
  // Middleware on the route itself: this router shares /threads with threadRoutes, whose own
  // session middleware must not run twice.
  return new Hono<AppEnv>().post(
    "/:threadId/exported",
    sessionAuth(deps),
    requireRole("counsellor", "supervisor"),
    validate("param", threadParam),
    async (c) => {
      const auth = c.var.auth;
      if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "staff only");
      const { thread, reader } = await loadVisibleThread(deps.db.read, auth, c.req.valid("param").threadId);
      // Whoever may read it (its readers; supervisors read every thread after epoch 0) may print it.
      if (!reader && auth.role !== "supervisor") throw new AppError("FORBIDDEN", "only the thread's readers");
      const at = deps.clock.now();
      await deps.writer.run((tx) =>
        appendAudit(tx, {
          helplineId: thread.helplineId,
          at,
          actorKind: "staff",
          actorId: auth.memberId,
          action: "thread-exported",
          threadId: thread.id,
        }),
      );
      return c.json({ exported: true as const, at }, 200);
    },
  );
}
