import { Hono } from "hono";
import { z } from "zod";
import type { AppEnv, Deps } from "../../deps.js";
import { POW_PURPOSES } from "../../middleware/pow/index.js";
import { validate } from "../../validate.js";

const query = z.object({ purpose: z.enum(POW_PURPOSES as ["seeker-sign-in", "open-thread"]) });

/**
 * GET /api/pow/challenge?purpose=seeker-sign-in|open-thread: a signed proof-of-work challenge (no
 * database work, nothing stored). Its difficulty rises with the solutions accepted in the last minute.
 */
export function powRoutes(deps: Deps) {
  return new Hono<AppEnv>().get("/challenge", validate("query", query), async (c) => {
    await deps.limits.global.take("*");
    const challenge = await deps.pow.issue(c.req.valid("query").purpose);
    return c.json(challenge, 200);
  });
}
