import type { AppType } from "@briefgeheim/api";
import { hc } from "hono/client";
import type { Transport } from "./transport.js";

/**
 * Creates the typed RPC client of the API (Hono's `hc` over the app's own route types), bound to the
 * transport's fetch. Request and response shapes come from the server's routes and the zod schemas
 * of `@briefgeheim/protocol`; nothing is hand-written.
 *
 * @example
 * const api = createApi(transport);
 * const res = await api.helplines.$get({ query: {} });
 */
export function createApi(transport: Transport) {
  return hc<AppType>(transport.baseUrl, { fetch: transport.fetch }).api;
}

/** The typed API: `api.threads[":threadId"].$get({ param: { threadId } })` and so on. */
export type Api = ReturnType<typeof createApi>;
