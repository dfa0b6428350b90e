import type { MiddlewareHandler } from "hono";
import { routePath } from "hono/route";
import type { Logger } from "../../logger.js";

/**
 * Logs one line per request: method, the matched route pattern (`/api/threads/:threadId`, never the
 * concrete path or query string), status and duration. Nothing else: no IP address, user agent,
 * header, cookie or body.
 *
 * @example
 * app.use("*", requestLogger(logger));
 */
export function requestLogger(logger: Logger): MiddlewareHandler {
  return async (c, next) => {
    const start = performance.now();
    await next();
    let route = routePath(c, -1);
    if (route === "" || route.endsWith("*")) route = "(unmatched)";
    logger.info({
      event: "request",
      method: c.req.method,
      route,
      status: c.res.status,
      ms: Math.round((performance.now() - start) * 10) / 10,
    });
  };
}
