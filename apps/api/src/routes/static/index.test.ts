import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import { Hono } from "hono";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../../app.js";
import { openDatabase } from "../../db/client.js";
import { runMigrations } from "../../db/migrate.js";
import { createWriter } from "../../db/writer.js";
import { silentLogger } from "../../logger.js";
import {
  CONTENT_SECURITY_POLICY,
  STAFF_PAGE_POLICY,
  securityHeaders,
} from "../../middleware/security-headers/index.js";
import { IMMUTABLE, REVALIDATE, staticRoutes } from "./index.js";

let dir: string;
let app: Hono;
const INDEX = '<!doctype html><script type="module" src="/assets/app-abc123.js"></script>';
const SCRIPT = "console.log('app');".repeat(50);
const MANIFEST = '{ "format": 1, "app": "seeker", "files": {} }\n';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "bg-static-"));
  const seeker = join(dir, "seeker");
  mkdirSync(join(seeker, "assets"), { recursive: true });
  writeFileSync(join(seeker, "index.html"), INDEX);
  writeFileSync(join(seeker, "assets", "app-abc123.js"), SCRIPT);
  writeFileSync(join(seeker, "assets", "app-abc123.js.gz"), gzipSync(SCRIPT));
  writeFileSync(join(seeker, "release-manifest.json"), MANIFEST);
  writeFileSync(join(dir, "secret.txt"), "outside the root");
  app = new Hono().use("*", securityHeaders());
  app.route(
    "/",
    staticRoutes([
      { prefix: "/staff/", root: join(dir, "staff-not-built") },
      { prefix: "/", root: seeker },
    ]),
  );
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("the built apps, served by the API", () => {
  it("serves index.html at / with the strict CSP, revalidated on every visit", async () => {
    for (const path of ["/", "/index.html"]) {
      const res = await app.request(path);
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^text\/html/);
      expect(res.headers.get("cache-control")).toBe(REVALIDATE);
      expect(res.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
      expect(await res.text()).toBe(INDEX);
    }
  });

  it("gives the staff app's pages, and nothing else of it, the policy that lets them start blob: workers", async () => {
    const staff = join(dir, "staff");
    mkdirSync(join(staff, "assets"), { recursive: true });
    writeFileSync(join(staff, "index.html"), INDEX);
    writeFileSync(join(staff, "assets", "app-abc123.js"), SCRIPT);
    const both = new Hono().use("*", securityHeaders());
    both.route(
      "/",
      staticRoutes([
        { prefix: "/staff/", root: staff }, // `workers` is on by default for the staff mount
        { prefix: "/", root: join(dir, "seeker") },
      ]),
    );
    const csp = async (path: string) => (await both.request(path)).headers.get("content-security-policy");
    for (const path of ["/staff/", "/staff/index.html", "/staff/inbox"])
      expect(await csp(path)).toBe(STAFF_PAGE_POLICY);
    for (const path of [
      "/staff/assets/app-abc123.js",
      "/staff/missing.js",
      "/",
      "/index.html",
      "/assets/app-abc123.js",
    ]) {
      expect(await csp(path)).toBe(CONTENT_SECURITY_POLICY);
    }
    expect(CONTENT_SECURITY_POLICY).toContain("worker-src 'none'");
    // The help-seeker app's page stays without workers under any path (with no staff mount, /staff/ is
    // its fallback): the policy follows the mount, not the URL.
    const seekerOnly = new Hono().use("*", securityHeaders());
    seekerOnly.route("/", staticRoutes([{ prefix: "/", root: join(dir, "seeker") }]));
    const fallback = await seekerOnly.request("/staff/");
    expect(await fallback.text()).toBe(INDEX);
    expect(fallback.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
  });

  it("caches hashed assets for good and sends the precompressed copy when accepted", async () => {
    const plain = await app.request("/assets/app-abc123.js");
    expect(plain.status).toBe(200);
    expect(plain.headers.get("cache-control")).toBe(IMMUTABLE);
    expect(plain.headers.get("content-type")).toMatch(/javascript/);
    expect(await plain.text()).toBe(SCRIPT);
    const gz = await app.request("/assets/app-abc123.js", { headers: { "Accept-Encoding": "gzip" } });
    expect(gz.headers.get("content-encoding")).toBe("gzip");
    expect(gz.headers.get("vary")).toContain("Accept-Encoding");
  });

  it("publishes the build's release manifest at a stable URL, revalidated on every visit", async () => {
    const res = await app.request("/release-manifest.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/json/);
    expect(res.headers.get("cache-control")).toBe(REVALIDATE);
    expect(await res.text()).toBe(MANIFEST);
  });

  it("falls back to the app for paths without a file extension, not for missing files", async () => {
    const spa = await app.request("/some/deep/link");
    expect(spa.status).toBe(200);
    expect(await spa.text()).toBe(INDEX);
    expect(spa.headers.get("cache-control")).toBe(REVALIDATE);
    const missing = await app.request("/assets/gone-000.js");
    expect(missing.status).toBe(404);
    expect(missing.headers.get("cache-control")).toBeNull();
    expect((await app.request("/favicon.ico")).status).toBe(404);
  });

  it("never serves files outside the root", async () => {
    for (const path of ["/../secret.txt", "/assets/..%2f..%2fsecret.txt", "/%2e%2e/secret.txt"]) {
      const res = await app.request(path);
      expect(await res.text()).not.toContain("outside the root");
    }
  });

  it("keeps /api and an app that is not built out of the fallback", async () => {
    expect((await app.request("/api/anything")).status).toBe(404);
    expect((await app.request("/staff/")).status).toBe(404);
    const bare = await app.request("/staff");
    expect(bare.status).toBe(308);
    expect(bare.headers.get("location")).toBe("/staff/");
    expect((await app.request("/", { method: "POST" })).status).toBe(404);
  });

  it("is wired into the API after its routes: /api answers JSON, / the app", async () => {
    const db = await openDatabase({ url: `file:${join(dir, "api.db")}` });
    await runMigrations(db.write);
    const writer = createWriter(db);
    try {
      const api = createApp({
        db,
        writer,
        origin: "http://localhost",
        logger: silentLogger,
        staticApps: [{ prefix: "/", root: join(dir, "seeker") }],
      });
      const health = await api.request("/api/health");
      expect(await health.json()).toEqual({ ok: true, version: "1" });
      expect(health.headers.get("cache-control")).toBe("no-store");
      const unknown = await api.request("/api/no-such-route");
      expect(unknown.status).toBe(404);
      expect(await unknown.json()).toMatchObject({ error: { code: "NOT_FOUND" } });
      const page = await api.request("/");
      expect(await page.text()).toBe(INDEX);
      expect(page.headers.get("content-security-policy")).toBe(CONTENT_SECURITY_POLICY);
    } finally {
      await writer.close();
      db.close();
    }
  });
});
