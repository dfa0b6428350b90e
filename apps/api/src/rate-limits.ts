import { type Now, RateLimiter, type RateRule } from "./middleware/rate-limit/index.js";

/** Rules for every limiter; each has a per-key and a global ("*") part. */
export interface RateLimitConfig {
  /** POST /api/auth/challenge, per helpline. */
  challenge: RateRule;
  /** Help-seeker sign-in, per sign-in key. */
  seekerSignIn: RateRule;
  /** Staff params/unlock/sign-in/recover/reset, per username. */
  staffAuth: RateRule;
  /** Invite lookups and acceptances, per invite. */
  invite: RateRule;
  /** Authenticated requests, per session. */
  session: RateRule;
  /** All of the above together. */
  global: RateRule;
}

export const DEFAULT_RATE_LIMITS: RateLimitConfig = {
  challenge: { max: 120, windowMs: 60_000 },
  seekerSignIn: { max: 10, windowMs: 60_000 },
  staffAuth: { max: 20, windowMs: 60_000 },
  invite: { max: 20, windowMs: 60_000 },
  session: { max: 3000, windowMs: 60_000 },
  global: { max: 6000, windowMs: 60_000 },
};

export interface RateLimits {
  challenge: RateLimiter;
  seekerSignIn: RateLimiter;
  staffAuth: RateLimiter;
  invite: RateLimiter;
  session: RateLimiter;
  /** Global limiter for the unauthenticated (sign-in) routes. */
  global: RateLimiter;
}

export function createRateLimits(config: Partial<RateLimitConfig> = {}, now: Now = Date.now): RateLimits {
  const c = { ...DEFAULT_RATE_LIMITS, ...config };
  return {
    challenge: new RateLimiter(c.challenge, now),
    seekerSignIn: new RateLimiter(c.seekerSignIn, now),
    staffAuth: new RateLimiter(c.staffAuth, now),
    invite: new RateLimiter(c.invite, now),
    session: new RateLimiter(c.session, now),
    global: new RateLimiter(c.global, now),
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
  return scaled;
}
