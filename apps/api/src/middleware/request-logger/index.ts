import type { MiddlewareHandler } from "hono";
import type { Logger } from "../../logger.js";
import { routeOf } from "../../metrics/index.js";

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
    // The endpoint's pattern (metrics/routeOf): not "the last match", which the browser apps'
    // `GET *` catch-all is for every path once they are mounted.
    const route = routeOf(c);
    logger.info({
      event: "request",
      method: c.req.method,
      route,
      status: c.res.status,
      ms: Math.round((performance.now() - start) * 10) / 10,
    });
  };
}
