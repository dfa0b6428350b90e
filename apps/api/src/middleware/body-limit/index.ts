import type { MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { AppError } from "../../errors.js";

/**
 * Per-route body limit: `413 PAYLOAD_TOO_LARGE` when the body (declared or streamed) exceeds
 * `maxBytes`. Also requires `Content-Type: application/json` on any request that carries a body
 * (`415 UNSUPPORTED_MEDIA_TYPE`), which together with the SameSite=Strict cookie rules out
 * cross-site form posts.
 *
 * @example
 * app.post("/threads", bodyLimit(LIMITS.body.thread), validate("json", schema), handler);
 */
export function bodyLimit(maxBytes: number): MiddlewareHandler {
  const limit = honoBodyLimit({
    maxSize: maxBytes,
    onError: () => {
      throw new AppError("PAYLOAD_TOO_LARGE", `the body exceeds ${maxBytes} bytes`);
    },
  });
  return async (c, next) => {
    // Over HTTP a request has a body only with Content-Length or Transfer-Encoding (RFC 9112 §6.1);
    // @hono/node-server still hands every DELETE an empty body stream, which is not a body. In-process
    // requests (app.request) carry no Content-Length, so a non-null body counts there, except on
    // methods that take none.
    const length = c.req.header("Content-Length");
    const chunked = c.req.header("Transfer-Encoding") !== undefined;
    const bodyless = c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "DELETE";
    const hasBody = length !== undefined ? length !== "0" : chunked || (c.req.raw.body !== null && !bodyless);
    if (hasBody) {
      const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") {
        throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
      }
    }
    return limit(c, next);
  };
}
