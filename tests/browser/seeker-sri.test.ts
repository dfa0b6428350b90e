/**
 * Subresource Integrity in Chromium (scripts/vite-sri.ts): the production build of the help-seeker
 * app, copied and served by the API's real static routes under the real CSP, loads normally; a copy
 * in which the server changed one file is refused by the browser, whether the file is the entry
 * script (from index.html) or the libsodium SDK chunk (loaded later with `import()`), and the changed
 * code never runs. A tampered chunk stays refused for the page: importing it again does not fetch an
 * unchecked copy.
 */
import { once } from "node:events";
import { appendFileSync, cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { securityHeaders } from "../../apps/api/src/middleware/security-headers/index.js";
import { staticRoutes } from "../../apps/api/src/routes/static/index.js";
import {
  chromiumAvailable,
  collectCsp,
  launchChromium,
  type Watch,
  watchContext,
} from "./support/browser.js";
import { ensureProductionBuild } from "./support/build.js";

const TAMPER = "\n;globalThis.__briefgeheimTampered = true;\n";
const noApi = (url: string) => new URL(url).pathname.startsWith("/api/");

let browser: Browser;
let work: string;
let server: ReturnType<typeof serve>;
let origin: string;
let sdkFile: string;
let entryFile: string;
const roots = { honest: "", sdk: "", entry: "" };

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  const [dist, b] = await Promise.all([ensureProductionBuild(), launchChromium()]);
  browser = b;
  work = mkdtempSync(join(tmpdir(), "bg-sri-"));
  const assets = readdirSync(join(dist, "assets"));
  sdkFile = assets.find((f) => /^sdk-.*\.js$/.test(f)) ?? "";
  entryFile = assets.find((f) => /^index-.*\.js$/.test(f)) ?? "";
  expect(sdkFile).not.toBe("");
  expect(entryFile).not.toBe("");
  for (const name of ["honest", "sdk", "entry"] as const) {
    roots[name] = join(work, name);
    // Plain files only: a tampered .js must not be masked by an honest .br beside it.
    cpSync(dist, roots[name], { recursive: true, filter: (src) => !/\.(br|gz)$/.test(src) });
  }
  appendFileSync(join(roots.sdk, "assets", sdkFile), TAMPER);
  appendFileSync(join(roots.entry, "assets", entryFile), TAMPER);
  // One server on one origin; `serveCopy` picks which copy answers (URLs in index.html stay the same).
  const apps = Object.fromEntries(
    Object.entries(roots).map(([name, root]) => [
      name,
      new Hono().use("*", securityHeaders()).route("/", staticRoutes([{ prefix: "/", root }])),
    ]),
  );
  let current = "honest";
  server = serve({
    fetch: (req) => {
      const app = apps[current];
      return app === undefined ? new Response("no", { status: 500 }) : app.fetch(req);
    },
    port: 0,
    hostname: "127.0.0.1",
  });
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  serveCopy = (name) => {
    current = name;
  };
}, 180_000);

let serveCopy: (name: keyof typeof roots) => void = () => undefined;

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

/** Opens the app in a fresh context, waits until the SDK chunk was requested and settled. */
async function open(): Promise<{ page: Page; watch: Watch; sdkStatus: Promise<number> }> {
  const context = await browser.newContext();
  const watch = await watchContext(context, noApi);
  const page = await context.newPage();
  const sdkStatus = page
    .waitForResponse((r) => r.url().endsWith(`/assets/${sdkFile}`), { timeout: 20_000 })
    .then((r) => r.status());
  await page.goto(`${origin}/`);
  return { page, watch, sdkStatus };
}

const tampered = (page: Page) =>
  page.evaluate(() => (globalThis as { __briefgeheimTampered?: boolean }).__briefgeheimTampered === true);

/**
 * Whether `import()` of the URL succeeds in the page now (through the page's module map). A string,
 * so that vitest does not rewrite the `import()` for Node.
 */
const importWorks = (page: Page, url: string): Promise<boolean> =>
  page.evaluate(`import(${JSON.stringify(url)}).then(() => true, () => false)`);

describe.skipIf(!chromiumAvailable())("Subresource Integrity in Chromium", () => {
  it("the honest build loads: entry and SDK chunk pass their checks, no error, no CSP violation", async () => {
    serveCopy("honest");
    const { page, watch, sdkStatus } = await open();
    expect(await sdkStatus).toBe(200);
    await page.locator("#app *").first().waitFor();
    await page.waitForFunction(
      (file) =>
        [...document.querySelectorAll('link[rel="modulepreload"]')].some(
          (l) => l.getAttribute("href")?.endsWith(file) && l.getAttribute("integrity")?.startsWith("sha384-"),
        ),
      sdkFile,
    );
    expect(await importWorks(page, `/assets/${sdkFile}`)).toBe(true);
    // Checked once and then taken from the module map: no second, unchecked fetch.
    expect(watch.requests.filter((r) => r.url.endsWith(`/assets/${sdkFile}`))).toHaveLength(1);
    await collectCsp(page, watch);
    expect(watch.problems()).toEqual([]);
    await page.context().close();
  });

  it("a changed SDK chunk is refused and never runs, also when imported again", async () => {
    serveCopy("sdk");
    const { page, watch, sdkStatus } = await open();
    expect(await sdkStatus).toBe(200); // served, then refused by the browser
    await page.locator("#app *").first().waitFor(); // the entry itself is honest
    await expect.poll(() => watch.consoleErrors.join("\n"), { timeout: 10_000 }).toContain("integrity");
    expect(watch.consoleErrors.join("\n")).toContain(sdkFile);
    expect(await importWorks(page, `/assets/${sdkFile}`)).toBe(false);
    expect(await tampered(page)).toBe(false);
    await page.context().close();
  });

  it("a changed entry script is refused: nothing runs, the app never mounts", async () => {
    serveCopy("entry");
    const context = await browser.newContext();
    const watch = await watchContext(context, noApi);
    const page = await context.newPage();
    await page.goto(`${origin}/`);
    await expect.poll(() => watch.consoleErrors.join("\n"), { timeout: 10_000 }).toContain("integrity");
    expect(watch.consoleErrors.join("\n")).toContain(entryFile);
    expect(await page.locator("#app").innerHTML()).toBe("");
    expect(await tampered(page)).toBe(false);
    await context.close();
  });
});
