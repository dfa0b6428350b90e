import { isClientError } from "./errors.js";

export interface RetryOptions {
  /** Tries in all (default 3). */
  readonly attempts?: number;
  /** Wait before the second try; doubled each time (default 250 ms). */
  readonly delayMs?: number;
}

/**
 * Retries an idempotent request (the same client id and the same bytes) when no answer came back
 * (`NETWORK`) or the server was briefly unavailable (`UNAVAILABLE`). Every other error is final.
 * Safe because every write carries a client-chosen id: a retry of a committed write returns the
 * first result and never duplicates (API.md, "Write path").
 *
 * @example
 * const ack = await withRetry(() => postEnvelope(sameIdSameBytes));
 */
export async function withRetry<T>(fn: () => Promise<T>, options: RetryOptions = {}): Promise<T> {
  const attempts = options.attempts ?? 3;
  let delay = options.delayMs ?? 250;
  for (let attempt = 1; ; attempt++) {
    try {
      return await fn();
    } catch (e) {
      const transient = isClientError(e, "NETWORK") || isClientError(e, "UNAVAILABLE");
      if (!transient || attempt >= attempts) throw e;
      await new Promise((resolve) => setTimeout(resolve, delay));
      delay *= 2;
    }
  }
}
