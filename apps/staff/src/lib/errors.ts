import { lookup, t } from "../i18n/index.js";
import { errorCode } from "./sdk.js";

/** A user-facing sentence for an error: the code's own text when the catalog has one. */
export function errorText(e: unknown): string {
  const code = errorCode(e);
  if (code !== undefined) {
    return lookup(t().errors, code) ?? t().errorWithCode(code);
  }
  return t().errorUnknown;
}

/** Codes after which the server session is gone: the app must sign in again. */
export const SESSION_GONE = new Set(["UNAUTHENTICATED", "SESSION_EXPIRED", "ACCOUNT_REMOVED", "WIPED"]);
