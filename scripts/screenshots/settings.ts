/**
 * `npm run screenshots:settings`: the crisis block of the help-seeker app (the helpline's signed
 * options) and the supervisor's helpline settings screen, at phone and desktop size, into
 * docs/screens/ (linked from docs/SEEKER.md and docs/STAFF.md). Runs whole test deployments (the real
 * API on 127.0.0.1, temporary databases, fresh builds, Debian's Chromium); leaves nothing behind.
 */
import { acceptInvite, DEFAULT_CRISIS_OPTIONS, signInStaff } from "@briefgeheim/client";
import { launchChromium } from "../../tests/browser/support/browser.js";
import { menu, signInInPage } from "../../tests/browser/support/staff-pages.js";
import { startStaffWorld } from "../../tests/browser/support/staff-world.js";
import { HELPLINE, SUPERVISOR, startWorld } from "../../tests/browser/support/world.js";
import { SIZES, shoot } from "./shoot.js";

const CHAT = {
  kind: "url",
  labelNl: "Chat met 113",
  labelEn: "Chat with 113",
  target: "https://www.113.nl/",
} as const;

const browser = await launchChromium();
try {
  const world = await startWorld();
  try {
    const sup = await signInStaff(await world.client(), SUPERVISOR);
    const { fields } = await sup.helplineProfile();
    await sup.publishHelplineProfile({ ...fields, crisisOptions: [...DEFAULT_CRISIS_OPTIONS, CHAT] });
    const context = await browser.newContext({ viewport: SIZES.phone });
    const page = await context.newPage();
    await page.goto(`${world.origin}/#/h/${HELPLINE.slug}`);
    await page.getByTestId("crisis").getByText("Chat met 113").waitFor({ timeout: 30_000 });
    await shoot(page, "seeker-crisis");
    await context.close();
  } finally {
    await world.close();
  }

  const staffWorld = await startStaffWorld();
  try {
    const who = {
      username: "sanne",
      displayName: "Sanne",
      passphrase: "zeven vrolijke zeilboten op de Waal",
    };
    const hl = await staffWorld.createHelpline({
      slug: "nachtlijn",
      name: "De Nachtlijn",
      tag: 5,
      replyHours: 72,
    });
    await acceptInvite(await staffWorld.client({ trustOnFirstUse: true }), hl.token, who);
    await staffWorld.serveApp({ trustOnFirstUse: true });
    const context = await browser.newContext({ viewport: SIZES.desktop, locale: "nl-NL" });
    const page = await context.newPage();
    await page.goto(`${staffWorld.origin}/staff/`);
    await signInInPage(page, who);
    await page.getByRole("heading", { name: "Postvak" }).waitFor({ timeout: 60_000 });
    await menu(page, "Hulplijn");
    await page.getByRole("button", { name: "112, 113 en Veilig Thuis invullen" }).click();
    await page.getByLabel("Snel weg: naar deze website").fill("https://www.nu.nl/");
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.getByTestId("crisis-editor").evaluate((e) => e.scrollIntoView({ block: "start" }));
    await shoot(page, "staff-helpline-settings");
    await context.close();
  } finally {
    await staffWorld.close();
  }
} finally {
  await browser.close();
}
