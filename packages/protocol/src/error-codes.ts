// No zod here: browsers import error handling from this module alone, so the zod schemas can be
// tree-shaken out of the help-seeker's bundle (packages/protocol is marked side-effect free).

/**
 * Every error the API returns, with its HTTP status. The body is always
 * `{ "error": { "code": ErrorCode, "message": string } }`; clients switch on `code`, never on `message`.
 *
 * @example
 * if (res.status === ERROR_STATUS.SEQUENCE_CONFLICT) { ... }
 */
export const ERROR_STATUS = {
  /** The body is not JSON, or not the expected content type. */
  BAD_REQUEST: 400,
  /** The JSON does not match the route's schema (wrong types, missing fields, out-of-range values). */
  VALIDATION_FAILED: 400,
  /** A binary structure does not parse (length, version, type, trailing bytes). */
  MALFORMED_STRUCTURE: 400,
  /** No session, or a session that does not exist. */
  UNAUTHENTICATED: 401,
  /** The session expired (idle or absolute). */
  SESSION_EXPIRED: 401,
  /** The sign-in nonce is unknown or already used, or the sign-in signature does not verify. */
  CHALLENGE_INVALID: 401,
  /** The sign-in nonce is older than 60 s. */
  CHALLENGE_EXPIRED: 401,
  /** Unknown username or wrong passphrase/recovery proof (never says which). */
  INVALID_CREDENTIALS: 401,
  /** The caller's role may not do this. */
  FORBIDDEN: 403,
  /** The staff account is no longer on the helpline's roster. */
  ACCOUNT_REMOVED: 403,
  /** Nothing there, or nothing the caller may see (threads of others are 404, not 403). */
  NOT_FOUND: 404,
  /** The route exists, but not with this method (see the `Allow` header). */
  METHOD_NOT_ALLOWED: 405,
  /** A state-changing request sent by a page of another origin (`Origin` / `Sec-Fetch-Site`). */
  CROSS_ORIGIN: 403,
  /** An invite was already used. */
  INVITE_USED: 410,
  /** An invite expired. */
  INVITE_EXPIRED: 410,
  /** The same client id was used before with other content. */
  IDEMPOTENCY_CONFLICT: 409,
  /** A sender's sequence number is not above its previous one (another device of the author used it). */
  SEQUENCE_CONFLICT: 409,
  /** The epoch is not the thread's current epoch (envelopes) or its next one (epoch records). */
  EPOCH_CONFLICT: 409,
  /** A roster is not the next version, or a record relies on a roster that is not the current one. */
  ROSTER_CONFLICT: 409,
  /** The username is taken. */
  USERNAME_TAKEN: 409,
  /** The helpline has no root key and roster yet (its first supervisor has not accepted the invite). */
  HELPLINE_NOT_READY: 409,
  /** A helpline profile is not the next version (another supervisor published one meanwhile). */
  PROFILE_CONFLICT: 409,
  /**
   * An epoch record names other heads than the thread's newest envelope per (stream, sender): the
   * signer's view is stale (someone posted meanwhile); reload the thread and sign again.
   */
  STALE_VIEW: 409,
  /**
   * A saved-reply set is not the next revision of the stored one: someone (another device, another
   * supervisor) saved first. Load again, merge, save again.
   */
  REVISION_CONFLICT: 409,
  /** The request conflicts with the current state in another way (e.g. the thread id exists). */
  CONFLICT: 409,
  /** The request body is larger than the route allows. */
  PAYLOAD_TOO_LARGE: 413,
  /** A POST/PUT/PATCH without `Content-Type: application/json`. */
  UNSUPPORTED_MEDIA_TYPE: 415,
  /** A signature does not verify. */
  BAD_SIGNATURE: 422,
  /** A structure belongs to another helpline, thread, epoch or reader. */
  WRONG_CONTEXT: 422,
  /** An epoch record or grant is signed by someone the rules do not allow, or the sender is not the caller. */
  SIGNER_NOT_ALLOWED: 422,
  /** A key is not on the roster, or lacks the needed role. */
  NOT_ON_ROSTER: 422,
  /** A roster breaks a rule (wrong root, chain, content, unknown or removed account). */
  ROSTER_INVALID: 422,
  /** A roster is signed by neither the current root nor a supervisor of the roster before it. */
  ROSTER_SIGNER_NOT_ALLOWED: 422,
  /** The sender is not a reader of the epoch, or grants do not cover exactly the readers. */
  NOT_A_READER: 422,
  /** An epoch record does not follow the thread's chain. */
  EPOCH_CHAIN_BROKEN: 422,
  /** Too many requests; see the `Retry-After` header (seconds). */
  RATE_LIMITED: 429,
  /** A help-seeker sign-in or a new conversation without a proof of work (header `Briefgeheim-Pow`). */
  POW_REQUIRED: 428,
  /** The proof of work is malformed, forged, for another purpose, wrong, or already used. */
  POW_INVALID: 403,
  /** The proof-of-work challenge expired; fetch a new one. */
  POW_EXPIRED: 403,
  /** A daily quota (conversations or bytes, per session or per address) is used up; see `Retry-After`. */
  QUOTA_EXCEEDED: 429,
  /** The helpline's storage quota is full: nothing new is stored until the operator acts. */
  STORAGE_FULL: 507,
  /** An attachment larger than the helpline's per-file limit (checked before any byte is stored). */
  ATTACHMENT_TOO_LARGE: 413,
  /** More attachments than a message may carry (helpline setting, default 3). */
  ATTACHMENT_TOO_MANY: 422,
  /** The conversation's attachment bytes for the last 24 hours are used up; see `Retry-After`. */
  ATTACHMENT_QUOTA_EXCEEDED: 429,
  /** A help-seeker session's attachment bytes for its 24-hour window are used up; see `Retry-After`. */
  ATTACHMENT_SESSION_QUOTA_EXCEEDED: 429,
  /**
   * The attachment bytes of help-seekers from this client address (its group) for the 24-hour window
   * are used up, by any session; see `Retry-After`.
   */
  ATTACHMENT_ADDRESS_QUOTA_EXCEEDED: 429,
  /**
   * The helpline's unsent uploads by help-seekers together hold their share of its storage (default
   * 5 %); they expire within 24 hours; see `Retry-After`.
   */
  ATTACHMENT_UNSENT_FULL: 429,
  /** An attachment upload is not complete (chunks missing), or a message names one that is not. */
  ATTACHMENT_INCOMPLETE: 409,
  /** A bug or an unexpected failure on the server. Never caused by client input. */
  INTERNAL: 500,
  /** The database is temporarily unavailable; retry. */
  UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;
export type ErrorStatus = (typeof ERROR_STATUS)[ErrorCode];

export const ERROR_CODES = Object.keys(ERROR_STATUS) as ErrorCode[];

/** The body of every error response. */
export interface ErrorBody {
  readonly error: { readonly code: ErrorCode; readonly message: string };
}

/** Type guard for error bodies received by clients (hand-written to keep zod out of browser bundles). */
export function isErrorBody(value: unknown): value is ErrorBody {
  if (typeof value !== "object" || value === null) return false;
  const error = (value as { error?: unknown }).error;
  if (typeof error !== "object" || error === null) return false;
  const { code, message } = error as { code?: unknown; message?: unknown };
  return typeof code === "string" && Object.hasOwn(ERROR_STATUS, code) && typeof message === "string";
}
