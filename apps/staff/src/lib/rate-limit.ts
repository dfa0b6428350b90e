import { t } from "../i18n/index.js";
import { errorText } from "./errors.js";
import { errorCode } from "./sdk.js";

/** The wait a refusal carries (the SDK's `retryAfterSeconds`, from `Retry-After`), if any. */
export function retryAfterSeconds(e: unknown): number | undefined {
  if (typeof e !== "object" || e === null || !("retryAfterSeconds" in e)) return undefined;
  const s = (e as { retryAfterSeconds: unknown }).retryAfterSeconds;
  return typeof s === "number" && Number.isFinite(s) && s > 0 ? Math.ceil(s) : undefined;
}

/**
 * A refusal's sentence with how long to wait when the server said so (`429` for a rate limit or a
 * daily quota carries `Retry-After`): "Te veel pogingen. ... Probeer het over 42 seconden opnieuw."
 */
export function refusalText(e: unknown, base: string = errorText(e)): string {
  const wait = retryAfterSeconds(e);
  return wait === undefined ? base : `${base} ${t().retryInSeconds(wait)}`;
}

/**
 * The sentence the sign-in form shows next to its button: for `429 RATE_LIMITED` how long to wait
 * ("Probeer het over 42 seconden opnieuw."), otherwise the error's usual text.
 */
export function signInErrorText(e: unknown): string {
  const wait = retryAfterSeconds(e);
  if (errorCode(e) === "RATE_LIMITED" && wait !== undefined) return t().signInRateLimited(wait);
  return errorText(e);
}
