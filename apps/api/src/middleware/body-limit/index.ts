import type { Socket } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import { bodyLimit as honoBodyLimit } from "hono/body-limit";
import { AppError } from "../../errors.js";

/** A refused request's unread body up to this size is simply discarded on a kept-alive connection. */
export const UNREAD_KEEP_ALIVE_BYTES = 64 * 1024;
/** How long a connection refused with 413 keeps reading (and discarding) what the client still sends. */
export const LINGER_MS = 10_000;
/** At most this many bytes are read and discarded after a 413 before the connection is closed. */
export const LINGER_MAX_BYTES = 64 * 1024 * 1024;

/**
 * Per-route body limit: `413 PAYLOAD_TOO_LARGE` when the body (declared or streamed) exceeds
 * `maxBytes`. Also requires `Content-Type: application/json` on any request that carries a body
 * (`415 UNSUPPORTED_MEDIA_TYPE`), which together with the SameSite=Strict cookie and the Origin check
 * (middleware/origin) rules out cross-site form posts.
 *
 * A 413 is always a complete answer with `Connection: close`: the connection then closes gracefully
 * (see `lingerAfterResponse`), so a client still sending its body reads the 413 rather than a reset.
 *
 * @example
 * app.post("/threads", bodyLimit(LIMITS.body.thread), validate("json", schema), handler);
 */
export function bodyLimit(
  maxBytes: number,
  options: {
    /**
     * Where the body is raw bytes (`application/octet-stream`, attachment chunks) instead of JSON: on
     * every request (`true`) or on paths matching the pattern. Such a type is not a CORS-safelisted
     * one either, so a cross-site form still cannot send it.
     */
    readonly binary?: boolean | RegExp;
  } = {},
): MiddlewareHandler {
  const binaryAt = (path: string) =>
    options.binary === true || (options.binary instanceof RegExp && options.binary.test(path));
  const tooLarge = (c: Context): never => {
    lingerAfterResponse(c);
    throw new AppError("PAYLOAD_TOO_LARGE", `the body exceeds ${maxBytes} bytes`, { Connection: "close" });
  };
  const limit = honoBodyLimit({ maxSize: maxBytes, onError: tooLarge });
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
      if (bytes.byteLength > maxBytes) tooLarge(c);
      if (bytes.byteLength > 0) requireType(c.req.header("Content-Type"), binaryAt(c.req.path));
      return next();
    }
    // The size first: a body that is too large is 413 whatever its type.
    if (length !== undefined && !chunked && !(Number(length) <= maxBytes)) tooLarge(c);
    if (hasBody) requireType(c.req.header("Content-Type"), binaryAt(c.req.path));
    return limit(c, next);
  };
}

function requireType(contentType: string | undefined, binary: boolean): void {
  const type = (contentType ?? "").split(";")[0]!.trim().toLowerCase();
  if (binary) {
    if (type !== "application/octet-stream") {
      throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/octet-stream");
    }
    return;
  }
  if (type !== "application/json") {
    throw new AppError("UNSUPPORTED_MEDIA_TYPE", "send the body as application/json");
  }
}

/**
 * Any refusal (4xx/5xx) of a request whose large body (over `UNREAD_KEEP_ALIVE_BYTES`, or chunked) was
 * not read, such as a `401`, `404` or `428` answered before the body: `Connection: close` and the same
 * graceful close as a 413, so a client that is still sending, or that would reuse the connection, reads
 * the answer instead of a reset. Small refused requests (a 429 on sign-in) keep their connection.
 *
 * @example
 * app.use("/api/*", closeAfterUnreadBody());
 */
export function closeAfterUnreadBody(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    if (c.res.status < 400 || c.req.raw.bodyUsed) return;
    // A small body is read and discarded by Node within the connection's keep-alive, at once; only a
    // large (or unknown) remainder needs the graceful close.
    const length = c.req.header("Content-Length");
    const large =
      (length !== undefined && !(Number(length) <= UNREAD_KEEP_ALIVE_BYTES)) ||
      c.req.header("Transfer-Encoding") !== undefined;
    if (!large) return;
    c.res.headers.set("Connection", "close");
    lingerAfterResponse(c);
  };
}

const LINGERING = Symbol("briefgeheim.lingering");
type LingerSocket = Socket & { [LINGERING]?: true };

/**
 * A graceful close for a connection whose request is answered before its body was read (413): Node
 * closes a `Connection: close` connection as soon as the answer is written, and closing a TCP
 * connection that still has unread bytes, or that then receives more, makes the kernel send a reset,
 * which can destroy the answer before the client reads it. Instead, after the answer the connection
 * is half-closed (FIN) and whatever the client still sends is read and discarded until it stops, for
 * at most `LINGER_MS` and `LINGER_MAX_BYTES` ("lingering close", as Apache and nginx do). Only on Node
 * (`c.env.incoming`); in-process requests have no connection.
 */
export function lingerAfterResponse(c: Context): void {
  const env = c.env as { incoming?: { socket?: Socket } } | undefined;
  const socket = env?.incoming?.socket as LingerSocket | undefined;
  if (socket === undefined || socket[LINGERING]) return;
  socket[LINGERING] = true;
  let started = false;
  // Node's HTTP server (and @hono/node-server's own clean-up) call destroySoon once the answer is
  // written; this socket lingers instead.
  socket.destroySoon = function lingeringClose(this: Socket) {
    if (started) return;
    started = true;
    const readAtStart = this.bytesRead;
    const close = () => {
      clearTimeout(timer);
      clearInterval(watch);
      this.destroy();
    };
    const timer = setTimeout(close, LINGER_MS);
    const watch = setInterval(() => {
      if (this.bytesRead - readAtStart > LINGER_MAX_BYTES) close();
    }, 100);
    timer.unref();
    watch.unref();
    this.once("end", close);
    this.once("close", close);
    if (this.writable) this.end();
    // The HTTP parser may own the socket's reads; resuming covers the case where it does not.
    this.resume();
  };
}
