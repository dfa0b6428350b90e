import { ClientError, type ClientErrorCode, type ClientErrorSource, toClientError } from "./errors.js";

/**
 * An error as it crosses to or from a worker. Structured cloning keeps only an `Error`'s name and
 * message, so a `ClientError` travels as its code, source, status and details and is made again on
 * the other side (`fromWire`): the caller sees the same typed refusal as on the calling thread. The
 * `cause` (the original `CryptoError`) stays behind; its code is in `details.code`.
 */
export interface WireError {
  readonly code?: ClientErrorCode;
  readonly message: string;
  readonly source?: ClientErrorSource;
  readonly status?: number;
  readonly details?: unknown;
}

/**
 * `e` as a `WireError` (a `CryptoError` becomes its `ClientError` first).
 *
 * @example
 * port.postMessage({ id, ok: false, error: wireError(e) });
 */
export function wireError(e: unknown): WireError {
  const error = toClientError(e);
  if (error instanceof ClientError) {
    return {
      code: error.code,
      message: error.message,
      source: error.source,
      ...(error.status === undefined ? {} : { status: error.status }),
      ...(error.details === undefined ? {} : { details: error.details }),
    };
  }
  return { message: error instanceof Error ? error.message : String(error) };
}

/**
 * The error a `WireError` stands for: a `ClientError` with the same code, source, status and
 * details, or a plain `Error` for anything else.
 *
 * @example
 * throw fromWire(reply.error);
 */
export function fromWire(error: WireError): Error {
  if (error.code === undefined) return new Error(error.message);
  return new ClientError(error.code, error.message, {
    ...(error.source === undefined ? {} : { source: error.source }),
    ...(error.status === undefined ? {} : { status: error.status }),
    ...(error.details === undefined ? {} : { details: error.details }),
  });
}
