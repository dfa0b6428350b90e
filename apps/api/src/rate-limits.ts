import { type DelayRule, FailureDelay, RateLimit, type RateRule } from "./middleware/rate-limit/index.js";

/**
 * Every limit, counted in this order so that one address exhausting its share leaves everyone else
 * untouched: per client address (`address`, `addressSignIn`), per account or key (`seekerSignIn`,
 * `staffAuth`, `invite`, `session`, and `passphrase` per username and address), per helpline
 * (`challenge`), and globally (`global`). Each rule is per window; all live in memory only.
 */
export interface RateLimitConfig {
  /** Every request under /api, per client address. */
  address: RateRule;
  /** The anonymous routes (challenge, sign-in, staff params/unlock/recover/reset, invites), per address. */
  addressSignIn: RateRule;
  /** POST /api/auth/challenge, per helpline. */
  challenge: RateRule;
  /** Help-seeker sign-in, per sign-in key. */
  seekerSignIn: RateRule;
  /** Staff unlock/sign-in/recover/reset, per username (a bound on guessing from many addresses). */
  staffAuth: RateRule;
  /** Wrong passphrases or recovery proofs per (username, address): free `max`, then a growing delay. */
  passphrase: DelayRule;
  /** Invite lookups and acceptances, per invite. */
  invite: RateRule;
  /** Authenticated requests, per session. */
  session: RateRule;
  /** The anonymous routes together, from all addresses. */
  global: RateRule;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  address: { max: 6000, windowMs: 60_000 },
  addressSignIn: { max: 60, windowMs: 60_000 },
  challenge: { max: 1200, windowMs: 60_000 },
  seekerSignIn: { max: 10, windowMs: 60_000 },
  staffAuth: { max: 120, windowMs: 60_000 },
  passphrase: { max: 5, windowMs: 60 * 60_000, maxDelayMs: 15 * 60_000 },
  invite: { max: 20, windowMs: 60_000 },
  session: { max: 3000, windowMs: 60_000 },
  global: { max: 6000, windowMs: 60_000 },
};

export interface RateLimits {
  address: RateLimit;
  addressSignIn: RateLimit;
  challenge: RateLimit;
  seekerSignIn: RateLimit;
  staffAuth: RateLimit;
  passphrase: FailureDelay;
  invite: RateLimit;
  session: RateLimit;
  /** Global limiter for the unauthenticated (sign-in) routes. */
  global: RateLimit;
}

export function createRateLimits(config: Partial<RateLimitConfig> = {}): RateLimits {
  const c = { ...DEFAULT_RATE_LIMITS, ...config };
  return {
    address: new RateLimit(c.address, "too many requests from this address"),
    addressSignIn: new RateLimit(c.addressSignIn, "too many sign-in requests from this address"),
    challenge: new RateLimit(c.challenge, "too many sign-in requests for this helpline"),
    seekerSignIn: new RateLimit(c.seekerSignIn, "too many sign-ins with this key"),
    staffAuth: new RateLimit(c.staffAuth, "too many sign-in attempts for this username"),
    passphrase: new FailureDelay(c.passphrase),
    invite: new RateLimit(c.invite, "too many requests for this invite"),
    session: new RateLimit(c.session, "too many requests in this session"),
    global: new RateLimit(c.global, "the server is busy with sign-ins"),
  };
}

/** Every rule of `base` with `max` multiplied (load tests). */
export function scaleRateLimits(
  multiplier: number,
  base: RateLimitConfig = DEFAULT_RATE_LIMITS,
): RateLimitConfig {
  const scaled = {} as Record<keyof RateLimitConfig, RateRule>;
  for (const [k, rule] of Object.entries(base) as [keyof RateLimitConfig, RateRule][]) {
    scaled[k] = { ...rule, max: Math.ceil(rule.max * multiplier) };
  }
  return scaled as RateLimitConfig;
}
