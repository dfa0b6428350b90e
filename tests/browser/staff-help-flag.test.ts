/**
 * The help flag with a note and a "resolved" action (issue 10, staff item 3) in Chromium, on a pinned
 * build of the staff app:
 * - counsellor Anna asks a supervisor for help with a note (a labelled, optional field with the
 *   character counter); the thread's manage panel then shows the note and "Opgelost" instead of the ask
 *   button, and the list marks the thread as today;
 * - supervisor Sanne sees the flag in the list, reads the note in the thread and presses "Opgelost";
 * - each time the pressed button goes away, the focus moves to what replaced it (not to the page);
 * - the audit screen (and the verified log) shows "flag-raised" and "flag-resolved", with the note's id
 *   only, never its text.
 * axe-core on each of these screens in Dutch and English; no CSP violation.
 */
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable } from "./support/browser.js";
import { useStaffCaseloadWorld } from "./support/staff-caseload-world.js";
import { axeBothLanguages, menu } from "./support/staff-pages.js";

/**
 * `BRIEFGEHEIM_SCREENSHOTS=1` also writes the help flag's screenshots of docs/STAFF.md (docs/screens/,
 * desktop size, with the shared `shoot` of scripts/screenshots): the same world as the test.
 */
async function screenshot(page: Page, name: string, region: Locator): Promise<void> {
  if (process.env.BRIEFGEHEIM_SCREENSHOTS !== "1") return;
  const { shoot, SIZES } = await import("../../scripts/screenshots/shoot.js");
  await page.setViewportSize(SIZES.desktop);
  await region.evaluate((e) => e.scrollIntoView({ block: "center" }));
  await shoot(page, name, ["desktop"]);
}

const run = chromiumAvailable() ? describe : describe.skip;
const NOTE = "Wil iemand meelezen? Ze noemt zelfbeschadiging.";
const SUBJECT = "Gesprek 1";

run("staff app: the help flag's note and 'resolved'", () => {
  const w = useStaffCaseloadWorld(1, { timeout: 300_000 });
  const signedIn = w.signedIn;
  const axe: string[] = [];

  const openThread = async (page: Page) => {
    await page
      .getByRole("button", { name: new RegExp(SUBJECT) })
      .first()
      .click({ timeout: 30_000 });
    await page.getByRole("heading", { level: 1, name: SUBJECT }).waitFor({ timeout: 30_000 });
  };

  /** The focused element as "TAG: text" (document.body when focus was lost). */
  const focused = (page: Page) =>
    page.evaluate(() => {
      const el = document.activeElement;
      return el === null ? "none" : `${el.tagName}: ${el.textContent?.trim() ?? ""}`.slice(0, 80);
    });

  it("a counsellor asks for help with a note; the panel shows it with 'Opgelost'", async () => {
    const { page, done } = await signedIn("a");
    await openThread(page);
    const manage = page.getByRole("region", { name: "Beheer" });
    const field = manage.getByLabel("Waar wil je hulp bij? (niet verplicht)");
    await field.fill(NOTE);
    // The shared counter, bound to the field.
    expect(await field.getAttribute("aria-describedby")).toContain("flag-note-count");
    expect(await manage.locator("#flag-note-count").textContent()).toMatch(/\d/);
    axe.push(...(await axeBothLanguages(page, "help flag (note field)")));
    await manage.getByRole("button", { name: "Coördinator om hulp vragen" }).click();
    await manage.getByText("De coördinatoren zien dat je om hulp vraagt.").waitFor({ timeout: 30_000 });
    await manage.getByText(NOTE).waitFor();
    await manage.getByRole("button", { name: "Opgelost" }).waitFor();
    expect(await manage.getByRole("button", { name: "Coördinator om hulp vragen" }).count()).toBe(0);
    // The pressed button is gone: the focus is on the sentence that replaced it, not lost to the page.
    await expect.poll(() => focused(page)).toBe("P: Een coördinator is om hulp gevraagd.");
    // The note is an ordinary encrypted internal note as well.
    const notes = page.getByRole("complementary", { name: "Interne notities" });
    expect(await notes.textContent()).toContain(NOTE);
    axe.push(...(await axeBothLanguages(page, "help flag (raised)")));
    await done();
  }, 120_000);

  it("the supervisor sees the flag in the list, reads the note and resolves it", async () => {
    const { page, done } = await signedIn("supervisor");
    const row = page.locator("li.thread-row", { hasText: SUBJECT }).first();
    await row.getByText("coördinator gevraagd").waitFor({ timeout: 30_000 });
    await openThread(page);
    const manage = page.getByRole("region", { name: "Beheer" });
    await manage.getByText("Notitie bij de hulpvraag").waitFor({ timeout: 30_000 });
    await manage.getByText(NOTE).waitFor();
    await screenshot(page, "staff-help-flag-note", manage);
    axe.push(...(await axeBothLanguages(page, "help flag (supervisor)")));
    await manage.getByRole("button", { name: "Opgelost" }).click();
    await manage.getByText("De hulpvraag is opgelost.").waitFor({ timeout: 30_000 });
    await manage.getByRole("button", { name: "Markeren voor coördinatoren" }).waitFor();
    expect(await manage.getByText(NOTE).count()).toBe(0);
    // "Opgelost" is gone: the focus moves to the button that raises the flag again.
    await expect.poll(() => focused(page)).toBe("BUTTON: Markeren voor coördinatoren");
    await screenshot(page, "staff-help-flag-resolved", manage);
    axe.push(...(await axeBothLanguages(page, "help flag (resolved)")));

    await menu(page, "Postvak");
    await page.locator("li.thread-row", { hasText: SUBJECT }).first().waitFor({ timeout: 30_000 });
    expect(await page.locator("li.thread-row", { hasText: SUBJECT }).first().textContent()).not.toContain(
      "coördinator gevraagd",
    );

    await menu(page, "Auditlog");
    await page.getByTestId("audit-verified").waitFor({ timeout: 30_000 });
    const rows = page.locator("table.audit tbody tr");
    await page.locator('tr[data-action="flag-resolved"]').waitFor();
    const actions = await rows.evaluateAll((all) => all.map((r) => r.getAttribute("data-action")));
    expect(actions.filter((a) => a === "flag-raised")).toHaveLength(1);
    expect(actions.filter((a) => a === "flag-resolved")).toHaveLength(1);
    const raised = await page.locator('tr[data-action="flag-raised"]').textContent();
    expect(raised).toContain("hulp gevraagd bij een gesprek");
    expect(raised).toContain("Anna");
    expect(raised).toContain("notitie (versleuteld, id)");
    expect(await page.locator('tr[data-action="flag-resolved"]').textContent()).toContain(
      "hulpvraag afgehandeld",
    );
    expect(await page.locator("table.audit").textContent()).not.toContain(NOTE);
    axe.push(...(await axeBothLanguages(page, "audit (help flag)")));
    await done();

    // The verified log itself: both entries, the note's id only.
    const sup = await w.caseload.signIn("supervisor");
    const report = await sup.audit();
    expect(report.ok).toBe(true);
    const flags = report.entries.filter((e) => e.action === "flag-raised" || e.action === "flag-resolved");
    expect(flags.map((e) => e.action)).toEqual(expect.arrayContaining(["flag-raised", "flag-resolved"]));
    expect(flags.every((e) => e.threadId === w.caseload.threadIds[0])).toBe(true);
    expect(JSON.stringify(report.entries)).not.toContain(NOTE);
    expect(JSON.stringify(report.entries)).not.toContain("zelfbeschadiging");
    await sup.signOut();
    expect(axe).toEqual([]);
  }, 180_000);
});
