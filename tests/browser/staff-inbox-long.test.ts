/**
 * A long inbox in Chromium (issue 14): a counsellor with 160 conversations sees the list at once, only a
 * window of rows is in the page (each says its place in the whole list), scrolling to the end brings the
 * last conversations in, every subject is verified and searchable (coverage 160 of 160), the batch read
 * is used instead of a request per conversation, the verification runs in the crypto workers (which
 * signing out ends), and the screen is axe-clean in both languages. A worker script the server alters
 * is never started: its integrity check fails and the page verifies on its own.
 */
import { describe, expect, it } from "vitest";
import { chromiumAvailable, collectCsp, watchContext } from "./support/browser.js";
import { CASELOAD_PEOPLE } from "./support/staff-caseload.js";
import { useStaffCaseloadWorld } from "./support/staff-caseload-world.js";
import { axeBothLanguages, signInInPage } from "./support/staff-pages.js";

const THREADS = 160; // above the 150 from which the list renders a window of rows
const run = chromiumAvailable() ? describe : describe.skip;

run("staff app: a long inbox", () => {
  const w = useStaffCaseloadWorld(THREADS, { timeout: 900_000 }); // seeding 160 conversations and a build: minutes on a loaded two-core machine

  it("renders a window of rows, verifies every conversation through batch reads, and searches them all", async () => {
    const { world, browser } = w;
    const context = await browser.newContext({ locale: "nl-NL", viewport: { width: 1280, height: 800 } });
    const watch = await watchContext(context);
    const page = await context.newPage();
    const perThread: string[] = [];
    const batches: string[] = [];
    page.on("request", (r) => {
      const path = new URL(r.url()).pathname;
      if (/^\/api\/threads\/[A-Za-z0-9_-]{22}(\/envelopes)?$/.test(path)) perThread.push(path);
      if (path === "/api/threads/read") batches.push(path);
    });
    await page.goto(`${world.origin}/staff/`);
    await signInInPage(page, CASELOAD_PEOPLE.a);
    await page.getByRole("heading", { name: "Postvak" }).waitFor();
    const list = page.getByRole("list", { name: "Mijn gesprekken" });
    await list.locator(".thread-row").first().waitFor();

    // Search covers every conversation once each is verified.
    await page.getByLabel("Zoeken in gesprekken").fill(`Bericht ${THREADS}:`);
    await page
      .getByText(`1 gesprek gevonden (doorzocht: ${THREADS} van ${THREADS}).`)
      .waitFor({ timeout: 120_000 });
    expect(await list.locator(".thread-row").count()).toBe(1);
    await page.getByLabel("Zoeken in gesprekken").fill("");

    // A window of rows, each with its place in the whole list.
    await page.waitForFunction((n) => document.querySelectorAll(".thread-row").length < n, THREADS);
    const rows = list.locator(".thread-row");
    const rendered = await rows.count();
    expect(rendered).toBeGreaterThan(5);
    expect(rendered).toBeLessThan(THREADS);
    expect(await rows.first().getAttribute("aria-posinset")).toBe("1");
    expect(await rows.first().getAttribute("aria-setsize")).toBe(String(THREADS));
    expect(await list.locator(".thread-link .muted").count()).toBe(0);

    // Scrolled to the end, the last conversations are there.
    await page.evaluate(() => window.scrollTo(0, document.body.scrollHeight));
    await page.waitForFunction(
      (n) => document.querySelector(`.thread-row[aria-posinset="${n}"]`) !== null,
      THREADS,
    );
    expect(await list.locator(".thread-row").count()).toBeLessThan(THREADS);

    // Batches of 50, not two requests per conversation.
    expect(perThread).toEqual([]);
    expect(batches.length).toBe(Math.ceil(THREADS / 50));

    // The verification ran in the crypto pool: workers started from a blob: URL of the checked bytes.
    const workers = page.workers();
    expect(workers.length).toBeGreaterThanOrEqual(1);
    expect(workers.every((wk) => wk.url().startsWith("blob:"))).toBe(true);

    const violations = await axeBothLanguages(page, "inbox (160 conversations)");
    await collectCsp(page, watch);
    expect(watch.problems()).toEqual([]);
    expect(violations).toEqual([]);

    // Signing out ends the workers, and with them the keys they were sent.
    const ended = workers.map((wk) => new Promise((resolve) => wk.once("close", resolve)));
    await page.getByRole("button", { name: "Afmelden" }).click();
    await Promise.all(ended);
    expect(page.workers()).toEqual([]);
    await context.close();
  }, 300_000);

  it("a worker script the server alters never runs: no worker starts, the page verifies on its own", async () => {
    const { world, browser } = w;
    const context = await browser.newContext({ locale: "nl-NL" });
    const watch = await watchContext(context);
    const page = await context.newPage();
    // A hostile server (or a file replaced on it) serves the worker with one more statement: a
    // worker that would be handed the member's box key and could answer every job "verified".
    let altered = 0;
    await page.route(/\/staff\/assets\/crypto-worker-[\w-]+\.js$/, async (route) => {
      const response = await route.fetch();
      altered++;
      await route.fulfill({ response, body: `${await response.text()}\n;globalThis.altered = true;` });
    });
    await page.goto(`${world.origin}/staff/`);
    await signInInPage(page, CASELOAD_PEOPLE.a);
    await page.getByRole("heading", { name: "Postvak" }).waitFor();
    await expect.poll(() => altered).toBeGreaterThanOrEqual(1);
    // The first conversations are verified anyway (on the main thread), and no worker was started.
    const first = page.getByRole("list", { name: "Mijn gesprekken" }).locator(".thread-row").first();
    await first.getByRole("button", { name: /Gesprek \d+/ }).waitFor({ timeout: 60_000 });
    expect(page.workers()).toEqual([]);
    // The browser refused the bytes (its SRI error in the console), and nothing else went wrong.
    await collectCsp(page, watch);
    const problems = watch.problems();
    expect(problems.some((p) => /integrity/i.test(p))).toBe(true);
    expect(problems.filter((p) => !/integrity/i.test(p))).toEqual([]);
    await context.close();
  }, 120_000);
});
