import { type CryptoErrorCode, isCryptoError } from "@briefgeheim/crypto";
import type { ErrorCode } from "@briefgeheim/protocol";

/**
 * Codes only the SDK raises (the server's `ErrorCode`s and the crypto package's `CryptoErrorCode`s
 * come through unchanged):
 *
 * | code | meaning |
 * |---|---|
 * | NETWORK | the request did not reach the server or no answer came back (offline, DNS, reset) |
 * | UNEXPECTED_RESPONSE | the server answered with something that is not the documented shape |
 * | ROOT_NOT_PINNED | a helpline without a pinned root key (and `trustOnFirstUse` is off) |
 * | ROSTER_KEY_MISMATCH | the keys unlocked by the passphrase are not this member's keys on the roster |
 * | THREAD_TAMPERED | a thread's epoch chain or grants do not verify: nothing of it is shown |
 * | WIPED | the session was signed out or wiped; its keys are gone |
 * | NO_SUCH_HELPLINE | no helpline with this id, slug or code tag |
 * | NOT_A_SUPERVISOR | a supervisor-only operation on a counsellor's session |
 * | HELPLINE_NOT_OPEN | the helpline has no signed profile yet ("not open yet": its first supervisor has not signed it) |
 * | THREAD_TOO_LARGE | the server lists more envelopes for a thread than `LIMITS.threadMaxEnvelopes`: not verified, not shown |
 * | NO_ROOT_KEY | (protocol 1 only, no longer raised: no supervisor holds the root key any more) |
 * | ATTACHMENT_FILE_CHANGED | the file picked again to resume an upload is not the one prepared (size or hash) |
 * | ABORTED | an attachment upload or download was stopped by its `AbortSignal` |
 * | SAVED_REPLIES_ROLLBACK | the server served an older own saved-reply set (or none) than this session saw |
 * | TEAM_REPLIES_ROLLBACK | the server served an older team saved-reply set (or none) than this session saw |
 * | WORKER_LOST | a worker of the staff app's pool ended (a script error) holding the only copy of a job's data (a survey count's page): start the count again |
 */
export type ClientOnlyCode =
  | "NETWORK"
  | "UNEXPECTED_RESPONSE"
  | "ROOT_NOT_PINNED"
  | "ROSTER_KEY_MISMATCH"
  | "THREAD_TAMPERED"
  | "WIPED"
  | "NO_SUCH_HELPLINE"
  | "NOT_A_SUPERVISOR"
  | "HELPLINE_NOT_OPEN"
  | "NO_ROOT_KEY"
  | "THREAD_TOO_LARGE"
  | "ATTACHMENT_FILE_CHANGED"
  | "ABORTED"
  | "SAVED_REPLIES_ROLLBACK"
  | "TEAM_REPLIES_ROLLBACK"
  | "WORKER_LOST";

/** Every code a `ClientError` can carry. Switch on it; never on `message`. */
export type ClientErrorCode = ErrorCode | CryptoErrorCode | ClientOnlyCode;

/** Where an error came from: the server's answer, a local cryptographic check, or the SDK itself. */
export type ClientErrorSource = "server" | "crypto" | "client";

export interface ClientErrorOptions {
  readonly source?: ClientErrorSource;
  /** HTTP status of a server error. */
  readonly status?: number;
  /** Seconds from `Retry-After` (429, 503). */
  readonly retryAfterSeconds?: number;
  readonly details?: unknown;
  readonly cause?: unknown;
}

/**
 * The one error type of the SDK. Server errors keep their `ErrorCode` and status, crypto failures
 * their `CryptoErrorCode` (the original `CryptoError` is the `cause`).
 *
 * @example
 * try {
 *   await startSeeker(client, { code: typed });
 * } catch (e) {
 *   if (isClientError(e, "INVALID_CODE_CHECKSUM")) showTypoHint();
 *   else if (isClientError(e, "NETWORK")) showOffline();
 *   else throw e;
 * }
 */
export class ClientError extends Error {
  override readonly name = "ClientError";
  readonly source: ClientErrorSource;
  readonly status: number | undefined;
  readonly retryAfterSeconds: number | undefined;
  readonly details: unknown;
  constructor(
    readonly code: ClientErrorCode,
    message: string,
    options: ClientErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.source = options.source ?? "client";
    this.status = options.status;
    this.retryAfterSeconds = options.retryAfterSeconds;
    this.details = options.details;
  }
}

/**
 * Narrowing helper.
 *
 * @example
 * if (isClientError(e, "ACCOUNT_REMOVED")) showRemovedNotice();
 */
export function isClientError(e: unknown, code?: ClientErrorCode): e is ClientError {
  return e instanceof ClientError && (code === undefined || e.code === code);
}

/**
 * Turns anything thrown inside the SDK into a `ClientError`: a `CryptoError` keeps its code, a
 * `ClientError` passes through, anything else is rethrown (a bug, not a typed failure).
 *
 * @example
 * try { work(); } catch (e) { throw toClientError(e); }
 */
export function toClientError(e: unknown): unknown {
  if (e instanceof ClientError) return e;
  if (isCryptoError(e)) {
    return new ClientError(e.code, e.message, { source: "crypto", cause: e, details: e.details });
  }
  return e;
}

/**
 * Runs `fn` and rethrows its failure as a `ClientError` (see `toClientError`). Every public entry
 * point of the SDK goes through it.
 *
 * @example
 * return guard(() => this.#load(threadId));
 */
export async function guard<T>(fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw toClientError(e);
  }
}
