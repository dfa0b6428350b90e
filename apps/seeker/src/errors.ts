/** What to tell the help-seeker when something fails: one calm sentence per kind of failure. */
import { t } from "./i18n/index.js";
import { errorCode } from "./sdk/load.js";

export function errorMessage(e: unknown): string {
  switch (errorCode(e)) {
    case "NETWORK":
      return t().errorNetwork;
    case "RATE_LIMITED":
    case "UNAVAILABLE":
      return t().errorRateLimited;
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
