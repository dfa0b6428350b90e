/**
 * The optional questions after a first message (issue 13) in Chromium at 390x844: they come one at a
 * time in the sent state, each skipped with one click, axe-clean in Dutch and English; the answers
 * leave the browser only sealed (the request carries no answer id in plaintext, nor in its decoded
 * bytes) and once; the CSP holds and nothing lands in browser storage.
 */
import type { Browser, Request } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  chromiumAvailable,
  collectCsp,
  launchChromium,
  watchContext,
} from "./support/browser.js";
import { storageSnapshot } from "./support/secrets.js";
import { beginWriting, confirmCodeAndSend } from "./support/seeker-pages.js";
import { HELPLINE, startWorld, type World } from "./support/world.js";

const run = chromiumAvailable() ? describe : describe.skip;

run("help-seeker app: questions after the first message", () => {
  let world: World;
  let browser: Browser;

  beforeAll(async () => {
    // The proof of work is not what this test is about: an easy one keeps it short on a busy machine.
    [world, browser] = await Promise.all([
      startWorld({ pow: { baseMaxNumber: 1_000, maxMaxNumber: 1_000 } }),
      launchChromium(),
    ]);
  }, 120_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it("asks one question at a time, skips with one click, sends the answers sealed, once", async () => {
    const context = await browser.newContext({ viewport: { width: 390, height: 844 } });
    const watch = await watchContext(context);
    const page = await context.newPage();
    const surveyPuts: Request[] = [];
    page.on("request", (r) => {
      if (r.method() === "PUT" && r.url().includes("/api/stats/answers/")) surveyPuts.push(r);
    });
    await page.goto(`${world.origin}/#/h/${HELPLINE.slug}`);
    await beginWriting(page);
    await page.getByLabel("Onderwerp").fill("Thuis");
    await page
      .getByLabel("Je bericht")
      .fill(
        "Ik weet niet goed bij wie ik terecht kan. Thuis is het al een tijd onrustig en ik slaap slecht.",
      );
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    await confirmCodeAndSend(page, { timeout: 120_000 });

    const survey = page.locator(".survey");
    await survey
      .getByRole("heading", { name: "Wil je nog een paar vragen beantwoorden?" })
      .waitFor({ timeout: 120_000 });
    expect(await survey.getByText("Vraag 1 van 5").count()).toBe(1);
    const violations = (await axeViolations(page)).map((v) => `[nl] ${v}`);
    await page.locator("button.lang-switch").first().click();
    await page.waitForFunction(() => document.documentElement.lang === "en");
    await survey.getByRole("group", { name: "How old are you?" }).waitFor();
    violations.push(...(await axeViolations(page)).map((v) => `[en] ${v}`));
    await page.locator("button.lang-switch").first().click();
    await page.waitForFunction(() => document.documentElement.lang === "nl");

    // Question 1: an answer; "Volgende" only once one is picked.
    expect(await survey.getByRole("button", { name: "Volgende" }).isDisabled()).toBe(true);
    await survey.getByLabel("16 tot en met 18").check();
    await survey.getByRole("button", { name: "Volgende" }).click();
    // Question 2 skipped with one click; 3 answered; 4 and 5 skipped.
    await survey.getByRole("group", { name: "Wat past het best bij jou?" }).waitFor();
    await survey.getByRole("button", { name: "Overslaan" }).click();
    await survey.getByRole("group", { name: "Waar gaat je bericht vooral over?" }).waitFor();
    await survey.getByLabel("Familie of thuis").check();
    await survey.getByRole("button", { name: "Volgende" }).click();
    await survey.getByRole("group", { name: "Waarom koos je ervoor om te schrijven?" }).waitFor();
    await survey.getByRole("button", { name: "Overslaan" }).click();
    await survey.getByRole("group", { name: "Hoe heb je ons gevonden?" }).waitFor();
    expect(surveyPuts).toEqual([]);
    await survey.getByRole("button", { name: "Overslaan" }).click();
    await survey.getByText("Bedankt voor je antwoorden.").waitFor();

    expect(surveyPuts).toHaveLength(1);
    const body = surveyPuts[0]!.postData() ?? "";
    const record = Buffer.from(JSON.parse(body).record as string, "base64url");
    expect(record[0]).toBe(0x02);
    expect(record[1]).toBe(0x09);
    for (const id of ["16-18", "family", "Familie"]) {
      expect(body.includes(id)).toBe(false);
      expect(record.includes(Buffer.from(id))).toBe(false);
    }
    expect(await (await surveyPuts[0]!.response())?.status()).toBe(200);
    const stored = await storageSnapshot(page);
    expect(JSON.stringify(stored)).not.toContain("16-18");

    await collectCsp(page, watch);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.problems()).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  }, 300_000);
});
