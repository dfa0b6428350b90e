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
    const length = c.req.header("Content-Length");
    const hasBody = length !== undefined ? length !== "0" : c.req.raw.body !== null;
    if (hasBody) {
      const type = (c.req.header("Content-Type") ?? "").split(";")[0]!.trim().toLowerCase();
      if (type !== "application/json") {
        throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
      }
    }
    return limit(c, next);
  };
}
