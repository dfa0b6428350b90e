import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.js";
import { memoryLogger } from "../../logger.js";
import { onError } from "../errors/index.js";
import { RateLimiter, rateLimit } from "./index.js";

describe("RateLimiter", () => {
  it("allows max per window per key, then throws RATE_LIMITED with Retry-After", () => {
    let t = 0;
    const limiter = new RateLimiter({ max: 2, windowMs: 10_000 }, () => t);
    limiter.consume("a");
    limiter.consume("a");
    limiter.consume("b");
    let err: unknown;
    try {
      limiter.consume("a");
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(AppError);
    expect((err as AppError).code).toBe("RATE_LIMITED");
    expect((err as AppError).headers["Retry-After"]).toBe("10");
    t = 4_000;
    expect(() => limiter.consume("a")).toThrow(AppError);
    t = 10_000;
    expect(() => limiter.consume("a")).not.toThrow();
  });

  it("forgets expired keys when it grows", () => {
    let t = 0;
    const limiter = new RateLimiter({ max: 1, windowMs: 1000 }, () => t);
    for (let i = 0; i < 10_001; i++) limiter.consume(`k${i}`);
    t = 2000;
    limiter.consume("fresh");
    expect(limiter.size).toBe(1);
  });
});

describe("rateLimit middleware", () => {
  it("answers 429 with Retry-After", async () => {
    const app = new Hono();
    const limiter = new RateLimiter({ max: 1, windowMs: 60_000 });
    app.get(
      "/x",
      rateLimit(limiter, () => "*"),
      (c) => c.text("ok"),
    );
    app.onError(onError(memoryLogger()));
    expect((await app.request("/x")).status).toBe(200);
    const res = await app.request("/x");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    expect((await res.json()).error.code).toBe("RATE_LIMITED");
  });
});
