import type { MiddlewareHandler } from "hono";
import { RateLimiterMemory, RateLimiterRes } from "rate-limiter-flexible";
import type { AppEnv } from "../../deps.js";
import { AppError } from "../../errors.js";

export interface RateRule {
  /** Requests allowed per window. */
  max: number;
  windowMs: number;
}

/** `429 RATE_LIMITED` with `Retry-After` (whole seconds, at least 1); the body says the same wait. */
export function rateLimited(waitMs: number, what = "too many requests"): AppError {
  const seconds = Math.max(1, Math.ceil(waitMs / 1000));
  return new AppError("RATE_LIMITED", `${what}; retry in ${seconds} s`, {
    "Retry-After": String(seconds),
  });
}

function seconds(ms: number): number {
  return Math.max(1, Math.ceil(ms / 1000));
}

/**
 * A counter per key (a client address key, an account, a helpline, or "*" for global) over a fixed
 * window, on `rate-limiter-flexible` in memory: each key's count lives only for its window in this
 * process (a timer removes it), so memory is bounded by the keys seen in one window. The same
 * interface works over a shared store (Redis, a database) when several instances must share counts.
 *
 * @example
 * const perUser = new RateLimit({ max: 10, windowMs: 60_000 });
 * await perUser.take(`unlock:${username}`); // throws 429 RATE_LIMITED with Retry-After when exceeded
 */
export class RateLimit {
  readonly #limiter: RateLimiterMemory;
  constructor(
    readonly rule: RateRule,
    readonly what = "too many requests",
  ) {
    this.#limiter = new RateLimiterMemory({ points: rule.max, duration: seconds(rule.windowMs) });
  }

  /** Counts one request for `key`; throws `RATE_LIMITED` (with `Retry-After`) when over the limit. */
  async take(key: string): Promise<void> {
    try {
      await this.#limiter.consume(key);
    } catch (e) {
      if (e instanceof RateLimiterRes) throw rateLimited(e.msBeforeNext, this.what);
      throw e;
    }
  }

  /** Keys held now (tests: state expires). */
  get size(): number {
    return (this.#limiter as unknown as { _memoryStorage: { _storage: Map<string, unknown> } })._memoryStorage
      ._storage.size;
  }
}

export interface DelayRule {
  /** Failures allowed without delay. */
  max: number;
  /** How long failures are remembered (from the first one). */
  windowMs: number;
  /** The longest delay; each failure past `max` doubles it, from one second. */
  maxDelayMs: number;
}

/**
 * A growing delay after repeated failures for one key (a username and the client's address): the
 * first `max` failures cost nothing; after that each failure makes the key wait 1, 2, 4, ... seconds
 * (at most `maxDelayMs`) before the next attempt is even checked. A success forgets the key. Other keys
 * (the same username from another address) are never affected.
 *
 * @example
 * await delay.check(key); // 429 with the wait while delayed
 * ok ? await delay.succeeded(key) : await delay.failed(key);
 */
export class FailureDelay {
  readonly #failures: RateLimiterMemory;
  readonly #wait: RateLimiterMemory;
  constructor(readonly rule: DelayRule) {
    this.#failures = new RateLimiterMemory({ points: rule.max, duration: seconds(rule.windowMs) });
    this.#wait = new RateLimiterMemory({ points: 1, duration: seconds(rule.maxDelayMs) });
  }

  /** Throws `429 RATE_LIMITED` with the remaining wait while `key` is delayed. */
  async check(key: string): Promise<void> {
    const res = await this.#wait.get(key);
    if (res !== null && res.consumedPoints > 1 && res.msBeforeNext > 0) {
      throw rateLimited(res.msBeforeNext, "too many wrong attempts for this username from this address");
    }
  }

  /** Records a failure; past `max`, delays the key (1 s, 2 s, 4 s, ... up to `maxDelayMs`). */
  async failed(key: string): Promise<void> {
    const res = await this.#failures.penalty(key);
    const over = res.consumedPoints - this.rule.max;
    if (over > 0) {
      const ms = Math.min(this.rule.maxDelayMs, 1000 * 2 ** Math.min(over - 1, 30));
      await this.#wait.block(key, seconds(ms));
    }
  }

  /** Forgets the key (a success). */
  async succeeded(key: string): Promise<void> {
    await Promise.all([this.#failures.delete(key), this.#wait.delete(key)]);
  }
}

/**
 * Counts every request under the client's address key (`c.var.clientKey`, set by the client-address
 * middleware) when `applies` to the request's path; requests without an address (in-process) are not
 * counted.
 *
 * @example
 * app.use("/api/auth/*", limitByAddress(limits.addressSignIn));
 */
export function limitByAddress(
  limit: RateLimit,
  applies: (path: string) => boolean = () => true,
): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const key = c.var.clientKey;
    if (key !== undefined && applies(c.req.path)) await limit.take(key);
    await next();
  };
}
