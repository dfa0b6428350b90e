/**
 * The Chromium part of bench/attachments: builds bench/attachments/browser-page with Vite into a
 * temporary folder, serves it on 127.0.0.1 with the API's own security headers (the apps' CSP, so
 * libsodium's wasm runs under the same rules as in the apps) and runs it in headless Debian Chromium
 * through playwright-core. The page measures what encrypt-runs.ts describes.
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { securityHeaders } from "../../apps/api/src/middleware/security-headers/index.js";
import { staticRoutes } from "../../apps/api/src/routes/static/index.js";
import { launchChromium } from "../../tests/browser/support/browser.js";
import { ROOT_DIR } from "../../tests/support/api-world.js";
import type { PageResult } from "./browser-page/main.js";

const run = promisify(execFile);
const PAGE_DIR = join(ROOT_DIR, "bench", "attachments", "browser-page");
const VITE = join(ROOT_DIR, "node_modules", "vite", "bin", "vite.js");

export type ChromiumResult = PageResult & { readonly version: string; readonly cspViolations: string[] };

/** Encrypts a file of `size` bytes `runs` times in Chromium; throws when the page fails. */
export async function encryptInChromium(size: number, runs: number): Promise<ChromiumResult> {
  const work = mkdtempSync(join(tmpdir(), "bg-bench-attach-page-"));
  const outDir = join(work, "dist");
  await run(
    process.execPath,
    [VITE, "build", PAGE_DIR, "--outDir", outDir, "--emptyOutDir", "--logLevel", "warn", "--base", "/"],
    { cwd: ROOT_DIR, env: { ...process.env, NODE_ENV: "production" }, maxBuffer: 16 * 1024 * 1024 },
  );
  const app = new Hono()
    .use("*", securityHeaders())
    .route("/", staticRoutes([{ prefix: "/", root: outDir }]));
  const server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await once(server, "listening");
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  const browser = await launchChromium();
  try {
    const context = await browser.newContext();
    await context.addInitScript({
      content: `window.__csp = []; document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
    });
    const tab = await context.newPage();
    const errors: string[] = [];
    tab.on("pageerror", (e) => errors.push(e.message));
    await tab.goto(`${url}?runs=${runs}&size=${size}`);
    await tab.waitForFunction(() => "__result" in window, undefined, { timeout: 600_000, polling: 250 });
    const result = await tab.evaluate(() => (window as unknown as { __result: PageResult }).__result);
    const cspViolations = await tab.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    if (result.error !== undefined || errors.length > 0) {
      throw new Error(`the bench page failed: ${result.error ?? errors.join("; ")}`);
    }
    return { ...result, version: browser.version(), cspViolations };
  } finally {
    await browser.close();
    server.close();
    rmSync(work, { recursive: true, force: true });
  }
}
