/**
 * Every failure of this package carries one of these codes. Callers switch on `code`; a failed
 * decryption or verification is always thrown as a CryptoError, never returned as null.
 *
 * | code | meaning |
 * |---|---|
 * | SODIUM_UNAVAILABLE | libsodium could not be loaded (often: CSP blocks wasm) |
 * | SELF_CHECK_FAILED | Argon2id missing or returning zeros |
 * | INVALID_CODE_FORMAT | a help-seeker code has wrong length or characters |
 * | INVALID_CODE_CHECKSUM | a help-seeker code fails its checksum (a typo) |
 * | INVALID_RECOVERY_KEY | a recovery key has wrong format or checksum |
 * | WEAK_KDF_PARAMS | Argon2 parameters below the client's floor (downgrade attempt) |
 * | UNWRAP_FAILED | a wrapped key bundle did not decrypt (wrong passphrase or tampered) |
 * | MALFORMED | bytes do not parse as the expected structure (length, version, type, trailing bytes) |
 * | UNSUPPORTED_VERSION | a structure carries a version this build does not know |
 * | WRONG_TYPE | a structure of another type was given (e.g. a grant where an envelope was expected) |
 * | BAD_SIGNATURE | a signature does not verify |
 * | DECRYPT_FAILED | authenticated decryption failed (wrong key, tampered bytes or associated data) |
 * | ROSTER_ROLLBACK | a roster's version is not newer than the one already trusted |
 * | ROSTER_CHAIN_BROKEN | a roster's previous-hash does not match the trusted roster |
 * | ROSTER_WRONG_ROOT | a roster is signed by a key other than the pinned root |
 * | ROSTER_INVALID | a roster's content breaks a rule (duplicate member, no supervisor, ...) |
 * | NOT_ON_ROSTER | a key is not on the current roster (or lacks the needed role) |
 * | SIGNER_NOT_ALLOWED | a grant or epoch record is signed by someone the rules do not allow |
 * | EPOCH_CHAIN_BROKEN | an epoch record does not follow its predecessor |
 * | KEY_COMMITMENT_MISMATCH | an opened epoch key does not match the record's commitment |
 * | NOT_A_READER | the caller is not a reader of this epoch |
 * | WRONG_CONTEXT | a structure belongs to another helpline, thread, epoch or reader |
 * | THREAD_INVALID | a thread failed verification; `details` lists the typed reasons |
 * | ATTACHMENT_TRUNCATED | an attachment stream ended without its final tag |
 * | ATTACHMENT_INVALID | an attachment chunk opens under no position of its stream (altered, or another attachment's), or the stream is malformed |
 * | ATTACHMENT_REORDERED | an attachment chunk of this stream sits at another position (reordered, dropped or repeated) |
 * | ATTACHMENT_MISMATCH | an attachment decrypts but its size, padding or hash differ from the signed metadata |
 * | ATTACHMENT_NAME_INVALID | an attachment name carries control or bidirectional formatting characters |
 * | CHALLENGE_INVALID | a sign-in challenge response is malformed or does not verify |
 * | TOO_LARGE | an input exceeds a documented limit |
 * | INVITE_KEY_MISMATCH | a new member's keys are not the ones bound by their invite's secret (a swapped key) |
 * | PROFILE_SIGNER_NOT_ALLOWED | a helpline profile is signed by neither the current root nor a supervisor of the newest verified roster |
 * | PROFILE_TAG_MISMATCH | a helpline profile carries another code tag than expected (a code routed to another helpline) |
 * | PROFILE_ROLLBACK | a helpline profile is older than one this device already verified |
 * | ROSTER_SIGNER_NOT_ALLOWED | a roster is signed by neither the current root nor a supervisor of the roster before it |
 * | ROSTER_FORK | a roster chain holds, for a version this device verified before, another roster (another hash) |
 * | SAFETY_CODE_MISMATCH | the safety code compared at admission is not the one of the keys the server lists |
 * | TEAM_REPLIES_SIGNER | a team saved-reply set is signed by someone who is not a supervisor on the newest verified roster |
 * | TEAM_REPLIES_NOT_SHARED | a team saved-reply set holds no key for this member (admitted after its last save) |
 */
export type CryptoErrorCode =
  | "SODIUM_UNAVAILABLE"
  | "SELF_CHECK_FAILED"
  | "INVALID_CODE_FORMAT"
  | "INVALID_CODE_CHECKSUM"
  | "INVALID_RECOVERY_KEY"
  | "WEAK_KDF_PARAMS"
  | "UNWRAP_FAILED"
  | "MALFORMED"
  | "UNSUPPORTED_VERSION"
  | "WRONG_TYPE"
  | "BAD_SIGNATURE"
  | "DECRYPT_FAILED"
  | "ROSTER_ROLLBACK"
  | "ROSTER_CHAIN_BROKEN"
  | "ROSTER_WRONG_ROOT"
  | "ROSTER_INVALID"
  | "NOT_ON_ROSTER"
  | "SIGNER_NOT_ALLOWED"
  | "EPOCH_CHAIN_BROKEN"
  | "KEY_COMMITMENT_MISMATCH"
  | "NOT_A_READER"
  | "WRONG_CONTEXT"
  | "THREAD_INVALID"
  | "ATTACHMENT_TRUNCATED"
  | "ATTACHMENT_INVALID"
  | "ATTACHMENT_REORDERED"
  | "ATTACHMENT_MISMATCH"
  | "ATTACHMENT_NAME_INVALID"
  | "CHALLENGE_INVALID"
  | "TOO_LARGE"
  | "INVITE_KEY_MISMATCH"
  | "PROFILE_SIGNER_NOT_ALLOWED"
  | "PROFILE_TAG_MISMATCH"
  | "PROFILE_ROLLBACK"
  | "ROSTER_SIGNER_NOT_ALLOWED"
  | "ROSTER_FORK"
  | "SAFETY_CODE_MISMATCH"
  | "TEAM_REPLIES_SIGNER"
  | "TEAM_REPLIES_NOT_SHARED";

export class CryptoError<D = unknown> extends Error {
  override readonly name = "CryptoError";
  constructor(
    readonly code: CryptoErrorCode,
    message: string,
    options?: { cause?: unknown; details?: D },
  ) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.details = options?.details;
  }
  readonly details: D | undefined;
}

/** Narrowing helper for callers: `if (isCryptoError(e, "BAD_SIGNATURE")) ...` */
export function isCryptoError(e: unknown, code?: CryptoErrorCode): e is CryptoError {
  return e instanceof CryptoError && (code === undefined || e.code === code);
}
