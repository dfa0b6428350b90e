/**
 * Safety of the help-seeker app in Chromium:
 * - a typo in the code is caught before any request is sent (the network is watched);
 * - the quick exit (button, Escape twice, Shift three times) lands on the neutral site with
 *   `location.replace` (history.length does not grow), the server session ends and its cookie is
 *   cleared, and localStorage, sessionStorage, IndexedDB, Cache Storage and service workers stay empty;
 *   typing capitals (Shift + letter) does not trigger it; during an upload it aborts the upload
 *   before the page goes (nothing left on the server but an unfinished upload, nothing in the browser);
 * - after the helpline's minutes of inactivity the app warns, then locks: wiped, signed out;
 * - the production build (`npm run build`, served at `/` by default) carries the strict CSP, caches
 *   hashed assets for good and index.html never, and refuses a helpline whose root it does not pin.
 */

import { startSeeker } from "@briefgeheim/client";
import { generateCode, type HelplineId, loadSodium, parseCode, systemRandom } from "@briefgeheim/crypto";
import type { Browser, BrowserContext, Page, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { LEAFLET } from "./support/attachments-world.js";
import {
  chromiumAvailable,
  collectCsp,
  type ExpectedStatus,
  launchChromium,
  noDraftYet,
  visibleText,
  type Watch,
  watchContext,
} from "./support/browser.js";
import { ensureProductionBuild } from "./support/build.js";
import { cookieNames, storageSnapshot } from "./support/secrets.js";
import { HELPLINE, startWorld, type World } from "./support/world.js";

const EXIT_URL = "https://www.buienradar.nl/";

let world: World;
let browser: Browser;

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  [world, browser] = await Promise.all([startWorld(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** A context whose visits to the neutral site are answered locally (no internet needed). */
async function exitContext(expected?: ExpectedStatus): Promise<{ context: BrowserContext; watch: Watch }> {
  const context = await browser.newContext();
  await context.route(`${EXIT_URL}**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html",
      body: "<!doctype html><title>Weer</title><p>Het weer</p>",
    }),
  );
  return { context, watch: await watchContext(context, expected) };
}

/** A help-seeker with a conversation, made from Node; returns the code. */
async function seekerWithThread(): Promise<string> {
  const seeker = await startSeeker(await world.client(), { helplineId: world.helplineId as HelplineId });
  await seeker.openThread({ subject: "Even iets kwijt", body: "Ik wil graag iets vertellen over thuis." });
  const code = seeker.code;
  await seeker.signOut();
  return code;
}

/** Opens the conversation in the browser with the code (a session and its cookie now exist). */
async function openWithCode(page: Page, code: string): Promise<void> {
  await page.goto(`${world.origin}/#/return`);
  await page.getByLabel("Je code", { exact: true }).fill(code);
  await page.getByRole("button", { name: "Open mijn gesprek" }).click();
  await page
    .getByRole("heading", { level: 1, name: `Je gesprek met ${HELPLINE.name}` })
    .waitFor({ timeout: 30_000 });
  await page.getByText("Ik wil graag iets vertellen over thuis.").waitFor();
}

async function seekerSessions(): Promise<number> {
  const rows = await world.h.query("SELECT count(*) AS n FROM sessions WHERE kind = 'seeker'");
  return Number(rows[0]?.n);
}

describe.skipIf(!chromiumAvailable())("safety of the help-seeker app", () => {
  it("catches a typo in the code before any request, with a helpful message", async () => {
    const context = await browser.newContext();
    const watch = await watchContext(context);
    const page = await context.newPage();
    await page.goto(`${world.origin}/#/return`);
    await page.getByRole("heading", { level: 1, name: "Terug naar je gesprek" }).waitFor();
    await page.waitForLoadState("networkidle"); // the SDK (and libsodium) is loaded after first paint

    // A real code with one character mistyped in its secret part (checked against the SDK's parser).
    const sodium = await loadSodium();
    const code = generateCode(sodium, { helplineTag: HELPLINE.tag, random: systemRandom(sodium) });
    let typo = "";
    for (const c of "0123456789ABCDEFGHJKMNPQRSTVWXYZ") {
      const candidate = `${code.slice(0, 10)}${c}${code.slice(11)}`;
      if (candidate === code) continue;
      try {
        parseCode(sodium, candidate);
      } catch {
        typo = candidate;
        break;
      }
    }
    expect(typo).not.toBe("");

    const before = watch.requests.length;
    const field = page.getByLabel("Je code", { exact: true });
    await field.fill(typo.toLowerCase().replace(/-/g, " "));
    await page.getByRole("button", { name: "Open mijn gesprek" }).click();
    const error = page.getByRole("alert").filter({ hasText: "Deze code klopt niet" });
    await error.waitFor();
    expect(await visibleText(error)).toContain("Er is nog niets verstuurd.");
    expect(await field.getAttribute("aria-invalid")).toBe("true");
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("code");

    // Too short: counted locally, also without a request.
    await field.fill(typo.slice(0, -2));
    await page.getByRole("button", { name: "Open mijn gesprek" }).click();
    await page.getByText("je hebt er 22 ingevuld").waitFor();
    // Not a code at all (U is not in the alphabet).
    await field.fill("UUUU-UUUU-UUUU-UUUU-UUUU-UUUU");
    await page.getByRole("button", { name: "Open mijn gesprek" }).click();
    await page.getByText("tekens die niet in een code voorkomen").waitFor();

    await page.waitForTimeout(300);
    // No request to the API; a script chunk still loading on a busy machine is no request about the code.
    const apiCalls = watch.requests.slice(before).filter((r) => new URL(r.url).pathname.startsWith("/api/"));
    expect(apiCalls).toEqual([]);
    await collectCsp(page, watch);
    expect(watch.problems()).toEqual([]);
    await context.close();
  });

  for (const how of ["button", "Escape twice", "Shift three times"] as const) {
    it(`quick exit (${how}): neutral site, no history entry, session ended, nothing stored`, async () => {
      const code = await seekerWithThread();
      const { context, watch } = await exitContext();
      const page = await context.newPage();
      await openWithCode(page, code);
      expect(await cookieNames(context)).toEqual(["__Host-bg_session"]);
      const sessionsBefore = await seekerSessions();
      expect(sessionsBefore).toBeGreaterThanOrEqual(1);

      // Typing capitals presses Shift too, but never three times in a row: no exit.
      await page.getByLabel("Je bericht").focus();
      for (const key of ["Shift+A", "Shift+B", "Shift+C"]) await page.keyboard.press(key);
      expect(page.url().startsWith(world.origin)).toBe(true);
      expect(await page.getByLabel("Je bericht").inputValue()).toBe("ABC");

      const historyBefore = await page.evaluate(() => history.length);
      const stored = await storageSnapshot(page);
      expect(stored).toEqual({
        localStorage: 0,
        sessionStorage: 0,
        indexedDb: [],
        caches: [],
        serviceWorkers: 0,
        text: "\n",
      });
      await collectCsp(page, watch);

      const trigger = async () => {
        if (how === "button") {
          await page.getByRole("button", { name: /^Snel weg/ }).click();
        } else if (how === "Escape twice") {
          await page.locator("h1").click();
          await page.keyboard.press("Escape");
          await page.getByText("Druk nog 1 keer op Esc").waitFor();
          await page.keyboard.press("Escape");
        } else {
          await page.locator("h1").click();
          await page.keyboard.press("Shift");
          await page.getByText("Druk nog 2 keer op Shift").waitFor();
          await page.keyboard.press("Shift");
          await page.keyboard.press("Shift");
        }
      };
      await Promise.all([page.waitForURL(EXIT_URL), trigger()]);
      expect(page.url()).toBe(EXIT_URL);
      expect(await page.title()).toBe("Weer");
      expect(await page.evaluate(() => history.length)).toBe(historyBefore);

      // The keepalive sign-out reached the server: the session is gone and its cookie cleared.
      await expect.poll(() => seekerSessions(), { timeout: 5_000 }).toBe(sessionsBefore - 1);
      await expect.poll(() => cookieNames(context), { timeout: 5_000 }).toEqual([]);
      const state = await context.storageState({ indexedDB: true });
      expect(state.origins).toEqual([]);
      // Cache Storage and service workers of the app's origin, seen from a fresh page.
      const probe = await context.newPage();
      await probe.goto(`${world.origin}/#/safety`);
      await probe.getByRole("heading", { level: 1, name: "Veilig internetten" }).waitFor();
      expect(
        await probe.evaluate(async () => ({
          caches: await caches.keys(),
          workers: (await navigator.serviceWorker.getRegistrations()).length,
          databases: (await indexedDB.databases()).length,
          local: localStorage.length,
        })),
      ).toEqual({ caches: [], workers: 0, databases: 0, local: 0 });
      expect(watch.problems()).toEqual([]);
      await context.close();
    });
  }

  it("locks after the helpline's minutes of inactivity: warns first, then wipes and signs out", async () => {
    const code = await seekerWithThread();
    const context = await browser.newContext();
    const watch = await watchContext(context);
    const page = await context.newPage();
    await page.clock.install();
    await openWithCode(page, code);
    const sessionsBefore = await seekerSessions();
    await page.getByLabel("Je bericht").fill("half af");

    await page.clock.fastForward("14:10"); // the helpline's default: 15 minutes
    const warning = page.getByRole("alert").filter({ hasText: "Over een minuut sluiten we" });
    await warning.waitFor();
    await warning.getByRole("button", { name: "Ik ben er nog" }).click();
    await page.clock.fastForward("13:30"); // counted again from the click: still open, no warning yet
    expect(await page.getByLabel("Je bericht").inputValue()).toBe("half af");
    expect(await warning.count()).toBe(0);

    await page.clock.fastForward("01:40");
    await page.getByRole("heading", { level: 1, name: "Schrijf anoniem naar een hulplijn" }).waitFor();
    await page.getByText("Je was 15 minuten niet actief.").waitFor();
    const text = await visibleText(page.locator("body"));
    expect(text).not.toContain("Ik wil graag iets vertellen over thuis.");
    expect(text).not.toContain("half af");
    await expect.poll(() => seekerSessions(), { timeout: 5_000 }).toBe(sessionsBefore - 1);
    await expect.poll(() => cookieNames(context), { timeout: 5_000 }).toEqual([]);
    await collectCsp(page, watch);
    expect(watch.problems()).toEqual([]);
    await context.close();
  });

  it("the quick exit during an upload aborts it before the page goes, and keeps nothing", async () => {
    const code = await seekerWithThread();
    // The abort's best-effort delete may reach the server after the sign-out: 401 is a normal answer then.
    const { context, watch } = await exitContext(
      (url, status) =>
        noDraftYet(url, status) ||
        (status === 401 && /^\/api\/attachments\/[^/]+$/.test(new URL(url).pathname)),
    );
    const page = await context.newPage();
    await openWithCode(page, code);

    // A slow network: chunks 0 and 1 of the 5 go through, chunk 2 gets no answer.
    const chunkPuts: string[] = [];
    let held: Request | undefined;
    let underWay: () => void = () => undefined;
    const third = new Promise<void>((resolve) => {
      underWay = resolve;
    });
    await page.route("**/api/attachments/*/chunks/*", (route) => {
      chunkPuts.push(new URL(route.request().url()).pathname);
      if (chunkPuts.length < 3) return route.continue();
      held = route.request();
      underWay();
      return undefined; // never answered: only the page itself can end this request
    });
    // The neutral site answers only once the page has cancelled the held chunk itself: the old page
    // lives until then, so without the abort the exit would never arrive and the test times out.
    let cancelled: () => void = () => undefined;
    const abortedByPage = new Promise<void>((resolve) => {
      cancelled = resolve;
    });
    page.on("requestfailed", (r) => {
      if (r === held) cancelled();
    });
    // Routes added later run first: this one holds the neutral site's answer back.
    await context.route(`${EXIT_URL}**`, async (route) => {
      await abortedByPage;
      await route.fallback();
    });
    await page.getByLabel("Je bericht").fill("Hier is de brief.");
    await page
      .locator("#attach-input")
      .setInputFiles([{ name: "brief.bin", mimeType: "application/octet-stream", buffer: LEAFLET }]);
    await page.getByRole("button", { name: "Versturen", exact: true }).click();
    await third;
    const sessionsBefore = await seekerSessions();
    const sentBefore = watch.requests.length;

    await Promise.all([page.waitForURL(EXIT_URL), page.getByRole("button", { name: /^Snel weg/ }).click()]);
    expect(await page.title()).toBe("Weer");
    // The keepalive sign-out arrives (polled, no sleep).
    await expect.poll(seekerSessions).toBe(sessionsBefore - 1);
    // The upload stopped: no chunk after the held one, no completion, no reply posted.
    expect(chunkPuts.length).toBe(3);
    const later = watch.requests.slice(sentBefore).map((r) => `${r.method} ${new URL(r.url).pathname}`);
    expect(later.filter((r) => /\/chunks\/|\/complete$|^POST \/api\/threads/.test(r))).toEqual([]);
    const id = chunkPuts[0]!.split("/")[3]!;
    const stored = await world.h.query(
      `SELECT complete, (SELECT count(*) FROM attachment_chunks WHERE attachment_id = '${id}') AS n FROM attachments WHERE id = '${id}'`,
    );
    // Either the abort's best-effort delete arrived (no row) or the upload waits, unfinished, for its expiry.
    if (stored.length > 0) expect([Number(stored[0]!.complete), Number(stored[0]!.n)]).toEqual([0, 2]);
    // Nothing of the page is left in the browser's storage.
    expect((await context.storageState({ indexedDB: true })).origins).toEqual([]);
    expect(watch.problems()).toEqual([]);
    await context.close();
  }, 180_000);

  it("the production build: strict CSP, caching, and an unpinned helpline plainly not open yet", async () => {
    const dist = await ensureProductionBuild();
    const prod = await startWorld({ dist });
    try {
      const index = await fetch(`${prod.origin}/`);
      expect(index.status).toBe(200);
      expect(index.headers.get("content-security-policy")).toContain("script-src 'self' 'wasm-unsafe-eval'");
      // The help-seeker app starts no workers (only the staff app's page may, from blob: URLs).
      expect(index.headers.get("content-security-policy")).toContain("worker-src 'none';");
      expect(index.headers.get("cache-control")).toBe("no-cache");
      const html = await index.text();
      expect(html).not.toMatch(/<script(?![^>]*\bsrc=)[^>]*>/); // no inline script
      expect(html).not.toContain("style=");
      const entry = /<script type="module" crossorigin src="([^"]+)"/.exec(html)?.[1];
      expect(entry).toMatch(/^\/assets\/index-[\w-]+\.js$/);
      const asset = await fetch(`${prod.origin}${entry}`, { headers: { "Accept-Encoding": "br" } });
      expect(asset.headers.get("cache-control")).toBe("public, max-age=31536000, immutable");
      expect((await fetch(`${prod.origin}/api/nothing-here`)).status).toBe(404);

      const context = await browser.newContext();
      const watch = await watchContext(context);
      const page = await context.newPage();
      await page.goto(`${prod.origin}/#/h/${HELPLINE.slug}`);
      // Not pinned in this build (the operator has not run `helpline pin` yet): plainly "not open yet",
      // no key words, nothing the server says about the helpline (its name), no way to write.
      await page.getByRole("heading", { level: 1, name: "Nog niet open" }).waitFor();
      await page.getByText("Deze hulplijn is nog niet open. Je kunt hier nog niet schrijven.").waitFor();
      expect(await page.getByText(HELPLINE.name).count()).toBe(0);
      expect(await page.locator("code.fp").count()).toBe(0);
      expect(await page.getByText(/sleutel|vingerafdruk/i).count()).toBe(0);
      expect(await page.getByRole("button", { name: "Begin met schrijven" }).count()).toBe(0);
      // The start page lists it the same way.
      await page.goto(`${prod.origin}/#/`);
      await page.getByRole("heading", { level: 3, name: "Nog niet open" }).waitFor();
      expect(await page.getByText(HELPLINE.name).count()).toBe(0);
      await collectCsp(page, watch);
      expect(watch.problems()).toEqual([]);
      await context.close();
    } finally {
      await prod.close();
    }
  });
});
