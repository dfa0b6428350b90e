import { CryptoError } from "../src/core/errors.js";

/**
 * Test helper (not exported from the package): the CryptoError code `fn` throws, `undefined` when it
 * returns. Anything else it throws is rethrown, so a test can never mistake a crash for a typed refusal.
 */
export function codeOf(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
  return undefined;
}
