/**
 * Issue 9 in the help-seeker app (Chromium, production build, real API): the limit is shown before
 * sending (a character counter by the text box), a text over it is refused next to the button; the
 * proof of work is invisible at idle and shows its progress under load; a quota refusal (429 with its
 * wait) becomes one plain sentence next to the button, announced (role="alert"). Also prints the
 * proof of work's solve time in Chromium at the idle difficulty (docs/PERFORMANCE.md).
 */
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  launchChromium,
  noDraftYet,
  visibleText,
  watchContext,
} from "./support/browser.js";
import { beginWriting, confirmCodeAndSend } from "./support/seeker-pages.js";
import { HELPLINE, startWorld, type World } from "./support/world.js";

const BODY =
  "Ik weet niet goed bij wie ik terecht kan. Thuis is het al een tijd erg onrustig en ik slaap slecht.";

let world: World;
let browser: Browser;
let load = 0;

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  [world, browser] = await Promise.all([
    startWorld({
      pow: {
        load: () => load,
        // Under load the secret number is the top of the range, so the work always takes long enough
        // for its progress line to appear (a uniform pick finishes within 400 ms about 6% of the time).
        pickNumber: (max) => (load > 0 ? max : Math.floor(Math.random() * (max + 1))),
      },
      quotas: { addressConversations: 1 },
    }),
    launchChromium(),
  ]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

/** Milliseconds between the challenge's answer and the request that carries the solution. */
function solveTimer(page: Page, purpose: string, next: RegExp): Promise<number> {
  return new Promise((resolve) => {
    let got: number | undefined;
    page.on("response", (r) => {
      if (r.url().includes(`/api/pow/challenge?purpose=${purpose}`)) got = performance.now();
    });
    page.on("request", (r) => {
      if (got !== undefined && r.method() === "POST" && next.test(new URL(r.url()).pathname)) {
        resolve(performance.now() - got);
        got = undefined;
      }
    });
  });
}

async function toWrite(page: Page): Promise<void> {
  await page.goto(`${world.origin}/#/h/${HELPLINE.slug}`);
  await beginWriting(page);
  await page.getByRole("heading", { level: 1, name: `Je bericht aan ${HELPLINE.name}` }).waitFor();
}

/** The ceremony: wait for the code, type the two groups back, press send. */
async function confirmCode(page: Page): Promise<void> {
  await page.getByRole("heading", { level: 1, name: "Jouw code" }).waitFor();
  await confirmCodeAndSend(page);
}

describe.skipIf(!chromiumAvailable())("limits and refusals in the help-seeker app", () => {
  it("shows the counter, refuses a too long text by the button, and shows the work's progress under load", async () => {
    const context = await browser.newContext();
    const watch = await watchContext(context);
    const page = await context.newPage();
    const signInSolve = solveTimer(page, "seeker-sign-in", /^\/api\/auth\/challenge$/);
    await toWrite(page);

    const field = page.getByLabel("Je bericht");
    expect(await field.getAttribute("aria-describedby")).toContain("body-count");
    expect(await visibleText(page.locator("#body-count"))).toBe("0 van 20.000 tekens");
    await page.getByLabel("Onderwerp").fill("Thuis");
    await field.fill("a".repeat(20_001));
    expect(await visibleText(page.locator("#body-count"))).toBe("20.001 van 20.000 tekens");
    await page.getByRole("alert").filter({ hasText: "1 teken te veel" }).waitFor();
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    const refusal = page.locator("#send-error");
    expect(await refusal.getAttribute("role")).toBe("alert");
    expect(await visibleText(refusal)).toBe(
      "Je bericht is te lang om te versturen. Maak het korter, tot hoogstens 20.000 tekens.",
    );
    // The sentence sits next to the button it answers.
    expect(
      await refusal.evaluate((p) => p.previousElementSibling?.previousElementSibling?.className ?? ""),
    ).toContain("actions");

    await field.fill(BODY);
    expect(await visibleText(refusal)).toBe("");
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    // At idle the work is invisible: no progress line appears while the code is made.
    const ms = await signInSolve;
    console.log(`pow-solve-ms chromium seeker-sign-in maxnumber=20000 ${ms.toFixed(0)}`);
    expect(ms).toBeLessThan(5_000);

    // Under load (64 times the idle difficulty) the progress shows by the send button.
    load = 1_800;
    const openSolve = solveTimer(page, "open-thread", /^\/api\/threads$/);
    await confirmCode(page);
    const progress = page.locator(".work progress");
    await progress.waitFor({ timeout: 30_000 });
    expect(await visibleText(page.locator(".work"))).toMatch(
      /Even geduld: je browser doet een kleine rekenklus die misbruik van de hulplijn tegengaat \(\d+%\)\./,
    );
    expect(await page.locator(".work").getAttribute("role")).toBe("status");
    await page
      .getByRole("heading", { level: 1, name: `Je gesprek met ${HELPLINE.name}` })
      .waitFor({ timeout: 120_000 });
    console.log(`pow-solve-ms chromium open-thread maxnumber=1280000 ${(await openSolve).toFixed(0)}`);
    load = 0;
    expect(watch.problems()).toEqual([]);
    await context.close();
  }, 240_000);

  it("a quota refusal (429 with its wait) is one sentence next to the button; the idle work takes well under a second", async () => {
    load = 0;
    const context = await browser.newContext();
    // The 429 is the answer under test; Chromium logs it as a failed resource.
    const watch = await watchContext(
      context,
      (url, status) =>
        noDraftYet(url, status) || (status === 429 && new URL(url).pathname === "/api/threads"),
    );
    const page = await context.newPage();
    await toWrite(page);
    await page.getByLabel("Je bericht").fill(BODY);
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    const openSolve = solveTimer(page, "open-thread", /^\/api\/threads$/);
    await confirmCode(page);
    const refusal = page.locator("#send-error");
    await page.getByRole("alert").filter({ hasText: "Er is vandaag al veel verstuurd" }).waitFor();
    expect(await visibleText(refusal)).toBe(
      "Er is vandaag al veel verstuurd vanaf deze verbinding of in dit gesprek. Er is niets verstuurd. Je kunt weer schrijven over ongeveer 24 uur.",
    );
    const ms = await openSolve;
    console.log(`pow-solve-ms chromium open-thread maxnumber=20000 ${ms.toFixed(0)}`);
    expect(ms).toBeLessThan(1_000);
    // The button is usable again, the code screen still there (nothing was sent).
    expect(await page.getByRole("button", { name: "Klopt: verstuur mijn bericht" }).isEnabled()).toBe(true);
    expect(watch.problems()).toEqual([]);
    await context.close();
  }, 240_000);
});
