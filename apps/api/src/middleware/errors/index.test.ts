import { Hono } from "hono";
import { HTTPException } from "hono/http-exception";
import { describe, expect, it } from "vitest";
import { AppError } from "../../errors.js";
import { memoryLogger } from "../../logger.js";
import { mapError, notFound, onError } from "./index.js";

function appThrowing(err: unknown) {
  const logger = memoryLogger();
  const app = new Hono();
  app.get("/x", () => {
    throw err;
  });
  app.onError(onError(logger));
  app.notFound(notFound);
  return { app, logger };
}

class FakeCryptoError extends Error {
  override readonly name = "CryptoError";
  constructor(readonly code: string) {
    super(`crypto ${code}`);
  }
}

describe("onError", () => {
  it("renders AppError with its status, code and headers", async () => {
    const { app } = appThrowing(new AppError("RATE_LIMITED", "slow down", { "Retry-After": "7" }));
    const res = await app.request("/x");
    expect(res.status).toBe(429);
    expect(res.headers.get("retry-after")).toBe("7");
    expect(await res.json()).toEqual({ error: { code: "RATE_LIMITED", message: "slow down" } });
  });

  it("maps Hono's HTTPException (malformed JSON 400, body limit 413)", () => {
    expect(mapError(new HTTPException(400, { message: "Malformed JSON in request body" }))).toMatchObject({
      status: 400,
      code: "BAD_REQUEST",
    });
    expect(mapError(new HTTPException(413))).toMatchObject({ status: 413, code: "PAYLOAD_TOO_LARGE" });
  });

  it("maps crypto verification failures to typed 4xx", () => {
    expect(mapError(new FakeCryptoError("MALFORMED"))).toMatchObject({
      status: 400,
      code: "MALFORMED_STRUCTURE",
    });
    expect(mapError(new FakeCryptoError("BAD_SIGNATURE"))).toMatchObject({
      status: 422,
      code: "BAD_SIGNATURE",
    });
    expect(mapError(new FakeCryptoError("ROSTER_ROLLBACK"))).toMatchObject({
      status: 409,
      code: "ROSTER_CONFLICT",
    });
    expect(mapError(new FakeCryptoError("SIGNER_NOT_ALLOWED"))).toMatchObject({ status: 422 });
    expect(mapError(new FakeCryptoError("SODIUM_UNAVAILABLE"))).toMatchObject({
      status: 500,
      code: "INTERNAL",
    });
  });

  it("turns a busy database into 503 with Retry-After", () => {
    const busy = Object.assign(new Error("database is locked"), { code: "SQLITE_BUSY" });
    expect(mapError(busy)).toMatchObject({
      status: 503,
      code: "UNAVAILABLE",
      headers: { "Retry-After": "1" },
    });
  });

  it("hides unexpected errors behind 500 INTERNAL and logs name and message only", async () => {
    const { app, logger } = appThrowing(new TypeError("boom"));
    const res = await app.request("/x?secret=querystring", { headers: { "User-Agent": "ua-marker" } });
    expect(res.status).toBe(500);
    expect(await res.json()).toEqual({ error: { code: "INTERNAL", message: "internal error" } });
    expect(logger.lines).toHaveLength(1);
    expect(logger.lines[0]).toContain("TypeError: boom");
    expect(logger.lines[0]).not.toContain("querystring");
    expect(logger.lines[0]).not.toContain("ua-marker");
  });

  it("answers unknown routes with a typed 404", async () => {
    const { app } = appThrowing(new Error("unused"));
    const res = await app.request("/nowhere");
    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: { code: "NOT_FOUND", message: "no such route" } });
  });
});
