import { describe, expect, it } from "vitest";
import { b64, b64Fixed, idSchema, key32Schema, usernameSchema } from "./common.js";
import { ERROR_CODES, ERROR_STATUS } from "./errors.js";
import { postEnvelopeRequestSchema, threadsQuerySchema } from "./threads.js";

const enc = (bytes: number[]) => Buffer.from(bytes).toString("base64url");

describe("binary field schemas", () => {
  it("ids are exactly 16 bytes in canonical base64url", () => {
    expect(idSchema.safeParse(enc(Array(16).fill(7))).success).toBe(true);
    expect(idSchema.safeParse(enc(Array(15).fill(7))).success).toBe(false);
    expect(idSchema.safeParse(`${enc(Array(16).fill(7)).slice(0, 21)}B`).success).toBe(false); // non-zero pad bits
    expect(key32Schema.safeParse(enc(Array(32).fill(255))).success).toBe(true);
    expect(b64Fixed(64).safeParse(enc(Array(64).fill(1))).success).toBe(true);
  });

  it("bounded base64url rejects other alphabets and oversize", () => {
    const s = b64(10);
    expect(s.safeParse(enc([1, 2, 3])).success).toBe(true);
    expect(s.safeParse("ab+/").success).toBe(false);
    expect(s.safeParse(enc(Array(11).fill(0))).success).toBe(false);
    expect(s.safeParse("a").success).toBe(false);
  });

  it("usernames are normalised", () => {
    expect(usernameSchema.parse("  Vera.B ")).toBe("vera.b");
    expect(usernameSchema.safeParse("a").success).toBe(false);
    expect(usernameSchema.safeParse("ä-user").success).toBe(false);
  });

  it("query limits are bounded", () => {
    expect(threadsQuerySchema.parse({ limit: "200" }).limit).toBe(200);
    expect(threadsQuerySchema.safeParse({ limit: "201" }).success).toBe(false);
    expect(threadsQuerySchema.safeParse({ view: "other" }).success).toBe(false);
  });

  it("rejects unknown statuses", () => {
    expect(
      postEnvelopeRequestSchema.safeParse({ id: enc(Array(16).fill(1)), envelope: "AAAA", status: "done" })
        .success,
    ).toBe(false);
  });
});

describe("error codes", () => {
  it("every code has a 4xx/5xx status and 5xx only for server faults", () => {
    for (const code of ERROR_CODES) {
      const status = ERROR_STATUS[code];
      expect(status).toBeGreaterThanOrEqual(400);
      // 5xx only for the server's own state: a fault, overload, or a helpline out of its storage
      // quota (507; the operator's to fix, not the request's). Nothing a client sends earns one.
      if (status >= 500) expect(["INTERNAL", "UNAVAILABLE", "STORAGE_FULL"]).toContain(code);
    }
  });
});
