/**
 * Staff everyday use (issue 10, staff items 1 and 2; help-seeker item 6) in Chromium, on pinned
 * builds of both apps served by one server:
 * - the supervisor's menu and tab title count who waits (an intake conversation, a person waiting for
 *   admission), without content in the title, and the count goes up without a click;
 * - reassigning has nothing preselected, asks to confirm a summary ("1 gesprek van Anna naar Bram",
 *   "2 gesprekken van Anna naar Bram en Chris"), says its progress in plain words and its outcome with
 *   the right plural;
 * - the help-seeker, back with their code, reads "Je gesprek is overgedragen aan Bram." in the
 *   conversation, and the staff thread shows the handover too;
 * - the print view shows the conversation without the app around it, and printing is recorded in the
 *   audit log (who, which thread) without content.
 * axe-core on the new screens in both languages; no CSP violation.
 */
import { acceptInvite, type SeekerSession, signInStaff, startSeeker } from "@briefgeheim/client";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  axeViolations,
  chromiumAvailable,
  collectCsp,
  launchChromium,
  watchContext,
} from "./support/browser.js";
import { buildSeeker, removeBuild } from "./support/build.js";
import { secretsInRequests } from "./support/secrets.js";
import { CASELOAD_PEOPLE, type Caseload, seedCaseload } from "./support/staff-caseload.js";
import { axeBothLanguages, menu, recoverInPage, signInInPage } from "./support/staff-pages.js";
import { type StaffWorld, startStaffWorld } from "./support/staff-world.js";

/**
 * `BRIEFGEHEIM_SCREENSHOTS=1` also writes the screenshots of docs/STAFF.md (docs/screens/, with the
 * shared `shoot` of scripts/screenshots): the same world as the test, so they show what it checks.
 */
const SCREENSHOTS = process.env.BRIEFGEHEIM_SCREENSHOTS === "1";
async function screenshot(page: Page, name: string, sizes?: ("phone" | "desktop")[]): Promise<void> {
  if (!SCREENSHOTS) return;
  const { shoot } = await import("../../scripts/screenshots/shoot.js");
  await shoot(page, name, sizes);
}

const run = chromiumAvailable() ? describe : describe.skip;
const SOLO = { subject: "Overdracht graag", body: "Ik wil dit aan iemand vertellen die ik kan vertrouwen." };
const TITLE = "Briefgeheim – medewerkers";

run("staff app: counts, reassign confirmation, handover seen by the help-seeker", () => {
  let world: StaffWorld;
  let browser: Browser;
  let caseload: Caseload;
  let solo: SeekerSession;
  let soloThreadId: string;
  let seekerDist: string;
  let page: Page;
  const axe: string[] = [];

  beforeAll(async () => {
    [world, browser] = await Promise.all([startStaffWorld(), launchChromium()]);
    caseload = await seedCaseload(world, 2);
    const client = () => world.client({ pins: caseload.pins });
    // A third conversation of Anna's, of a help-seeker who comes back in the browser.
    solo = await startSeeker(await client(), { helplineId: caseload.helplineId as never });
    const { threadId } = await solo.openThread(SOLO);
    soloThreadId = threadId;
    const anna = await caseload.signIn("a");
    await anna.claim(threadId);
    await anna.signOut();
    // Waiting: one new conversation in the intake, one person for admission.
    const other = await startSeeker(await client(), { helplineId: caseload.helplineId as never });
    await other.openThread({ subject: "Nieuw", body: "Is er iemand die kan lezen wat ik schrijf?" });
    const sup = await caseload.signIn("supervisor");
    const invite = await sup.invite("counsellor");
    await acceptInvite(await client(), invite.token, {
      inviteSecret: invite.secret,
      username: "dirk",
      displayName: "Dirk",
      passphrase: "dirk wacht geduldig op de kade 12",
    });
    await sup.signOut();
    seekerDist = await buildSeeker({ pins: caseload.pins });
    await world.serveApp({ pins: caseload.pins }, seekerDist);
  }, 300_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
    if (seekerDist !== undefined) removeBuild(seekerDist);
  });

  it("counts what waits in the menu and the tab title, and refreshes without a click", async () => {
    const context = await browser.newContext({ locale: "nl-NL" });
    // Playwright's clock in the page: time runs as usual, and the 30-s refresh is reached by jumping
    // ahead instead of waiting for it.
    await context.clock.install();
    const watch = await watchContext(context);
    page = await context.newPage();
    await page.goto(`${world.origin}/staff/`);
    await signInInPage(page, CASELOAD_PEOPLE.supervisor);
    await page.getByRole("heading", { name: "Postvak" }).waitFor();
    const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
    await expect.poll(() => page.title(), { timeout: 20_000 }).toBe(`(2) ${TITLE}`);
    await nav.getByRole("button", { name: /^Postvak\W+1 gesprek wacht op een antwoord$/ }).waitFor();
    await nav.getByRole("button", { name: /^Team\W+1 persoon wacht op toelating$/ }).waitFor();
    // Only the count: no subject, name or text of a conversation.
    expect(await page.title()).not.toContain("Nieuw");

    // Another help-seeker writes; the title follows by itself (the refresh every 30 s), with no click.
    const third = await startSeeker(await world.client({ pins: caseload.pins }), {
      helplineId: caseload.helplineId as never,
    });
    await third.openThread({ subject: "Nog een", body: "Ik weet niet goed hoe ik moet beginnen." });
    expect(await page.title()).toBe(`(2) ${TITLE}`);
    await page.clock.fastForward("00:31");
    await expect.poll(() => page.title(), { timeout: 20_000, interval: 250 }).toBe(`(3) ${TITLE}`);
    await nav.getByRole("button", { name: /^Postvak\W+2 gesprekken wachten op een antwoord$/ }).waitFor();
    // English too, with its own plural; the title keeps the count across the switch.
    await page.locator("button.lang-switch").first().click();
    await expect.poll(() => page.title()).toBe("(3) Briefgeheim – staff");
    await page
      .getByRole("navigation", { name: "Main menu" })
      .getByRole("button", { name: /^Inbox\W+2 conversations waiting for an answer$/ })
      .waitFor();
    await page.locator("button.lang-switch").first().click();
    await expect.poll(() => page.title()).toBe(`(3) ${TITLE}`);
    axe.push(...(await axeBothLanguages(page, "inbox with counts")));
    await screenshot(page, "staff-inbox-counts", ["desktop"]);
    await collectCsp(page, watch);
  }, 180_000);

  it("reassigns one conversation after a confirmed summary, with nothing preselected", async () => {
    await menu(page, "Herverdelen");
    await page.getByLabel("Van hulpverlener").selectOption(caseload.ids.a);
    const whole = page.getByLabel("De hele caseload (3 gesprekken)");
    const selection = page.getByLabel("Een selectie");
    expect(await whole.isChecked()).toBe(false);
    expect(await selection.isChecked()).toBe(false);
    await page.getByLabel(/^Bram/).check();
    await page.getByRole("button", { name: "Herverdelen", exact: true }).last().click();
    await page.getByText("Kies of je de hele caseload of een selectie wilt herverdelen.").waitFor();

    await selection.check();
    await page.getByLabel(new RegExp(SOLO.subject)).check({ timeout: 30_000 });
    await page.getByRole("button", { name: "Herverdelen", exact: true }).last().click();
    const confirm = page.getByTestId("reassign-confirm");
    await confirm.getByText("1 gesprek van Anna naar Bram").waitFor();
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("reassign-confirm-title");
    axe.push(...(await axeBothLanguages(page, "reassign confirmation")));
    await screenshot(page, "staff-reassign-confirm", ["desktop"]);
    // Nothing has moved before the confirmation.
    const sup = await caseload.signIn("supervisor");
    const before = await sup.listThreads("all");
    expect(before.filter((t) => t.assigneeIds.includes(caseload.ids.b))).toEqual([]);
    await confirm.getByRole("button", { name: "Ja, herverdelen" }).click();
    await page.getByText("Klaar: 1 gesprek is overgezet.").waitFor({ timeout: 60_000 });
    expect(await page.locator(".outcome").textContent()).not.toMatch(/1 gesprekken/);
    const after = await sup.listThreads("all");
    expect(after.filter((t) => t.assigneeIds.includes(caseload.ids.b))).toHaveLength(1);
    await sup.signOut();
  });

  it("moves the rest to two counsellors, in plain words and the right plurals", async () => {
    await page.getByLabel("Van hulpverlener").selectOption(caseload.ids.a);
    await page.getByLabel("De hele caseload (2 gesprekken)").check();
    await page.getByLabel(/^Bram/).check();
    await page.getByLabel(/^Chris/).check();
    await page.getByRole("button", { name: "Herverdelen", exact: true }).last().click();
    await page.getByText("2 gesprekken van Anna naar Bram en Chris").waitFor();
    await page.getByText("De gesprekken worden om de beurt verdeeld.").waitFor();
    const phrases: string[] = [];
    await page.exposeFunction("__phrase", (s: string) => phrases.push(s));
    await page.evaluate(() => {
      new MutationObserver(() => {
        const text = document.querySelector(".bulk-progress [role=status]")?.textContent;
        if (text) (window as unknown as { __phrase: (s: string) => void }).__phrase(text);
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });
    await page.getByRole("button", { name: "Ja, herverdelen" }).click();
    await page.getByText("Klaar: 2 gesprekken zijn overgezet.").waitFor({ timeout: 60_000 });
    expect(await page.locator(".bulk-progress progress").getAttribute("value")).toBe("100");
    // Plain words, no technical ones ("Versleutelde sleutels", "0.0 s").
    expect(phrases.join(" ")).not.toMatch(/Versleutelde|sleutels opslaan|\(\d+\.\d s\)/);
    expect(phrases.some((p) => p.startsWith("Gesprekken worden gecontroleerd"))).toBe(true);
    axe.push(...(await axeBothLanguages(page, "reassign (done)")));
    await screenshot(page, "staff-reassign-done", ["desktop"]);
  });

  it("the help-seeker reads the handover in the conversation; the staff thread shows it too", async () => {
    const context = await browser.newContext({ locale: "nl-NL", viewport: { width: 390, height: 844 } });
    const watch = await watchContext(context);
    const seeker = await context.newPage();
    await seeker.goto(`${world.origin}/#/return`);
    await seeker.getByLabel("Je code").fill(solo.code);
    await seeker.getByRole("button", { name: "Open mijn gesprek" }).click();
    await seeker.getByText("Je gesprek is overgedragen aan Bram.").waitFor({ timeout: 30_000 });
    expect(await seeker.locator("li.message").count()).toBe(2);
    expect(await axeViolations(seeker)).toEqual([]);
    await screenshot(seeker, "seeker-handover");
    await collectCsp(seeker, watch);

    const bram = await signInStaff(await world.client({ pins: caseload.pins }), CASELOAD_PEOPLE.b);
    const id = (await bram.listThreads("mine"))[0]!.id;
    const view = await bram.readThread(id as never);
    expect(view.messages.map((m) => m.handover?.displayName ?? null)).toEqual([null, "Bram"]);
    await bram.signOut();

    // Issue 14: a long conversation opens at the newest; earlier messages are shown on request. The
    // help-seeker writes 30 more through the SDK (each reply reads only what is new).
    for (let i = 1; i <= 30; i++) await solo.reply(soloThreadId as never, `Nog iets, deel ${i}.`);
    await menu(page, "Postvak");
    await page
      .getByRole("button", { name: new RegExp(SOLO.subject) })
      .first()
      .click();
    const conversation = page.locator("section.conversation");
    await conversation.getByText("Nog iets, deel 30.").waitFor({ timeout: 30_000 });
    expect(await conversation.locator("li.message").count()).toBe(30);
    expect(await conversation.getByText(SOLO.body).count()).toBe(0);
    const earlier = conversation.getByRole("button", { name: "Eerdere berichten tonen (nog 2)" });
    await earlier.press("Enter");
    await page.getByText("Het gesprek is overgedragen aan Bram.").waitFor({ timeout: 30_000 });
    expect(await conversation.locator("li.message").count()).toBe(32);
    expect(await earlier.count()).toBe(0);
    expect(await page.evaluate(() => document.activeElement?.id)).toBe("conversation-title");
    axe.push(...(await axeBothLanguages(page, "thread with handover")));
    await screenshot(page, "staff-thread-handover", ["desktop"]);
  });

  it("prints one conversation without the app around it, recorded in the audit log without content", async () => {
    await page.getByRole("button", { name: "Afdrukken of als PDF bewaren" }).click();
    await page.getByRole("heading", { level: 1, name: SOLO.subject }).waitFor({ timeout: 30_000 });
    await page.getByText(SOLO.body).waitFor();
    await page.getByText("Het gesprek is overgedragen aan Bram.").waitFor();
    // As the printer sees it: no menu, banner or toolbar; the conversation is there.
    await page.emulateMedia({ media: "print" });
    expect(await page.getByRole("navigation", { name: "Hoofdmenu" }).isVisible()).toBe(false);
    expect(await page.locator(".print-toolbar").isVisible()).toBe(false);
    expect(await page.locator(".print-doc").getByText(SOLO.body).isVisible()).toBe(true);
    await page.emulateMedia({ media: "screen" });
    axe.push(...(await axeBothLanguages(page, "print view")));
    await screenshot(page, "staff-print-view", ["desktop"]);
    // The browser's print dialog is not part of the test: only that the app asks for it.
    await page.evaluate(() => {
      window.print = () => {
        (window as unknown as { __printed: boolean }).__printed = true;
      };
    });
    await page.getByRole("button", { name: "Afdrukken of opslaan als PDF" }).click();
    await page.getByText("Vastgelegd in het auditlog.", { exact: false }).waitFor();
    await expect
      .poll(() => page.evaluate(() => (window as unknown as { __printed?: boolean }).__printed === true))
      .toBe(true);

    const sup = await caseload.signIn("supervisor");
    const report = await sup.audit();
    expect(report.ok).toBe(true);
    const exported = report.entries.filter((e) => e.action === "thread-exported");
    expect(exported).toHaveLength(1);
    expect(exported[0]).toMatchObject({ threadId: soloThreadId, actorKind: "staff", details: {} });
    expect(JSON.stringify(report.entries)).not.toContain(SOLO.subject);
    await sup.signOut();
  });

  it("locks after inactivity and unlocks with the passphrase; a new passphrase with the recovery key", async () => {
    const chris = CASELOAD_PEOPLE.c;
    const context = await browser.newContext({ locale: "nl-NL" });
    const watch = await watchContext(context);
    const p = await context.newPage();
    await p.goto(`${world.origin}/staff/`);
    await signInInPage(p, chris);
    // Chris is on a conversation he took over (no polling there); activity after the fake clock is
    // installed restarts the inactivity timer on it.
    // One of Anna's two conversations went to Chris in the reassignment above.
    await p.getByRole("list", { name: "Mijn gesprekken" }).locator("button.thread-link").first().click();
    const heading = p.getByRole("heading", { level: 1, name: /^Gesprek \d$/ });
    await heading.waitFor({ timeout: 30_000 });
    const subject = (await heading.textContent()) ?? "";
    await p.clock.install();
    await p.getByLabel("Antwoord aan de hulpvrager").focus();
    await p.keyboard.press("Shift");
    await p.clock.fastForward("16:00");
    await p.getByRole("heading", { name: "Vergrendeld" }).waitFor();
    expect(await p.locator("body").textContent()).not.toContain(subject);
    // The focus is on the heading of the locked screen.
    await expect.poll(() => p.evaluate(() => document.activeElement?.textContent)).toBe("Vergrendeld");
    axe.push(...(await axeBothLanguages(p, "locked")));
    // Keyboard only from the heading: Tab reaches the passphrase, Enter unlocks.
    await p.locator("main h1").focus();
    await p.keyboard.press("Tab");
    await p.keyboard.type(chris.passphrase);
    await p.keyboard.press("Enter");
    // Back where Chris was, decrypted anew.
    await p.getByRole("heading", { name: subject }).waitFor();

    await p.getByRole("button", { name: "Afmelden" }).click();
    await p.getByText("Je bent afgemeld.").waitFor();
    await p.getByRole("button", { name: /Wachtwoordzin vergeten/ }).click();
    await p.getByRole("heading", { name: "Nieuwe wachtwoordzin met je herstelsleutel" }).waitFor();
    axe.push(...(await axeBothLanguages(p, "recover")));
    const fresh = "nieuwe wachtwoordzin voor chris na de zomer";
    // Typed as a person would: lower case, spaces instead of dashes.
    const typed = caseload.recoveryKeys.c.toLowerCase().replaceAll("-", " ");
    await recoverInPage(p, chris.username, typed, fresh);
    await p.getByRole("heading", { name: "Postvak" }).waitFor({ timeout: 60_000 });
    await p.getByRole("button", { name: "Afmelden" }).click();
    await p.getByRole("heading", { name: "Aanmelden" }).waitFor();
    await signInInPage(p, { username: chris.username, passphrase: fresh });
    await p.getByRole("heading", { name: "Postvak" }).waitFor();
    // The recovery key never left the browser.
    const bare = caseload.recoveryKeys.c.replaceAll("-", "");
    const forms = [caseload.recoveryKeys.c, bare, bare.toLowerCase(), typed];
    expect(secretsInRequests(watch.requests, forms)).toEqual([]);
    await collectCsp(p, watch);
    expect(watch.problems()).toEqual([]);
    await context.close();
    expect(axe).toEqual([]);
  });
});
