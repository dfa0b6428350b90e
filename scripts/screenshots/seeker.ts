/**
 * `npm run screenshots:seeker`: the help-seeker screens changed by issue 10, at phone and desktop
 * size, into docs/screens/ (linked from docs/SEEKER.md). Runs a whole test deployment (the real API
 * on 127.0.0.1, a temporary database, a pinned build, Debian's Chromium), so it needs no server and
 * leaves nothing behind. The counsellor's reply is written from Node.
 */
import type { ThreadId } from "@briefgeheim/crypto";
import { launchChromium } from "../../tests/browser/support/browser.js";
import { HELPLINE, startWorld } from "../../tests/browser/support/world.js";
import { SIZES, shoot } from "./shoot.js";

const BODY =
  "Ik weet niet goed bij wie ik terecht kan. Thuis is het al een tijd erg onrustig en ik slaap slecht. Kan ik hier mijn verhaal kwijt?";

const world = await startWorld();
const browser = await launchChromium();
try {
  const context = await browser.newContext({ viewport: SIZES.phone });
  await context.route("https://www.buienradar.nl/**", (route) => route.fulfill({ status: 200, body: "" }));
  const page = await context.newPage();

  await page.goto(`${world.origin}/#/`);
  await page.locator(".ok-note").first().waitFor();
  await shoot(page, "seeker-start");

  await page.goto(`${world.origin}/#/h/${HELPLINE.slug}`);
  await page.waitForFunction(() =>
    [...document.querySelectorAll("button")].some(
      (b) => b.textContent === "Begin met schrijven" && !b.disabled,
    ),
  );
  await page
    .locator("details.technical")
    .first()
    .evaluate((d) => {
      (d as HTMLDetailsElement).open = true;
    });
  await shoot(page, "seeker-helpline-details");

  await page.getByRole("button", { name: "Begin met schrijven" }).click();
  await page.getByLabel("Onderwerp").fill("Thuis");
  await page.getByLabel("Je bericht").fill(BODY);
  await shoot(page, "seeker-write");

  await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
  await page.locator(".code .group").nth(5).waitFor({ timeout: 30_000 });
  const groups = await page.locator(".code .group").allInnerTexts();
  await shoot(page, "seeker-code");
  for (const label of await page.locator(".group-fields label").allInnerTexts()) {
    const n = Number(/(\d)$/.exec(label)?.[1]);
    await page.getByLabel(label).fill(groups[n - 1]!);
  }
  await page.getByRole("button", { name: "Klopt: verstuur mijn bericht" }).click();
  await page.locator(".sent-state").waitFor({ timeout: 30_000 });
  await page.locator("#sent-title").evaluate((h) => (h as HTMLElement).blur());
  await shoot(page, "seeker-sent");

  const anna = await world.counsellor();
  const [thread] = await anna.listThreads("intake");
  await anna.claim(thread!.id as ThreadId);
  await anna.reply(
    thread!.id as ThreadId,
    "Fijn dat je schrijft. Ik ben Anna. Wil je vertellen wat er thuis gebeurt? Je mag zelf bepalen wat je deelt.",
  );
  await page.getByRole("button", { name: "Nieuwe berichten ophalen" }).click();
  await page.getByText("Ik ben Anna").waitFor();
  await page.getByRole("button", { name: "Nog een bericht schrijven" }).click();
  await page.getByLabel("Je bericht").fill("مرحبا، شكرا على ردك");
  await page.locator("h1").focus();
  await shoot(page, "seeker-conversation");

  await page.getByRole("button", { name: "Gesprek verwijderen" }).click();
  await page.getByRole("dialog").waitFor();
  await shoot(page, "seeker-delete-dialog");
  await page.getByRole("button", { name: "Nee, niet verwijderen" }).click();

  // Leaving with unsent text, then coming back: what the app says after a reload.
  page.once("dialog", (d) => void d.accept());
  await page.reload();
  await page.getByText("De pagina is opnieuw geopend").waitFor();
  await shoot(page, "seeker-after-reload");
  await context.close();
  console.log(`screenshots written to docs/screens/`);
} finally {
  await browser.close();
  await world.close();
}
