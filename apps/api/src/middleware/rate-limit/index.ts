import type { Context, MiddlewareHandler } from "hono";
import { AppError } from "../../errors.js";

export interface RateRule {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

/** Milliseconds clock (injectable for tests). */
export type Now = () => number;

/**
 * An in-memory fixed-window counter per key (an account, a helpline, or "*" for global). Keys live only
 * in this process's memory for their window and are never persisted or logged. No IP addresses are
 * used as keys.
 *
 * @example
 * const perUser = new RateLimiter({ max: 10, windowMs: 60_000 });
 * perUser.consume(`unlock:${username}`); // throws 429 RATE_LIMITED with Retry-After when exceeded
 */
export class RateLimiter {
  readonly #buckets = new Map<string, { count: number; resetAt: number }>();
  constructor(
    readonly rule: RateRule,
    readonly now: Now = Date.now,
  ) {}

  /** Counts one request for `key`; throws `RATE_LIMITED` (with `Retry-After` seconds) when over the limit. */
  consume(key: string): void {
    const t = this.now();
    if (this.#buckets.size > 10_000) this.#sweep(t);
    let bucket = this.#buckets.get(key);
    if (bucket === undefined || bucket.resetAt <= t) {
      bucket = { count: 0, resetAt: t + this.rule.windowMs };
      this.#buckets.set(key, bucket);
    }
    bucket.count++;
    if (bucket.count > this.rule.max) {
      const seconds = Math.max(1, Math.ceil((bucket.resetAt - t) / 1000));
      throw new AppError("RATE_LIMITED", "too many requests, retry later", {
        "Retry-After": String(seconds),
      });
    }
  }

  /** Number of keys held (tests). */
  get size(): number {
    return this.#buckets.size;
  }

  #sweep(t: number): void {
    for (const [k, b] of this.#buckets) if (b.resetAt <= t) this.#buckets.delete(k);
  }
}

/**
 * Middleware form: counts each request under `key(c)` (skipped when it returns null).
 *
 * @example
 * app.post("/api/auth/challenge", rateLimit(globalLimiter, () => "*"), handler);
 */
export function rateLimit<C extends Context>(
  limiter: RateLimiter,
  key: (c: C) => string | null,
): MiddlewareHandler {
  return async (c, next) => {
    const k = key(c as C);
    if (k !== null) limiter.consume(k);
    await next();
  };
}
