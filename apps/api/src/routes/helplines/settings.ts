/**
 * POST /api/helplines/:helplineId/settings: a supervisor changes what the server applies itself
 * (retention, idle lock minutes); audited (services/helpline-settings.ts). What help-seekers are
 * shown is changed only by a signed profile (profile.ts).
 */
import { helplineSettingsRequestSchema, idSchema, LIMITS } from "@briefgeheim/protocol";
import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Deps } from "../../deps.js";
import { AppError } from "../../errors.js";
import { bodyLimit } from "../../middleware/body-limit/index.js";
import { requireRole, sessionAuth } from "../../middleware/session/index.js";
import { applyServerSettings } from "../../services/helpline-settings.js";
import { validate } from "../../validate.js";

const helplineParam = z.object({ helplineId: idSchema });

export function helplineSettingsRoutes(deps: Deps) {
  return new Hono<AppEnv>().post(
    "/:helplineId/settings",
    bodyLimit(LIMITS.body.small),
    sessionAuth(deps),
    requireRole("supervisor"),
    // Another helpline's settings are refused before anything in the request is looked at.
    async (c, next) => {
      if (c.req.param("helplineId") !== c.var.auth.helplineId) {
        throw new AppError("FORBIDDEN", "not your helpline");
      }
      await next();
    },
    validate("param", helplineParam),
    validate("json", helplineSettingsRequestSchema),
    async (c) => {
      const auth = c.var.auth;
      if (auth.kind !== "staff") throw new AppError("FORBIDDEN", "staff only");
      const { helplineId } = c.req.valid("param");
      const change = c.req.valid("json");
      const now = deps.clock.now();
      const applied = await deps.writer.run((tx) =>
        applyServerSettings(tx, helplineId, change, { kind: "staff", memberId: auth.memberId }, now),
      );
      if (applied === undefined) throw new AppError("NOT_FOUND", "no such helpline");
      return c.json(applied, 200);
    },
  );
}
