import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { allowBlobWorkers, CONTENT_SECURITY_POLICY, STAFF_PAGE_POLICY, securityHeaders } from "./index.js";

describe("securityHeaders", () => {
  const app = new Hono();
  app.use("*", securityHeaders());
  app.get("/api/x", (c) => c.json({ ok: true }));
  app.get("/page", (c) => c.text("hi"));
  app.get("/", (c) => c.html("<p>help-seeker app</p>"));
  app.get("/staff/", (c) => {
    allowBlobWorkers(c);
    return c.html("<p>staff app</p>");
  });
  app.get("/staff/other", (c) => c.html("<p>not marked</p>"));
  app.get("/staff/assets/x.js", (c) => c.body("1", 200, { "Content-Type": "text/javascript" }));
  app.get("/staff/x.json", (c) => c.json({}));
  const strict =
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
    "worker-src 'none'; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
    "form-action 'self'";

  it("sets the strict CSP (no workers at all) and the other headers on every response but the staff pages", async () => {
    for (const path of [
      "/api/x",
      "/page",
      "/missing",
      "/",
      "/staff/assets/x.js",
      "/staff/x.json",
      "/staff/other",
      "/staff/none",
    ]) {
      const res = await app.request(path);
      expect(res.headers.get("content-security-policy")).toBe(strict);
      expect(res.headers.get("x-content-type-options")).toBe("nosniff");
      expect(res.headers.get("x-frame-options")).toBe("DENY");
      expect(res.headers.get("referrer-policy")).toBe("no-referrer");
      expect(res.headers.get("strict-transport-security")).toMatch(/max-age=\d+/);
    }
    expect(CONTENT_SECURITY_POLICY).toBe(strict);
    expect(CONTENT_SECURITY_POLICY).not.toContain("unsafe-inline");
    // Decrypted images are shown from blob: URLs; no other directive may load from blob:.
    const withBlob = CONTENT_SECURITY_POLICY.split("; ").filter((d) => d.includes("blob:"));
    expect(withBlob).toEqual(["img-src 'self' data: blob:"]);
  });

  it("lets only a page marked by allowBlobWorkers start workers, from blob: URLs alone", async () => {
    const res = await app.request("/staff/");
    expect(res.headers.get("content-type")).toMatch(/^text\/html/);
    expect(res.headers.get("content-security-policy")).toBe(
      strict.replace("worker-src 'none'", "worker-src blob:"),
    );
    expect(res.headers.get("x-frame-options")).toBe("DENY");
    expect(STAFF_PAGE_POLICY).toBe(res.headers.get("content-security-policy"));
    // The crypto workers start from the bytes the page checked (SRI): from nowhere else.
    const withBlob = STAFF_PAGE_POLICY.split("; ").filter((d) => d.includes("blob:"));
    expect(withBlob).toEqual(["img-src 'self' data: blob:", "worker-src blob:"]);
  });

  it("marks API responses no-store", async () => {
    expect((await app.request("/api/x")).headers.get("cache-control")).toBe("no-store");
    expect((await app.request("/page")).headers.get("cache-control")).toBeNull();
  });
});
