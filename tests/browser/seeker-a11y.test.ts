/**
 * Accessibility of every screen of the help-seeker app, in Dutch at desktop width and in English at
 * phone width: axe-core (WCAG 2.x A/AA and best practices) finds no violation, and no page logs a
 * console error, a page error or a CSP violation. The screens: start, helpline page, write, the
 * warnings, the code ceremony, the conversation, the delete confirmation, come back (with a typo),
 * the list of conversations, browsing safely, and the start screen after closing.
 *
 * Set SEEKER_SCREENSHOTS=<folder> to keep a screenshot of every screen.
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import { startSeeker } from "@briefgeheim/client";
import type { ThreadId } from "@briefgeheim/crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  chromiumAvailable,
  collectCsp,
  launchChromium,
  type Watch,
  watchContext,
} from "./support/browser.js";
import { HELPLINE, startWorld, type World } from "./support/world.js";

let world: World;
let browser: Browser;
const SHOTS = process.env.SEEKER_SCREENSHOTS;

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  [world, browser] = await Promise.all([startWorld(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** The texts the walk clicks on, per language (the app's own strings). */
const UI = {
  nl: {
    writeTo: `Schrijf naar ${HELPLINE.name}`,
    start: "Begin met schrijven",
    writeTitle: `Je bericht aan ${HELPLINE.name}`,
    subject: "Onderwerp",
    body: "Je bericht",
    next: "Verder: maak mijn code",
    warnings: "Kijk nog even naar je bericht",
    continueAnyway: "Toch verder",
    codeTitle: "Jouw code",
    send: "Klopt: verstuur mijn bericht",
    conversation: `Je gesprek met ${HELPLINE.name}`,
    delete: "Gesprek verwijderen",
    deleteTitle: "Gesprek verwijderen?",
    keep: "Nee, niet verwijderen",
    returnTitle: "Terug naar je gesprek",
    code: "Je code",
    open: "Open mijn gesprek",
    typo: "Deze code klopt niet",
    threads: "Je gesprekken",
    openThread: "Openen",
    safety: "Veilig internetten",
    signOut: "Afsluiten",
    closed: "Je gesprek is gesloten",
  },
  en: {
    writeTo: `Write to ${HELPLINE.name}`,
    start: "Start writing",
    writeTitle: `Your message to ${HELPLINE.name}`,
    subject: "Subject",
    body: "Your message",
    next: "Next: make my code",
    warnings: "Please have another look at your message",
    continueAnyway: "Continue anyway",
    codeTitle: "Your code",
    send: "Correct: send my message",
    conversation: `Your conversation with ${HELPLINE.name}`,
    delete: "Delete conversation",
    deleteTitle: "Delete this conversation?",
    keep: "No, keep it",
    returnTitle: "Back to your conversation",
    code: "Your code",
    open: "Open my conversation",
    typo: "This code is not right",
    threads: "Your conversations",
    openThread: "Open",
    safety: "Browsing safely",
    signOut: "Close",
    closed: "Your conversation is closed",
  },
} as const;

describe.skipIf(!chromiumAvailable())("accessibility of every screen (axe-core)", () => {
  for (const [lang, viewport] of [
    ["nl", { width: 1280, height: 900 }],
    ["en", { width: 390, height: 844 }],
  ] as const) {
    it(`${lang === "nl" ? "Dutch, desktop" : "English, phone"}: no violations, no errors`, async () => {
      const ui = UI[lang];
      const found: Record<string, string[]> = {};
      const watches: Watch[] = [];
      const check = async (page: Page, screen: string) => {
        await page.waitForTimeout(50); // let focus and live regions settle
        found[screen] = await axeViolations(page);
        if (SHOTS !== undefined) {
          mkdirSync(SHOTS, { recursive: true });
          await page.screenshot({ path: join(SHOTS, `${lang}-${screen}.png`), fullPage: true });
        }
      };
      const english = async (page: Page) => {
        if (lang === "en") await page.getByRole("button", { name: "Switch to English" }).click();
      };

      // First visit: every screen up to the conversation.
      const first = await browser.newContext({ viewport });
      watches.push(await watchContext(first));
      const page = await first.newPage();
      await page.goto(`${world.origin}/`);
      await english(page);
      await page.getByRole("link", { name: ui.writeTo }).waitFor();
      await page.locator("code.fp").first().waitFor({ state: "attached" });
      await check(page, "start");

      await page.getByRole("link", { name: ui.writeTo }).click();
      await page.waitForFunction(
        (name) => [...document.querySelectorAll("button")].some((b) => b.textContent === name && !b.disabled),
        ui.start,
      );
      await check(page, "helpline");

      await page.getByRole("button", { name: ui.start }).click();
      await page.getByRole("heading", { level: 1, name: ui.writeTitle }).waitFor();
      await check(page, "write");
      await page.getByLabel(ui.subject).fill("Vraag");
      await page.getByLabel(ui.body).fill("Kort bericht.");
      await page.getByRole("button", { name: ui.next }).click();
      await page.getByRole("heading", { name: ui.warnings }).waitFor();
      await check(page, "warnings");
      await page.getByRole("button", { name: ui.continueAnyway }).click();

      await page.getByRole("heading", { level: 1, name: ui.codeTitle }).waitFor();
      await page.locator(".code .group").nth(5).waitFor({ timeout: 30_000 });
      await check(page, "ceremony");
      const groups = await page.locator(".code .group").allTextContents();
      const code = groups.join("-");
      const labels = await page.locator(".group-fields label").allTextContents();
      for (const label of labels) {
        const n = Number(/(\d)$/.exec(label)?.[1]);
        await page.getByLabel(label).fill(groups[n - 1]!);
      }
      await page.getByRole("button", { name: ui.send }).click();
      await page.getByRole("heading", { level: 1, name: ui.conversation }).waitFor();
      await check(page, "conversation");
      await page.getByRole("button", { name: ui.delete }).click();
      await page.getByRole("dialog", { name: ui.deleteTitle }).waitFor();
      await check(page, "delete-dialog");
      await page.getByRole("button", { name: ui.keep }).click();
      await collectCsp(page, watches[0]!);
      await first.close();

      // A reply, and a second conversation under the same code (from Node).
      const anna = await world.counsellor();
      for (const t of await anna.listThreads("intake")) {
        await anna.claim(t.id as ThreadId);
        await anna.reply(t.id as ThreadId, "Dank je voor je bericht. Hoe gaat het nu?");
      }
      const seeker = await startSeeker(await world.client(), { code });
      await seeker.openThread({ subject: "Nog iets", body: "Een tweede gesprek, over iets anders." });
      await seeker.signOut();

      // Coming back: a typo first, then the list of conversations, then one of them.
      const second = await browser.newContext({ viewport });
      watches.push(await watchContext(second));
      const back = await second.newPage();
      await back.goto(`${world.origin}/#/return`);
      await english(back);
      await back.getByRole("heading", { level: 1, name: ui.returnTitle }).waitFor();
      await check(back, "return");
      const typo = `${code.slice(0, -1)}${code.endsWith("A") ? "B" : "A"}`;
      await back.getByLabel(ui.code, { exact: true }).fill(typo);
      await back.getByRole("button", { name: ui.open }).click();
      await back.getByText(ui.typo).waitFor();
      await check(back, "return-typo");
      await back.getByLabel(ui.code, { exact: true }).fill(code);
      await back.getByRole("button", { name: ui.open }).click();
      await back.getByRole("heading", { level: 1, name: ui.threads }).waitFor({ timeout: 30_000 });
      await check(back, "threads");
      await back.getByRole("button", { name: ui.openThread }).first().click();
      await back.getByRole("heading", { level: 1, name: ui.conversation }).waitFor();
      await check(back, "conversation-again");

      await back.getByRole("link", { name: ui.safety }).click();
      await back.getByRole("heading", { level: 1, name: ui.safety }).waitFor();
      await check(back, "safety");
      await back.getByRole("button", { name: lang === "nl" ? "Terug" : "Back", exact: true }).click();
      await back.getByRole("heading", { level: 1, name: ui.conversation }).waitFor();
      await back.getByRole("button", { name: ui.signOut, exact: true }).click();
      await back.getByText(ui.closed).waitFor();
      await check(back, "closed");
      await collectCsp(back, watches[1]!);
      await second.close();

      expect(found).toEqual(Object.fromEntries(Object.keys(found).map((k) => [k, []])));
      expect(Object.keys(found)).toHaveLength(13);
      expect(watches.flatMap((w) => w.problems())).toEqual([]);
      // Two Argon2id derivations and 13 screens with axe: about 70 s on a busy shared machine.
    }, 240_000);
  }
});
