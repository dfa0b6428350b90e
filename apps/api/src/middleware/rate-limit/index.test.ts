import { Hono } from "hono";
import { afterEach, describe, expect, it, vi } from "vitest";
import type { AppEnv } from "../../deps.js";
import { AppError } from "../../errors.js";
import { memoryLogger } from "../../logger.js";
import { onError } from "../errors/index.js";
import { FailureDelay, limitByAddress, RateLimit } from "./index.js";

async function refusal(p: Promise<unknown>): Promise<AppError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof AppError) return e;
    throw e;
  }
  throw new Error("not refused");
}

afterEach(() => {
  vi.useRealTimers();
});

describe("RateLimit (rate-limiter-flexible, in memory)", () => {
  it("allows max per window per key, then 429 RATE_LIMITED with Retry-After and the wait in the message", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    const limit = new RateLimit({ max: 2, windowMs: 10_000 }, "too many");
    await limit.take("a");
    await limit.take("a");
    await limit.take("b");
    const err = await refusal(limit.take("a"));
    expect(err.code).toBe("RATE_LIMITED");
    expect(err.headers["Retry-After"]).toBe("10");
    expect(err.message).toBe("too many; retry in 10 s");
    vi.advanceTimersByTime(4_000);
    expect((await refusal(limit.take("a"))).headers["Retry-After"]).toBe("6");
    vi.advanceTimersByTime(6_000);
    await expect(limit.take("a")).resolves.toBeUndefined();
  });

  it("forgets a key when its window ends (bounded memory under a flood of new keys)", async () => {
    vi.useFakeTimers();
    const limit = new RateLimit({ max: 1, windowMs: 1000 });
    for (let i = 0; i < 300; i++) await limit.take(`k${i}`);
    expect(limit.size).toBe(300);
    vi.advanceTimersByTime(1001);
    expect(limit.size).toBe(0);
  });
});

describe("FailureDelay", () => {
  it("free failures, then a doubling wait for that key only; a success forgets it", async () => {
    vi.useFakeTimers();
    const delay = new FailureDelay({ max: 3, windowMs: 3_600_000, maxDelayMs: 5_000 });
    for (let i = 0; i < 3; i++) {
      await delay.check("alice|1");
      await delay.failed("alice|1");
    }
    await expect(delay.check("alice|1")).resolves.toBeUndefined();
    await delay.failed("alice|1"); // 4th: 1 s
    const first = await refusal(delay.check("alice|1"));
    expect(first.code).toBe("RATE_LIMITED");
    expect(first.headers["Retry-After"]).toBe("1");
    await expect(delay.check("alice|2")).resolves.toBeUndefined(); // the owner elsewhere
    vi.advanceTimersByTime(1000);
    await delay.check("alice|1");
    await delay.failed("alice|1"); // 5th: 2 s
    expect((await refusal(delay.check("alice|1"))).headers["Retry-After"]).toBe("2");
    vi.advanceTimersByTime(2000);
    await delay.failed("alice|1"); // 6th: 4 s
    expect((await refusal(delay.check("alice|1"))).headers["Retry-After"]).toBe("4");
    vi.advanceTimersByTime(4000);
    await delay.failed("alice|1"); // 7th: capped at 5 s
    expect((await refusal(delay.check("alice|1"))).headers["Retry-After"]).toBe("5");
    await delay.succeeded("alice|1");
    await expect(delay.check("alice|1")).resolves.toBeUndefined();
  });
});

describe("limitByAddress middleware", () => {
  function app(limit: RateLimit) {
    const a = new Hono<AppEnv>();
    a.use("*", async (c, next) => {
      c.set("clientKey", c.req.header("x-test-key"));
      await next();
    });
    a.use(
      "*",
      limitByAddress(limit, (path) => path !== "/free"),
    );
    a.get("/x", (c) => c.text("ok"));
    a.get("/free", (c) => c.text("ok"));
    a.onError(onError(memoryLogger()));
    return a;
  }

  it("answers 429 with Retry-After per address; other addresses, and requests without one, pass", async () => {
    const a = app(new RateLimit({ max: 1, windowMs: 60_000 }));
    const from = (key: string) => ({ headers: { "x-test-key": key } });
    expect((await a.request("/x", from("one"))).status).toBe(200);
    const res = await a.request("/x", from("one"));
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("60");
    const body = await res.json();
    expect(body.error.code).toBe("RATE_LIMITED");
    expect(body.error.message).toMatch(/retry in 60 s/);
    expect((await a.request("/x", from("two"))).status).toBe(200);
    expect((await a.request("/free", from("one"))).status).toBe(200);
    expect((await a.request("/x")).status).toBe(200);
    expect((await a.request("/x")).status).toBe(200);
  });
});
