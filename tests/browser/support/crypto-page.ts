/**
 * The test-only crypto page (tests/browser/crypto-page): built with Vite into a temporary folder and
 * served over loopback HTTP with the API's own security headers (the same CSP as the app), so the
 * golden vectors and the code -> keys timing run in Chromium exactly as the app's crypto would.
 * Used by tests/browser/seeker-crypto.test.ts and bench/seeker.
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
import type { Browser } from "playwright-core";
import { securityHeaders } from "../../../apps/api/src/middleware/security-headers/index.js";
import { staticRoutes } from "../../../apps/api/src/routes/static/index.js";
import { ROOT_DIR } from "../../support/api-world.js";
import type { CryptoPageResult } from "../crypto-page/main.js";

export type { CryptoPageResult };

const run = promisify(execFile);
const PAGE_DIR = join(ROOT_DIR, "tests", "browser", "crypto-page");
const VITE = join(ROOT_DIR, "node_modules", "vite", "bin", "vite.js");

export interface CryptoPage {
  /** The page's address. */
  readonly url: string;
  close(): Promise<void>;
}

/** Builds the page (Vite) and serves it on 127.0.0.1 with the API's CSP. */
export async function startCryptoPage(): Promise<CryptoPage> {
  const work = mkdtempSync(join(tmpdir(), "bg-crypto-page-"));
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
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/`,
    async close() {
      server.close();
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** Opens the page in a fresh context and waits for its result (and any CSP violation). */
export async function runCryptoPage(
  browser: Browser,
  page: CryptoPage,
  runs = 5,
): Promise<CryptoPageResult & { cspViolations: string[]; consoleErrors: string[] }> {
  const context = await browser.newContext();
  await context.addInitScript({
    content: `window.__csp = []; document.addEventListener("securitypolicyviolation", (e) => window.__csp.push(e.violatedDirective + " " + e.blockedURI));`,
  });
  const tab = await context.newPage();
  const consoleErrors: string[] = [];
  tab.on("console", (m) => {
    if (m.type() === "error") consoleErrors.push(m.text());
  });
  tab.on("pageerror", (e) => consoleErrors.push(e.message));
  try {
    await tab.goto(`${page.url}?runs=${runs}`);
    await tab.waitForFunction(() => "__result" in window, undefined, { timeout: 120_000, polling: 100 });
    const result = await tab.evaluate(() => (window as unknown as { __result: CryptoPageResult }).__result);
    const cspViolations = await tab.evaluate(() => (window as unknown as { __csp: string[] }).__csp);
    return { ...result, cspViolations, consoleErrors };
  } finally {
    await context.close();
  }
}

/** Median of a list of numbers. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}
