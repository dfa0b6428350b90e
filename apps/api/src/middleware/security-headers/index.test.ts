import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY, securityHeaders } from "./index.js";

describe("securityHeaders", () => {
  const app = new Hono();
  app.use("*", securityHeaders());
  app.get("/api/x", (c) => c.json({ ok: true }));
  app.get("/page", (c) => c.text("hi"));

  it("sets the strict CSP and the other headers on every response", async () => {
    for (const path of ["/api/x", "/page", "/missing"]) {
      const res = await app.request(path);
      expect(res.headers.get("content-security-policy")).toBe(
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
          "worker-src blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
          "form-action 'self'",
      );
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    }
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    // Decrypted images are shown from blob: URLs, and the staff app's crypto workers start from the
    // bytes it checked (SRI); no other directive may load from blob:, and workers from nowhere else.
    const withBlob = CONTENT_SECURITY_POLICY.split("; ").filter((d) => d.includes("blob:"));
    expect(withBlob).toEqual(["img-src 'self' data: blob:", "worker-src blob:"]);
  });

  it("marks API responses no-store", async () => {
    expect((await app.request("/api/x")).headers.get("cache-control")).toBe("no-store");
    expect((await app.request("/page")).headers.get("cache-control")).toBeNull();
  });
});
