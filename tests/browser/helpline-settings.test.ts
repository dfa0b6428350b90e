/**
 * Helpline settings and crisis options (slice D: issue 11 item 3, issue 10 items 5 and 8) in Chromium:
 * - the help-seeker app shows a crisis block on every screen, at phone size (390x844): the app's own
 *   112 / 113 / Veilig Thuis until a helpline signs its own, then the signed ones; the quick exit goes to
 *   the signed destination; axe-clean;
 * - a hostile server that swaps a signed crisis number or the exit destination (and lists its own
 *   unsigned ones) is refused: the helpline is not shown, the crisis block keeps the app's own numbers
 *   and the quick exit goes to the build's destination, never the server's;
 * - the supervisor's settings screen: crisis options and exit signed with the profile, retention and
 *   lock saved and audited, the operator's proposal offered and signed only after adopting it; axe in
 *   Dutch and English.
 */
import { type StaffSession, signInStaff } from "@briefgeheim/client";
import { fromBase64, loadSodium, parseHelplineProfile, type Sodium, toBase64 } from "@briefgeheim/crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { setHelplineSettings } from "../../apps/api/src/operator-settings.js";
import { axeViolations, chromiumAvailable, launchChromium, watchContext } from "./support/browser.js";
import { axeBothLanguages, menu, signInInPage } from "./support/staff-pages.js";
import { type StaffWorld, startStaffWorld } from "./support/staff-world.js";
import { HELPLINE, SUPERVISOR, startWorld, type World } from "./support/world.js";

const BUILD_EXIT = "https://www.buienradar.nl/";
const SIGNED_EXIT = "https://www.nu.nl/";
const SIGNED_CRISIS = [
  { kind: "phone" as const, labelNl: "Kindertelefoon", labelEn: "Child helpline", target: "0800-0432" },
  { kind: "url" as const, labelNl: "Chat met 113", labelEn: "Chat with 113", target: "https://www.113.nl/" },
];
const PHONE = { viewport: { width: 390, height: 844 }, locale: "nl-NL", hasTouch: true, isMobile: true };

let browser: Browser;
let sodium: Sodium;

/** Answers visits to the neutral sites locally (no internet needed). */
async function routeExits(context: BrowserContext): Promise<void> {
  for (const url of [BUILD_EXIT, SIGNED_EXIT, "https://www.xu.nl/"]) {
    await context.route(`${url}**`, (route) =>
      route.fulfill({ status: 200, contentType: "text/html", body: "<!doctype html><title>Elders</title>" }),
    );
  }
}

const crisisHrefs = (page: Page) =>
  page
    .getByTestId("crisis")
    .locator("a")
    .evaluateAll((links) => links.map((a) => a.getAttribute("href")));

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  [browser, sodium] = await Promise.all([launchChromium(), loadSodium()]);
}, 60_000);
afterAll(async () => {
  await browser?.close();
});

describe.skipIf(!chromiumAvailable())("help-seeker app: crisis block and quick-exit destination", () => {
  let world: World;
  let sup: StaffSession;
  beforeAll(async () => {
    world = await startWorld();
    sup = await signInStaff(await world.client(), SUPERVISOR);
  }, 240_000);
  afterAll(async () => {
    await world?.close();
  });

  it("shows the app's own crisis options on every screen until the helpline signs its own (axe-clean)", async () => {
    const context = await browser.newContext(PHONE);
    const watch = await watchContext(context);
    const page = await context.newPage();
    for (const route of ["#/", "#/return", "#/safety", `#/h/${HELPLINE.slug}`]) {
      await page.goto(`${world.origin}/${route}`);
      await page.getByRole("heading", { level: 1 }).first().waitFor();
      await page.getByTestId("crisis").getByText("Direct hulp nodig?").waitFor();
      // The world's profile v1 was signed at the invite without crisis options: the built-in ones.
      await expect.poll(() => crisisHrefs(page)).toEqual(["tel:112", "tel:08000113", "tel:08002000"]);
    }
    expect(await page.getByTestId("crisis").textContent()).toContain("113 Zelfmoordpreventie");
    expect(await axeViolations(page)).toEqual([]);
    expect(watch.problems()).toEqual([]);
    await context.close();
  });

  it("shows the signed crisis options and leaves for the signed destination once the helpline signs them", async () => {
    const { fields } = await sup.helplineProfile();
    const published = await sup.publishHelplineProfile({
      ...fields,
      crisisOptions: SIGNED_CRISIS,
      exitUrl: SIGNED_EXIT,
    });
    expect([published.type, published.profileVersion]).toEqual([0x0b, 2]);

    const context = await browser.newContext(PHONE);
    await routeExits(context);
    const page = await context.newPage();
    await page.goto(`${world.origin}/#/h/${HELPLINE.slug}`);
    await page.getByRole("heading", { level: 1, name: HELPLINE.name }).waitFor({ timeout: 30_000 });
    await expect.poll(() => crisisHrefs(page)).toEqual(["tel:08000432", "https://www.113.nl/"]);
    const chat = page.getByTestId("crisis").getByRole("link", { name: /Chat met 113/ });
    expect([await chat.getAttribute("target"), await chat.getAttribute("rel")]).toEqual([
      "_blank",
      "noopener noreferrer",
    ]);
    expect(await axeViolations(page)).toEqual([]);
    // English: the English labels the helpline signed.
    await page.locator("button.lang-switch").click();
    await page.getByTestId("crisis").getByText("Child helpline").waitFor();
    await page.locator("button.lang-switch").click();
    // The quick exit, by tap as on a phone, goes where the helpline signed.
    await Promise.all([page.waitForURL(SIGNED_EXIT), page.getByRole("button", { name: /^Snel weg/ }).tap()]);
    expect(page.url()).toBe(SIGNED_EXIT);
    await context.close();
  });

  it("a hostile server that swaps the signed number or exit is refused: the app keeps its own", async () => {
    const context = await browser.newContext(PHONE);
    await routeExits(context);
    // The server alters the signed profile (a crisis number and the exit host, same lengths, still
    // well-formed) and lists its own unsigned crisis options and exit beside it.
    await context.route("**/api/helplines?**", async (route) => {
      const response = await route.fetch();
      const body = (await response.json()) as { helplines: Record<string, unknown>[] };
      for (const h of body.helplines) {
        if (typeof h.profile !== "string") continue;
        const bytes = fromBase64(sodium, h.profile);
        const text = Buffer.from(bytes).toString("latin1");
        const swapped = Buffer.from(
          text.replace("0800-0432", "0900-6666").replace("www.nu.nl", "www.xu.nl"),
          "latin1",
        );
        expect(parseHelplineProfile(sodium, new Uint8Array(swapped)).crisisOptions[0]?.target).toBe(
          "0900-6666",
        );
        h.profile = toBase64(sodium, new Uint8Array(swapped));
        h.crisisOptions = [{ kind: "phone", labelNl: "Bel ons", labelEn: "Call us", target: "0900-6666" }];
        h.exitUrl = "https://www.xu.nl/";
      }
      await route.fulfill({ response, json: body });
    });
    const page = await context.newPage();
    await page.goto(`${world.origin}/#/h/${HELPLINE.slug}`);
    await page.getByRole("alert").waitFor({ timeout: 30_000 });
    expect(await page.getByRole("heading", { level: 1 }).textContent()).toBe(
      "Deze hulplijn bestaat niet (meer).",
    );
    await expect.poll(() => crisisHrefs(page)).toEqual(["tel:112", "tel:08000113", "tel:08002000"]);
    expect(await page.locator("body").textContent()).not.toContain("0900-6666");
    await Promise.all([page.waitForURL(BUILD_EXIT), page.getByRole("button", { name: /^Snel weg/ }).tap()]);
    expect(page.url()).toBe(BUILD_EXIT);
    await context.close();
  });
});

describe.skipIf(!chromiumAvailable())("staff app: the supervisor's settings screen", () => {
  let world: StaffWorld;
  const SANNE = {
    username: "sanne",
    displayName: "Sanne",
    passphrase: "zeven vrolijke zeilboten op de Waal",
  };
  beforeAll(async () => {
    world = await startStaffWorld();
    const hl = await world.createHelpline({
      slug: "nachtlijn",
      name: "De Nachtlijn",
      tag: 5,
      replyHours: 72,
    });
    const { acceptInvite } = await import("@briefgeheim/client");
    await acceptInvite(await world.client({ trustOnFirstUse: true }), hl.token, SANNE);
    await world.serveApp({ trustOnFirstUse: true });
  }, 240_000);
  afterAll(async () => {
    await world?.close();
  });

  it("signs crisis options and exit with the profile, saves retention and lock, adopts the operator's proposal", async () => {
    const context = await browser.newContext({ locale: "nl-NL" });
    const watch = await watchContext(context);
    const page = await context.newPage();
    await page.goto(`${world.origin}/staff/`);
    await signInInPage(page, SANNE);
    await page.getByRole("heading", { name: "Postvak" }).waitFor({ timeout: 60_000 });
    await menu(page, "Hulplijn");
    await page.getByTestId("profile-open").waitFor();
    await page.getByTestId("crisis-empty").waitFor();
    const axe = await axeBothLanguages(page, "settings (empty)");

    // Crisis options: the defaults, plus a chat page; and a quick-exit destination.
    await page.getByRole("button", { name: "112, 113 en Veilig Thuis invullen" }).click();
    await page.getByRole("button", { name: "Crisishulp toevoegen" }).click();
    const fourth = page.getByRole("group", { name: "Crisishulp 4" });
    await fourth.getByLabel("Soort").selectOption("url");
    await fourth.getByLabel("Tekst (Nederlands)").fill("Chat met 113");
    await fourth.getByLabel("Tekst (Engels)").fill("Chat with 113");
    await fourth.getByLabel("Adres (begint met https://)").fill("https://www.113.nl/");
    await page.getByLabel("Snel weg: naar deze website").fill(SIGNED_EXIT);
    axe.push(...(await axeBothLanguages(page, "settings (filled)")));
    await page.getByRole("button", { name: "Ondertekenen en publiceren" }).click();
    await page.getByText("Versie 2 is ondertekend en gepubliceerd.").waitFor({ timeout: 30_000 });

    // What the server now lists verifies as the supervisor's 0x0b profile with exactly these options.
    const staff = await signInStaff(await world.client({ trustOnFirstUse: true }), SANNE);
    const signed = (await staff.helplineProfile()).current!;
    expect([signed.type, signed.profileVersion, signed.exitUrl]).toEqual([0x0b, 2, SIGNED_EXIT]);
    expect(signed.crisisOptions.map((o) => o.target)).toEqual([
      "112",
      "0800-0113",
      "0800-2000",
      "https://www.113.nl/",
    ]);

    // Retention and lock: saved by the server, audited.
    await page.getByLabel("Gesprekken bewaren na het laatste bericht (dagen)").fill("90");
    await page.getByLabel("Automatisch vergrendelen na (minuten zonder activiteit)").fill("10");
    await page.getByRole("button", { name: "Instellingen opslaan" }).click();
    await page.getByText("De instellingen zijn opgeslagen en staan in het auditlog.").waitFor();
    const audit = await staff.audit();
    const change = audit.entries.find((e) => e.action === "settings-changed");
    expect(change?.details).toMatchObject({ retentionDays: 90, lockAfterMinutes: 10 });

    // The operator proposes a shorter reply time and an English description: offered, signed only after adopting.
    await setHelplineSettings(
      world.db,
      "nachtlijn",
      { replyTimeHours: 24, descriptionEn: "Write to us at night." },
      {
        writer: world.writer,
      },
    );
    await menu(page, "Postvak");
    await menu(page, "Hulplijn");
    const proposal = page.getByTestId("proposal");
    await proposal.waitFor();
    expect(await proposal.textContent()).toContain("Anders: beschrijving (Engels), antwoordtijd.");
    expect((await staff.helplineProfile()).current!.replyWithinHours).toBe(72); // nothing signed yet
    axe.push(...(await axeBothLanguages(page, "settings (proposal)")));
    await proposal.getByRole("button", { name: "Voorstel in het formulier zetten" }).click();
    expect(await page.getByLabel("Antwoord binnen (uren)").inputValue()).toBe("24");
    await page.getByRole("button", { name: "Ondertekenen en publiceren" }).click();
    await page.getByText("Versie 3 is ondertekend en gepubliceerd.").waitFor({ timeout: 30_000 });
    const v3 = (await staff.helplineProfile()).current!;
    expect([v3.replyWithinHours, v3.descriptionEn, v3.crisisOptions.length]).toEqual([
      24,
      "Write to us at night.",
      4,
    ]);
    await expect.poll(() => page.getByTestId("proposal").count()).toBe(0);

    expect(axe).toEqual([]);
    expect(watch.problems()).toEqual([]);
    await context.close();
  });
});
