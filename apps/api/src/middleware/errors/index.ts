import { ERROR_STATUS, type ErrorCode } from "@briefgeheim/protocol";
import type { Context, ErrorHandler, NotFoundHandler } from "hono";
import { HTTPException } from "hono/http-exception";
import type { ContentfulStatusCode } from "hono/utils/http-status";
import { AppError } from "../../errors.js";
import type { Logger } from "../../logger.js";

/** Codes of the crypto package's `CryptoError`, mapped to API codes (all are client input problems). */
const CRYPTO_CODES: Record<string, ErrorCode> = {
  MALFORMED: "MALFORMED_STRUCTURE",
  UNSUPPORTED_VERSION: "MALFORMED_STRUCTURE",
  WRONG_TYPE: "MALFORMED_STRUCTURE",
  TOO_LARGE: "MALFORMED_STRUCTURE",
  BAD_SIGNATURE: "BAD_SIGNATURE",
  WRONG_CONTEXT: "WRONG_CONTEXT",
  SIGNER_NOT_ALLOWED: "SIGNER_NOT_ALLOWED",
  NOT_ON_ROSTER: "NOT_ON_ROSTER",
  NOT_A_READER: "NOT_A_READER",
  EPOCH_CHAIN_BROKEN: "EPOCH_CHAIN_BROKEN",
  ROSTER_ROLLBACK: "ROSTER_CONFLICT",
  ROSTER_CHAIN_BROKEN: "ROSTER_CONFLICT",
  ROSTER_WRONG_ROOT: "ROSTER_INVALID",
  ROSTER_INVALID: "ROSTER_INVALID",
  ROSTER_SIGNER_NOT_ALLOWED: "ROSTER_SIGNER_NOT_ALLOWED",
  CHALLENGE_INVALID: "CHALLENGE_INVALID",
  WEAK_KDF_PARAMS: "VALIDATION_FAILED",
  // An epoch record naming another roster under the current version: built on a roster this server
  // does not hold (PROTOCOL.md §4).
  ROSTER_FORK: "ROSTER_CONFLICT",
};

export interface MappedError {
  status: number;
  code: ErrorCode;
  message: string;
  headers: Record<string, string>;
  /** True when the error is the server's fault (logged with details). */
  unexpected: boolean;
}

/**
 * Maps anything thrown while handling a request to an API error. Client mistakes become typed 4xx;
 * only genuine server faults become 500 (or 503 for a busy database).
 */
export function mapError(err: unknown): MappedError {
  if (err instanceof AppError) {
    return {
      status: err.status,
      code: err.code,
      message: err.message,
      headers: err.headers,
      unexpected: false,
    };
  }
  if (err instanceof HTTPException) {
    const status = err.status;
    const code: ErrorCode =
      status === 413
        ? "PAYLOAD_TOO_LARGE"
        : status === 401
          ? "UNAUTHENTICATED"
          : status === 403
            ? "FORBIDDEN"
            : status === 404
              ? "NOT_FOUND"
              : status === 415
                ? "UNSUPPORTED_MEDIA_TYPE"
                : status === 429
                  ? "RATE_LIMITED"
                  : status >= 400 && status < 500
                    ? "BAD_REQUEST"
                    : "INTERNAL";
    const message = code === "INTERNAL" ? "internal error" : err.message || code;
    return { status: ERROR_STATUS[code], code, message, headers: {}, unexpected: code === "INTERNAL" };
  }
  if (isCryptoLike(err)) {
    const code = CRYPTO_CODES[err.code];
    if (code)
      return { status: ERROR_STATUS[code], code, message: err.message, headers: {}, unexpected: false };
  }
  if (isDatabaseBusy(err)) {
    return {
      status: 503,
      code: "UNAVAILABLE",
      message: "the database is busy, retry",
      headers: { "Retry-After": "1" },
      unexpected: true,
    };
  }
  return { status: 500, code: "INTERNAL", message: "internal error", headers: {}, unexpected: true };
}

function isCryptoLike(err: unknown): err is { name: string; code: string; message: string } {
  return (
    err instanceof Error && err.name === "CryptoError" && typeof (err as { code?: unknown }).code === "string"
  );
}

function isDatabaseBusy(err: unknown): boolean {
  const code = (err as { code?: unknown } | null)?.code;
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED";
}

/** Error response for a mapped error. */
export function errorResponse(c: Context, mapped: MappedError): Response {
  for (const [k, v] of Object.entries(mapped.headers)) c.header(k, v);
  return c.json(
    { error: { code: mapped.code, message: mapped.message } },
    mapped.status as ContentfulStatusCode,
  );
}

/**
 * The app's single `onError`: every failure becomes `{ error: { code, message } }`. Unexpected errors
 * are logged by name and message only (never with the request).
 *
 * @example
 * app.onError(onError(logger));
 */
export function onError(logger: Logger): ErrorHandler {
  return (err, c) => {
    const mapped = mapError(err);
    if (mapped.unexpected) {
      logger.error({
        event: "request.error",
        code: mapped.code,
        error: err instanceof Error ? `${err.name}: ${err.message}` : "non-error thrown",
        stack: err instanceof Error ? err.stack?.split("\n").slice(1, 6).join(" | ") : undefined,
      });
    }
    return errorResponse(c, mapped);
  };
}

/** 404 for unknown routes, in the same shape. */
export const notFound: NotFoundHandler = (c) =>
  errorResponse(c, {
    status: 404,
    code: "NOT_FOUND",
    message: "no such route",
    headers: {},
    unexpected: false,
  });
