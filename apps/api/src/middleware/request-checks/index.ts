import type { MiddlewareHandler } from "hono";
import { AppError } from "../../errors.js";

const METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;

type RouterEntry = [[unknown, { method: string; path: string }], unknown];

/**
 * `404 NOT_FOUND` for a path no route of `app` has, `405 METHOD_NOT_ALLOWED` (with `Allow`) for a
 * path that exists under other methods only: answered before any other middleware (sessions, body
 * limits), so an unknown route is never 401 or 415. Only the routes under `prefix` registered with a
 * method count, not middleware (`app.use`) or the browser apps' catch-all.
 *
 * @example
 * app.use("/api/*", knownRoutesOnly(() => app));
 */
export function knownRoutesOnly(app: () => { router: unknown }, prefix = "/api/"): MiddlewareHandler {
  const allowed = (path: string): string[] => {
    const router = app().router as { match(m: string, p: string): [RouterEntry[], unknown?] };
    return METHODS.filter((m) =>
      router.match(m, path)[0].some(([[, route]]) => route.method !== "ALL" && route.path.startsWith(prefix)),
    );
  };
  return async (c, next) => {
    const methods = allowed(c.req.path);
    const method = c.req.method === "HEAD" ? "GET" : c.req.method;
    if (methods.includes(method as (typeof METHODS)[number])) return next();
    if (methods.length === 0) throw new AppError("NOT_FOUND", "no such route");
    const allow = methods.includes("GET") ? ["GET", "HEAD", ...methods.filter((m) => m !== "GET")] : methods;
    throw new AppError("METHOD_NOT_ALLOWED", "this route does not take this method", {
      Allow: allow.join(", "),
    });
  };
}

const SAFE = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Refuses state-changing requests (every method but GET, HEAD and OPTIONS, with or without a body)
 * that a browser marks as coming from another origin: `Sec-Fetch-Site` other than `same-origin` (or
 * `none`, a user's own navigation), or an `Origin` other than the configured one (`null` included).
 * `403 CROSS_ORIGIN`. Requests without either header (non-browser clients: the SDK under Node, curl)
 * pass; browsers send `Origin` on every such request, so a page of another origin, even of the same
 * site, cannot make a signed-in browser sign out, post or delete.
 *
 * @example
 * app.use("/api/*", sameOriginWrites("https://hulp.example"));
 */
export function sameOriginWrites(origin: string): MiddlewareHandler {
  return async (c, next) => {
    if (!SAFE.has(c.req.method)) {
      const site = c.req.header("Sec-Fetch-Site");
      const from = c.req.header("Origin");
      if (site !== undefined && site !== "same-origin" && site !== "none") {
        throw new AppError("CROSS_ORIGIN", "requests from other origins are refused");
      }
      if (from !== undefined && from !== origin) {
        throw new AppError("CROSS_ORIGIN", "requests from other origins are refused");
      }
    }
    await next();
  };
}
