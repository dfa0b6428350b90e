/**
 * The shared components of packages/ui in Chromium, on a test-only page (tests/browser/ui-page) built
 * with Vite and served with the API's own security headers (the apps' CSP):
 * - LongText: a long message shows its start with "show all" (aria-expanded), then all of it, and back;
 *   `dir="auto"` makes an Arabic line right to left;
 * - Dialog: modal (the page behind is inert), its `above` slot is inside and can be clicked, Tab stays
 *   inside, Escape closes and focus returns to the opener;
 * - ActionError: a refusal appearing below the fold scrolls itself into view, as an alert;
 * - CharCounter: the count and, over the limit, one alert; ProgressBar: value and live text;
 * - axe-core finds nothing; no CSP violation or console error.
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
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { securityHeaders } from "../../apps/api/src/middleware/security-headers/index.js";
import { staticRoutes } from "../../apps/api/src/routes/static/index.js";
import { ROOT_DIR } from "../support/api-world.js";
import {
  axeViolations,
  chromiumAvailable,
  collectCsp,
  launchChromium,
  visibleText,
  type Watch,
  watchContext,
} from "./support/browser.js";

const run = promisify(execFile);
const PAGE_DIR = join(ROOT_DIR, "tests", "browser", "ui-page");
const VITE = join(ROOT_DIR, "node_modules", "vite", "bin", "vite.js");

let browser: Browser;
let url = "";
let work = "";
let server: ReturnType<typeof serve> | undefined;

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  work = mkdtempSync(join(tmpdir(), "bg-ui-page-"));
  const outDir = join(work, "dist");
  await run(
    process.execPath,
    [
      VITE,
      "build",
      "--config",
      join(PAGE_DIR, "vite.config.ts"),
      "--outDir",
      outDir,
      "--emptyOutDir",
      "--logLevel",
      "warn",
    ],
    { cwd: ROOT_DIR, env: { ...process.env, NODE_ENV: "production" }, maxBuffer: 16 * 1024 * 1024 },
  );
  const app = new Hono()
    .use("*", securityHeaders())
    .route("/", staticRoutes([{ prefix: "/", root: outDir }]));
  server = serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" });
  await once(server, "listening");
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`;
  browser = await launchChromium();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  server?.close();
  if (work !== "") rmSync(work, { recursive: true, force: true });
});

async function open(): Promise<{ page: Page; watch: Watch; close: () => Promise<void> }> {
  const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const watch = await watchContext(context);
  const page = await context.newPage();
  await page.goto(url);
  await page.getByRole("heading", { level: 1, name: "Onderdelen" }).waitFor();
  return { page, watch, close: () => context.close() };
}

describe.skipIf(!chromiumAvailable())("packages/ui components in Chromium", () => {
  it("LongText collapses a long message and shows all of it on request; dir=auto", async () => {
    const { page, watch, close } = await open();
    const long = page.locator(".long-text").first();
    const toggle = long.getByRole("button", { name: "Toon alles" });
    expect(await toggle.getAttribute("aria-expanded")).toBe("false");
    const short = await visibleText(long.locator("p"));
    expect(short).toContain("Regel 5 van een lang bericht.");
    expect(short).not.toContain("Regel 6 ");
    await toggle.click();
    const all = await visibleText(long.locator("p"));
    expect(all).toContain("Regel 40 van een lang bericht.");
    const less = long.getByRole("button", { name: "Toon minder" });
    expect(await less.getAttribute("aria-expanded")).toBe("true");
    await less.click();
    expect(await visibleText(long.locator("p"))).not.toContain("Regel 40");
    // A short message has no button; an Arabic one reads right to left.
    const arabic = page.locator("p.arabic");
    expect(await arabic.getAttribute("dir")).toBe("auto");
    expect(await arabic.evaluate((p) => getComputedStyle(p).direction)).toBe("rtl");
    expect(await page.locator(".long-text").nth(1).getByRole("button").count()).toBe(0);
    await collectCsp(page, watch);
    expect(watch.problems()).toEqual([]);
    await close();
  });

  it("Dialog is modal: its 'above' slot works, Tab stays inside, Escape closes and focus returns", async () => {
    const { page, watch, close } = await open();
    await page.locator("#opener").click();
    const dialog = page.getByRole("dialog", { name: "Zeker weten?" });
    await dialog.waitFor();
    expect(await page.evaluate(() => document.querySelector("dialog")?.matches(":modal"))).toBe(true);
    // The page behind is inert: nothing there can take focus or a click.
    expect(
      await page.evaluate(() => {
        document.getElementById("opener")?.focus();
        return document.activeElement?.id;
      }),
    ).not.toBe("opener");
    for (let i = 0; i < 6; i++) {
      await page.keyboard.press("Tab");
      const inside = await page.evaluate(
        () => document.activeElement === document.body || document.activeElement?.closest("dialog") !== null,
      );
      expect(inside).toBe(true);
    }
    expect(await dialog.locator("#above").isVisible()).toBe(true);
    await dialog.locator("#above").click();
    expect(await dialog.isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.keyboard.press("Escape");
    await expect.poll(() => dialog.isVisible()).toBe(false);
    expect(await visibleText(page.locator("#closed-by"))).toBe("gesloten");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("opener");
    // Closed by its own button too.
    await page.locator("#opener").click();
    await dialog.locator("#no").click();
    await expect.poll(() => dialog.isVisible()).toBe(false);
    await collectCsp(page, watch);
    expect(watch.problems()).toEqual([]);
    await close();
  });

  it("ActionError brings a refusal below the fold into view, as an alert; counter and progress", async () => {
    const { page, watch, close } = await open();
    await page.evaluate(() => {
      window.scrollTo(0, 0);
      document.getElementById("refuse")?.click();
    });
    const refusal = page.locator("#refusal");
    expect(await refusal.getAttribute("role")).toBe("alert");
    await expect
      .poll(() =>
        refusal.evaluate((el) => {
          const r = el.getBoundingClientRect();
          return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
        }),
      )
      .toBe(true);
    expect(await visibleText(refusal)).toBe("Er is niets verstuurd. Probeer het later opnieuw.");

    await page.evaluate(() => window.scrollTo(0, 0));
    const box = page.getByLabel("Bericht");
    await box.fill("twaalf tekens");
    expect(await visibleText(page.locator("#box-count"))).toBe("13 van 10 tekens");
    expect(await page.locator("#box-count").getAttribute("class")).toContain("over");
    await page.getByRole("alert").filter({ hasText: "3 te veel (hoogstens 10)" }).waitFor();
    await box.fill("kort");
    expect(await page.locator(".counter-over").count()).toBe(0);
    expect(await page.locator("progress").evaluate((p) => (p as HTMLProgressElement).value)).toBe(3);
    expect(await visibleText(page.getByRole("status").filter({ hasText: "3 van 4 klaar" }))).toBe(
      "3 van 4 klaar",
    );
    expect(await axeViolations(page)).toEqual([]);
    await collectCsp(page, watch);
    expect(watch.problems()).toEqual([]);
    await close();
  });
});
