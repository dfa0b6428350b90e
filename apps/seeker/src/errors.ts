/** What to tell the help-seeker when something fails: one calm sentence per kind of failure. */
import { t } from "./i18n/index.js";
import { formatCount, MAX_MESSAGE_CHARS } from "./limits.js";
import { errorCode } from "./sdk/load.js";

export function errorMessage(e: unknown): string {
  switch (errorCode(e)) {
    case "NETWORK":
      return t().errorNetwork;
    case "RATE_LIMITED":
    case "UNAVAILABLE": {
      const wait = retryAfter(e);
      return wait === undefined ? t().errorRateLimited : t().rateLimitedWait(waitText(wait));
    }
    case "QUOTA_EXCEEDED":
      return t().quotaExceeded(waitText(retryAfter(e) ?? 3600));
    case "POW_REQUIRED":
    case "POW_INVALID":
    case "POW_EXPIRED":
      return t().powFailed;
    case "PAYLOAD_TOO_LARGE":
      return t().tooLong(formatCount(MAX_MESSAGE_CHARS));
    case "STORAGE_FULL":
      return t().storageFull;
    // Slice B (issue 12): attachments.
    case "ATTACHMENT_TOO_LARGE":
      return t().errorAttachTooLarge;
    case "ATTACHMENT_TOO_MANY":
      return t().errorAttachTooMany;
    // Each of the four attachment quotas has its own code, so the sentence says which ran out.
    case "ATTACHMENT_QUOTA_EXCEEDED":
      return t().errorAttachQuota(waitText(retryAfter(e) ?? 3600));
    case "ATTACHMENT_SESSION_QUOTA_EXCEEDED":
      return t().errorAttachSessionQuota(waitText(retryAfter(e) ?? 3600));
    case "ATTACHMENT_ADDRESS_QUOTA_EXCEEDED":
      return t().errorAttachAddressQuota(waitText(retryAfter(e) ?? 3600));
    case "ATTACHMENT_UNSENT_FULL":
      return t().errorAttachUnsentFull(waitText(retryAfter(e) ?? 3600));
    case "UPLOAD_INTERRUPTED":
      return t().errorAttachInterrupted;
    case "ATTACHMENT_INCOMPLETE":
    case "ATTACHMENT_FILE_CHANGED":
      return t().errorAttachGone;
    case "NO_SUCH_HELPLINE":
      return t().errorNoHelpline;
    case "ROOT_NOT_PINNED":
      return t().errorNotPinned;
    case "ROSTER_WRONG_ROOT":
      return t().errorWrongRoot;
    case "HELPLINE_NOT_READY":
      return t().rootNotReady;
    case "ROSTER_ROLLBACK":
    case "ROSTER_CHAIN_BROKEN":
    case "ROSTER_INVALID":
    case "BAD_SIGNATURE":
      return t().errorRoster;
    case "HELPLINE_NOT_OPEN":
      return t().helplineNotOpenText;
    case "PROFILE_TAG_MISMATCH":
      return t().errorTagMismatch;
    case "PROFILE_SIGNER_NOT_ALLOWED":
    case "PROFILE_ROLLBACK":
    case "WRONG_CONTEXT":
    case "MALFORMED":
      return t().errorProfile;
    case "SODIUM_UNAVAILABLE":
    case "SELF_CHECK_FAILED":
      return t().errorCrypto;
    case "NOT_FOUND":
      return t().errorNotFound;
    default:
      return t().errorUnknown;
  }
}

/** The server session or the keys are gone (idle timeout, sign-out elsewhere, wiped). */
export function isSessionGone(e: unknown): boolean {
  const code = errorCode(e);
  return code === "UNAUTHENTICATED" || code === "SESSION_EXPIRED" || code === "WIPED";
}

/** Seconds from the server's `Retry-After` (the SDK's `retryAfterSeconds`), if it sent one. */
function retryAfter(e: unknown): number | undefined {
  if (typeof e !== "object" || e === null || !("retryAfterSeconds" in e)) return undefined;
  const s = e.retryAfterSeconds;
  return typeof s === "number" && s >= 0 ? s : undefined;
}

/** "in 3 minutes", "in about 5 hours": a wait in words, rounded up. */
export function waitText(seconds: number): string {
  if (seconds < 90) return t().waitSeconds(Math.max(1, Math.ceil(seconds)));
  if (seconds < 90 * 60) return t().waitMinutes(Math.ceil(seconds / 60));
  return t().waitHours(Math.ceil(seconds / 3600));
}
