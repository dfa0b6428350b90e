/**
 * Issue 10, the help-seeker's everyday use, in Chromium at phone size (390x844), against the real API
 * and a pinned build:
 * - nothing unsent is lost: Back and reload with unsent text (or a new code on screen) ask first (the
 *   browser's leave prompt); in-app navigation keeps the text; after a reload the app says what
 *   happened; nothing of the text reaches storage, the URL or the history entry; no prompt when
 *   nothing is unsent;
 * - the "sent" state after the first message (when an answer can be expected, "Nog een bericht
 *   schrijven"), in the viewport; `dir="auto"` on the inputs and the messages (an Arabic line);
 * - a refused reply: its sentence is next to the button, announced, and inside the viewport;
 * - the quick exit by tap on a touch screen while the delete dialog is open; the phone's hint
 *   mentions no keys.
 */
import type { Browser, BrowserContext, Dialog, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  collectCsp,
  launchChromium,
  visibleText,
  type Watch,
  watchContext,
} from "./support/browser.js";
import { storageSnapshot } from "./support/secrets.js";
import { beginWriting, confirmCodeAndSend } from "./support/seeker-pages.js";
import { HELPLINE, startWorld, type World } from "./support/world.js";

const PHONE = { width: 390, height: 844 };
const EXIT_URL = "https://www.buienradar.nl/";
const BODY =
  "Ik weet niet goed bij wie ik terecht kan. Thuis is het al een tijd onrustig en ik slaap slecht.";
const ARABIC = "مرحبا، أحتاج إلى المساعدة من فضلكم";

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

async function phone(touch = false): Promise<{ context: BrowserContext; page: Page; watch: Watch }> {
  const context = await browser.newContext({
    viewport: PHONE,
    ...(touch ? { hasTouch: true, isMobile: true } : {}),
  });
  await context.route(`${EXIT_URL}**`, (route) =>
    route.fulfill({
      status: 200,
      contentType: "text/html",
      body: "<!doctype html><title>Weer</title><p>Het weer</p>",
    }),
  );
  const watch = await watchContext(context);
  return { context, page: await context.newPage(), watch };
}

async function openWriting(page: Page): Promise<void> {
  await page.goto(`${world.origin}/#/h/${HELPLINE.slug}`);
  await beginWriting(page);
  await page.getByRole("heading", { level: 1, name: `Je bericht aan ${HELPLINE.name}` }).waitFor();
}

/** Starts a navigation that the page may hold up with its leave prompt; resolves with the prompt. */
async function promptOn(page: Page, navigate: () => Promise<unknown>): Promise<Dialog> {
  const prompt = page.waitForEvent("dialog", { timeout: 10_000 });
  const done = navigate().catch(() => undefined);
  const dialog = await prompt;
  return Object.assign(dialog, { done });
}

/** True when the whole element is inside the viewport. */
async function inViewport(page: Page, selector: string): Promise<boolean> {
  return page.locator(selector).evaluate((el) => {
    const r = el.getBoundingClientRect();
    return r.height > 0 && r.top >= 0 && r.bottom <= window.innerHeight;
  });
}

describe.skipIf(!chromiumAvailable())("help-seeker everyday use at 390x844", () => {
  it("Back and reload with unsent text ask first; in-app navigation keeps it; after reload the app says so", async () => {
    const { context, page, watch } = await phone();
    await page.goto("about:blank");
    await openWriting(page);
    await page.getByLabel("Onderwerp").fill("Thuis");
    await page.getByLabel("Je bericht").click();
    await page.keyboard.type(BODY);

    // In-app navigation: to the start screen and back, the text is still there.
    await page.getByRole("link", { name: "Briefgeheim" }).click();
    await page.getByRole("heading", { level: 1, name: "Schrijf anoniem naar een hulplijn" }).waitFor();
    await page.getByRole("button", { name: "Terug naar je bericht" }).click();
    expect(await page.getByLabel("Je bericht").inputValue()).toBe(BODY);
    await page.getByRole("link", { name: "Veilig internetten" }).click();
    await page.getByRole("heading", { level: 1, name: "Veilig internetten" }).waitFor();
    await page.getByRole("link", { name: "Begin", exact: true }).click();
    await page.getByRole("button", { name: "Terug naar je bericht" }).click();
    expect(await page.getByLabel("Je bericht").inputValue()).toBe(BODY);

    // Reload: the browser's own prompt; staying keeps everything.
    const reload = await promptOn(page, () => page.reload());
    expect(reload.type()).toBe("beforeunload");
    await reload.dismiss();
    expect(await page.getByLabel("Je bericht").inputValue()).toBe(BODY);
    // Back (to the page before the app): the same prompt.
    const back = await promptOn(page, () => page.goBack());
    expect(back.type()).toBe("beforeunload");
    await back.dismiss();
    expect(page.url().startsWith(world.origin)).toBe(true);
    expect(await page.getByLabel("Je bericht").inputValue()).toBe(BODY);

    // Nothing of the text anywhere but the form: not the URL, storage or the history entry.
    expect(page.url()).not.toContain("onrustig");
    expect(await storageSnapshot(page)).toMatchObject({ localStorage: 0, sessionStorage: 0, indexedDb: [] });
    await collectCsp(page, watch);

    // Leaving anyway: after the reload the app says what happened, calmly; the text is gone.
    const leave = await promptOn(page, () => page.reload());
    await leave.accept();
    await page.getByRole("heading", { level: 1, name: "Schrijf anoniem naar een hulplijn" }).waitFor();
    const notice = page.getByRole("status").filter({ hasText: "De pagina is opnieuw geopend" });
    await notice.waitFor();
    expect(await visibleText(notice)).toContain("Je bericht was nog niet verstuurd.");
    expect(await page.evaluate(() => JSON.stringify(history.state))).toBe("null");
    expect(await page.content()).not.toContain("onrustig");

    // Nothing unsent: a reload asks nothing, and says nothing afterwards.
    let prompted = 0;
    page.on("dialog", (d) => {
      prompted++;
      void d.dismiss();
    });
    await page.reload();
    await page.getByRole("heading", { level: 1, name: "Schrijf anoniem naar een hulplijn" }).waitFor();
    expect(prompted).toBe(0);
    expect(await page.getByText("De pagina is opnieuw geopend").count()).toBe(0);
    await collectCsp(page, watch);
    expect(watch.problems()).toEqual([]);
    await context.close();
  });

  it("a new code on screen that was never used asks before leaving, and is named after the reload", async () => {
    const { context, page, watch } = await phone();
    await openWriting(page);
    await page.getByLabel("Onderwerp").fill("Thuis");
    await page.getByLabel("Je bericht").fill(BODY);
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    await page.locator(".code .group").nth(5).waitFor({ timeout: 30_000 });
    const leave = await promptOn(page, () => page.reload());
    expect(leave.type()).toBe("beforeunload");
    await leave.accept();
    const notice = page.getByRole("status").filter({ hasText: "terwijl je code op het scherm stond" });
    await notice.waitFor();
    expect(await page.locator(".code .group").count()).toBe(0);
    await collectCsp(page, watch);
    expect(watch.problems()).toEqual([]);
    await context.close();
  });

  it("the first send ends in a sent state; writing another; dir=auto; a refused reply is said in view", async () => {
    const { context, page, watch } = await phone();
    await openWriting(page);
    for (const field of ["Onderwerp", "Je bericht"]) {
      expect(await page.getByLabel(field).getAttribute("dir")).toBe("auto");
    }
    await page.getByLabel("Onderwerp").fill("Thuis");
    await page.getByLabel("Je bericht").fill(BODY);
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    await confirmCodeAndSend(page);

    // The sent state: plainly sent, when to expect an answer, no notification, write another.
    const sent = page.locator(".sent-state");
    await sent.waitFor({ timeout: 30_000 });
    const text = await visibleText(sent);
    expect(text).toContain("Verstuurd");
    expect(text).toContain("Je bericht is verstuurd. De hulplijn leest het zo snel mogelijk.");
    expect(text).toContain("Antwoord binnen 3 dagen.");
    expect(text).toMatch(/Je krijgt uiterlijk .+ een antwoord\./);
    expect(text).toContain("Kom later terug met je code");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("sent-title");
    expect(await inViewport(page, ".sent-state h2")).toBe(true);
    // Nothing reads as "it failed, write it again": the form waits behind "Nog een bericht schrijven".
    expect(await page.getByText("Schrijf opnieuw").count()).toBe(0);
    expect(await page.locator("#reply").isVisible()).toBe(false);
    expect(await page.locator("li.message .text").first().getAttribute("dir")).toBe("auto");
    expect(await page.locator("main").getByText("Status:").count()).toBe(0);

    await page.getByRole("button", { name: "Nog een bericht schrijven" }).click();
    const reply = page.getByLabel("Je bericht");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("reply");
    expect(await reply.getAttribute("dir")).toBe("auto");
    await page.getByRole("heading", { level: 2, name: "Nog een bericht schrijven" }).waitFor();

    // An Arabic line reads right to left in the conversation.
    await reply.fill(ARABIC);
    await page.getByRole("button", { name: "Versturen", exact: true }).click();
    await page.locator(".sent-state").getByText("Je bericht is verstuurd.").waitFor();
    const arabic = page.locator("li.message .text", { hasText: ARABIC });
    await arabic.waitFor();
    expect(await arabic.getAttribute("dir")).toBe("auto");
    expect(await arabic.evaluate((p) => getComputedStyle(p).direction)).toBe("rtl");

    // A refused reply (the server is busy): one sentence, next to the button, announced, in view.
    await page.getByRole("button", { name: "Nog een bericht schrijven" }).click();
    await page.route("**/api/threads/*/envelopes", (route) =>
      route.request().method() === "POST"
        ? route.fulfill({
            status: 429,
            headers: { "Retry-After": "180", "Content-Type": "application/json" },
            body: JSON.stringify({ error: { code: "RATE_LIMITED", message: "slow down" } }),
          })
        : route.continue(),
    );
    await reply.fill(`${BODY} ${"Nog meer. ".repeat(200)}`);
    await page.getByRole("button", { name: "Versturen", exact: true }).click();
    const refusal = page.locator("#send-error");
    await expect.poll(() => visibleText(refusal)).toContain("Er is niets verstuurd.");
    expect(await refusal.getAttribute("role")).toBe("alert");
    await expect.poll(() => inViewport(page, "#send-error")).toBe(true);
    expect(await reply.inputValue()).toContain(BODY);
    await page.unroute("**/api/threads/*/envelopes");
    await collectCsp(page, watch);
    expect(watch.problems().filter((p) => !p.includes("429"))).toEqual([]);
    await context.close();
  });

  it("quick exit by tap works above the open delete dialog; the phone's hint names no keys", async () => {
    const { context, page, watch } = await phone(true);
    await openWriting(page);
    // The touch hint, not the keyboard one.
    const exit = page.locator("header .quick-exit");
    const hint = await visibleText(exit);
    expect(hint).toContain("Tik op Snel weg");
    expect(hint).not.toMatch(/Esc|Shift/);
    await page.getByLabel("Je bericht").fill(BODY);
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    await confirmCodeAndSend(page, { tap: true });
    await page.locator(".sent-state").waitFor({ timeout: 30_000 });

    await page.getByRole("button", { name: "Gesprek verwijderen" }).tap();
    const dialog = page.getByRole("dialog", { name: "Gesprek verwijderen?" });
    await dialog.waitFor();
    // The page behind the dialog is inert; the quick exit is inside the dialog, in the same place.
    const button = dialog.getByRole("button", { name: /^Snel weg/ });
    const box = await button.boundingBox();
    expect(box).not.toBeNull();
    expect(box!.y).toBeLessThan(60);
    expect(box!.x + box!.width).toBeGreaterThan(PHONE.width - 40);
    const historyBefore = await page.evaluate(() => history.length);
    let prompted = 0;
    page.on("dialog", () => prompted++);
    await Promise.all([
      page.waitForURL(EXIT_URL),
      page.touchscreen.tap(box!.x + box!.width / 2, box!.y + box!.height / 2),
    ]);
    expect(await page.title()).toBe("Weer");
    expect(await page.evaluate(() => history.length)).toBe(historyBefore);
    expect(prompted).toBe(0);
    expect(watch.problems()).toEqual([]);
    await context.close();
  });
});
