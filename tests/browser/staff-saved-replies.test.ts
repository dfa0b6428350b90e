/**
 * Saved replies and the signature (issue 10, staff item 6) in Chromium, on a pinned build of the staff
 * app:
 * - supervisor Sanne writes a team saved reply on "Standaardantwoorden"; after Chris leaves the team
 *   the screen says the list needs sharing again (it does not re-seal by itself) and "Opnieuw delen met
 *   het team" does it, the focus going to the section's heading;
 * - counsellor Anna sees it there (read only), adds a saved reply of her own and a signature with
 *   "automatisch"; in the reply form the signature is already under the empty reply, she inserts her
 *   own reply and the team's at the cursor with the labelled select (keyboard), and sends;
 * - axe-core on both screens in Dutch and English; no CSP violation; none of the texts in browser
 *   storage; the database file holds none of them (only ciphertext).
 * `BRIEFGEHEIM_SCREENSHOTS=1` also writes the two screenshots of docs/STAFF.md (docs/screens/, desktop
 * size, with the shared `shoot` of scripts/screenshots): the same world as the test.
 */
import { existsSync, readFileSync } from "node:fs";
import type { Locator, Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { chromiumAvailable } from "./support/browser.js";
import { storageSnapshot } from "./support/secrets.js";
import { useStaffCaseloadWorld } from "./support/staff-caseload-world.js";
import { axeBothLanguages, menu } from "./support/staff-pages.js";

async function screenshot(page: Page, name: string, region: Locator): Promise<void> {
  if (process.env.BRIEFGEHEIM_SCREENSHOTS !== "1") return;
  const { shoot, SIZES } = await import("../../scripts/screenshots/shoot.js");
  await page.setViewportSize(SIZES.desktop);
  await region.evaluate((e) => e.scrollIntoView({ block: "start" }));
  await shoot(page, name, ["desktop"]);
}

const run = chromiumAvailable() ? describe : describe.skip;
const SUBJECT = "Gesprek 1";
const TEAM = { title: "Crisislijn", body: "Bel 113 (teamzin-K9X) als het nu niet meer gaat." };
const OWN = { title: "Welkom", body: "Fijn dat je ons schrijft (eigenzin-7Q2)." };
const SIGNATURE = "Groet, Anna (handtekening-P4W)";
const MARKERS = ["teamzin-K9X", "eigenzin-7Q2", "handtekening-P4W"];

run("staff app: saved replies and the signature", () => {
  const w = useStaffCaseloadWorld(1, { timeout: 300_000 });
  const axe: string[] = [];

  const signedIn = w.signedIn;

  /** Adds a saved reply through the list editor of `section` ("own" or "team"). */
  async function addReply(page: Page, section: string, reply: { title: string; body: string }) {
    const region = page.getByRole("region", { name: section, exact: true });
    await region.getByRole("button", { name: "Toevoegen" }).click();
    await region.getByLabel("Titel").fill(reply.title);
    await region.getByLabel("Tekst", { exact: true }).fill(reply.body);
    await region.getByRole("button", { name: "Opslaan", exact: true }).click();
    await region.getByText("Opgeslagen.").waitFor({ timeout: 30_000 });
    await region.getByRole("heading", { level: 3, name: reply.title }).waitFor();
    // The form is gone: the focus is on "Toevoegen", not lost.
    await page.waitForFunction(
      () =>
        document.activeElement?.textContent === "Toevoegen" && document.activeElement.tagName === "BUTTON",
    );
  }

  it("a supervisor writes a team saved reply", async () => {
    const { caseload } = w;
    const { page, done } = await signedIn("supervisor");
    await menu(page, "Standaardantwoorden");
    await page.getByRole("heading", { level: 1, name: "Standaardantwoorden" }).waitFor();
    await addReply(page, "Standaardantwoorden van het team", TEAM);
    const region = page.getByRole("region", { name: "Standaardantwoorden van het team", exact: true });
    const share = region.getByRole("button", { name: "Opnieuw delen met het team" });
    expect(await share.count()).toBe(0);

    // Chris leaves the team (from Node); on the next visit the list names a member the roster does not.
    const sup = await caseload.signIn("supervisor");
    await sup.removeMember(caseload.ids.c);
    await sup.signOut();
    await menu(page, "Postvak");
    await menu(page, "Standaardantwoorden");
    await share.waitFor({ timeout: 30_000 });
    await region
      .getByText("Het team is veranderd sinds deze lijst is opgeslagen", { exact: false })
      .waitFor();
    axe.push(...(await axeBothLanguages(page, "saved replies (share again)")));
    await share.click();
    await region.getByText("De lijst is gedeeld met het hele team.").waitFor({ timeout: 30_000 });
    expect(await share.count()).toBe(0);
    await page.waitForFunction(() => document.activeElement?.id === "team-replies-title");
    await region.getByRole("heading", { level: 3, name: TEAM.title }).waitFor();
    await done();
  }, 120_000);

  it("a counsellor saves a reply and a signature, inserts them and the team's into a reply, and sends", async () => {
    const { world } = w;
    const { page, done } = await signedIn("a");
    await menu(page, "Standaardantwoorden");
    const team = page.getByRole("region", { name: "Standaardantwoorden van het team", exact: true });
    await team.getByRole("heading", { level: 3, name: TEAM.title }).waitFor({ timeout: 30_000 });
    // Counsellors read the team's list but cannot change it.
    expect(await team.getByRole("button").count()).toBe(0);
    await addReply(page, "Mijn standaardantwoorden", OWN);
    const signature = page.getByRole("region", { name: "Ondertekening", exact: true });
    await signature.getByLabel("Ondertekening", { exact: true }).fill(SIGNATURE);
    await signature.getByLabel("Automatisch onder een nieuw antwoord zetten").check();
    await signature.getByRole("button", { name: "Ondertekening opslaan" }).click();
    await signature.getByText("Ondertekening opgeslagen.").waitFor({ timeout: 30_000 });
    axe.push(...(await axeBothLanguages(page, "saved replies (counsellor)")));
    await screenshot(
      page,
      "staff-saved-replies",
      page.getByRole("heading", { level: 1, name: "Standaardantwoorden" }),
    );

    await menu(page, "Postvak");
    await page
      .getByRole("button", { name: new RegExp(SUBJECT) })
      .first()
      .click({ timeout: 30_000 });
    await page.getByRole("heading", { level: 1, name: SUBJECT }).waitFor({ timeout: 30_000 });
    const box = page.getByLabel("Antwoord aan de hulpvrager");
    // The signature is already under the new, empty reply: visible and editable.
    await page.waitForFunction(
      (text) => (document.querySelector("#reply-body") as HTMLTextAreaElement | null)?.value.includes(text),
      SIGNATURE,
      { timeout: 30_000 },
    );
    // At the start of the box, by keyboard: the select, then the button.
    await box.focus();
    await page.keyboard.press("Control+Home");
    const select = page.getByLabel("Standaardantwoord invoegen");
    await select.selectOption({ label: OWN.title });
    await select.focus();
    await page.keyboard.press("Tab");
    await page.keyboard.press("Enter");
    await page.getByText(`„${OWN.title}” is ingevoegd.`).waitFor();
    await select.selectOption({ label: TEAM.title });
    await page.getByRole("button", { name: "Invoegen" }).click();
    await page.getByText(`„${TEAM.title}” is ingevoegd.`).waitFor();
    const value = await page.locator("#reply-body").inputValue();
    // Each inserted reply is a paragraph of its own.
    expect(value).toBe(`${OWN.body}\n\n${TEAM.body}\n\n${SIGNATURE}`);
    axe.push(...(await axeBothLanguages(page, "reply with saved replies")));
    await screenshot(page, "staff-reply-saved-reply", select);

    await page.getByRole("button", { name: "Versturen" }).click();
    const conversation = page.getByRole("region", { name: "Gesprek", exact: true });
    await conversation.getByText(OWN.body, { exact: false }).waitFor({ timeout: 30_000 });
    expect(await conversation.textContent()).toContain(SIGNATURE);
    // The next new reply starts with the signature again.
    expect(await page.locator("#reply-body").inputValue()).toBe(`\n\n${SIGNATURE}`);

    const stored = await storageSnapshot(page);
    for (const marker of MARKERS) expect(stored.text).not.toContain(marker);
    await done();

    // Only ciphertext reached the database (the file and its write-ahead log).
    const rows = (await world.db.writeClient.execute("PRAGMA database_list")).rows as unknown as {
      file: string;
    }[];
    const file = rows[0]?.file ?? "";
    const bytes = [file, `${file}-wal`].filter((f) => existsSync(f)).map((f) => readFileSync(f));
    expect(bytes.length).toBeGreaterThan(0);
    for (const marker of MARKERS) {
      expect(bytes.some((b) => b.includes(Buffer.from(marker)))).toBe(false);
    }
    expect(axe).toEqual([]);
  }, 180_000);
});
