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
    // Over HTTP a request has a body only with Content-Length or Transfer-Encoding (RFC 9112 §6.1),
    // but @hono/node-server hands every DELETE an empty body stream, and in-process requests
    // (app.request) carry no Content-Length at all. For methods that normally have no body and come
    // without either header, look at the bytes: an empty stream is no body.
    const length = c.req.header("Content-Length");
    const chunked = c.req.header("Transfer-Encoding") !== undefined;
    const bodyless = c.req.method === "GET" || c.req.method === "HEAD" || c.req.method === "DELETE";
    let hasBody: boolean;
    if (length !== undefined) hasBody = length !== "0";
    else if (chunked || c.req.raw.body === null) hasBody = chunked;
    else if (!bodyless) hasBody = true;
    else {
      // Read once here (Hono caches it for the handler) and check the size ourselves: the stream is
      // consumed, so Hono's streaming limit below must not run for this request.
      const bytes = await c.req.arrayBuffer();
      if (bytes.byteLength > maxBytes) {
        throw new AppError("PAYLOAD_TOO_LARGE", `the body exceeds ${maxBytes} bytes`);
      }
      if (bytes.byteLength > 0) requireJson(c.req.header("Content-Type"));
      return next();
    }
    if (hasBody) requireJson(c.req.header("Content-Type"));
    return limit(c, next);
  };
}

function requireJson(contentType: string | undefined): void {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (type !== "application/json") {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  }
}
