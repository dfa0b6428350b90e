import { API_VERSION } from "@briefgeheim/protocol";
import { Hono } from "hono";
import type { AppEnv } from "../../deps.js";

/** GET /api/health */
export function healthRoutes() {
  return new Hono<AppEnv>().get("/", (c) => c.json({ ok: true as const, version: API_VERSION }, 200));
}
