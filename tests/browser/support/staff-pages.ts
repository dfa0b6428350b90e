/**
 * What a person does in the staff app, as Playwright steps (Dutch labels: the app's first language),
 * and axe-core on a screen in both languages.
 */
import type { Page } from "playwright-core";
import { axeViolations } from "./browser.js";

export interface Person {
  readonly username: string;
  readonly displayName: string;
  readonly passphrase: string;
}

/** Opens an invite link and accepts it; returns the recovery sheet's texts. */
export async function acceptInviteInPage(page: Page, link: string, who: Person) {
  await page.goto(link);
  await page.getByLabel("Gebruikersnaam").fill(who.username);
  await page.getByLabel("Weergavenaam").fill(who.displayName);
  await page.getByLabel("Nieuwe wachtwoordzin").fill(who.passphrase);
  await page.getByLabel("Herhaal de wachtwoordzin").fill(who.passphrase);
  await page.getByRole("button", { name: /^Account( en hulplijnsleutel)? maken$/ }).click();
  await page.getByRole("heading", { name: "Je herstelblad" }).waitFor({ timeout: 60_000 });
  const recoveryKey = (await page.getByTestId("recovery-key").textContent())?.trim() ?? "";
  const fingerprint =
    (await page.getByTestId("root-fingerprint").count()) > 0
      ? ((await page.getByTestId("root-fingerprint").textContent())?.trim() ?? "")
      : undefined;
  return { recoveryKey, fingerprint };
}

/** Confirms the recovery sheet and moves on. */
export async function leaveSheet(page: Page): Promise<void> {
  await page.getByLabel("Ik heb dit blad afgedrukt of veilig bewaard").check();
  await page.getByRole("button", { name: "Verder" }).click();
}

/** Signs in on whatever sign-in form is shown (sign-in, pending, locked). */
export async function signInInPage(page: Page, who: Pick<Person, "username" | "passphrase">): Promise<void> {
  const username = page.getByLabel("Gebruikersnaam");
  if ((await username.count()) > 0) await username.fill(who.username);
  await page.getByLabel("Wachtwoordzin", { exact: true }).fill(who.passphrase);
  await page.getByRole("button", { name: /^(Aanmelden|Ontgrendelen)$/ }).click();
}

/** On the team screen: makes an invite, reads its link (shown once) and hides it again. */
export async function inviteInPage(page: Page): Promise<string> {
  await page.getByRole("button", { name: "Uitnodiging maken" }).click();
  const input = page.locator("#invite-link");
  await input.waitFor();
  const link = await input.inputValue();
  await page.getByRole("button", { name: "Link verbergen" }).click();
  return link;
}

/** On the team screen: admits a pending member, with the intake choice and the safety code typed. */
export async function admitInPage(
  page: Page,
  username: string,
  intake: boolean,
  code: string,
): Promise<void> {
  const form = page.locator("li.pending-member").filter({ hasText: username });
  await form.getByRole("radio", { name: intake ? "ja" : "nee" }).check();
  await form.getByLabel(`Code die ${username} op het eigen scherm ziet`).fill(code);
  await form.getByRole("button", { name: "Toelaten" }).click();
}

/** On the recovery screen: a new passphrase with the recovery key, typed as given. */
export async function recoverInPage(page: Page, username: string, recoveryKey: string, fresh: string) {
  await page.getByLabel("Gebruikersnaam").fill(username);
  await page.getByRole("textbox", { name: "Herstelsleutel" }).fill(recoveryKey);
  await page.getByLabel("Nieuwe wachtwoordzin", { exact: true }).fill(fresh);
  await page.getByLabel("Herhaal de wachtwoordzin").fill(fresh);
  await page.getByRole("button", { name: "Nieuwe wachtwoordzin instellen" }).click();
}

/** Goes to a menu item of the signed-in app. */
export async function menu(page: Page, name: string): Promise<void> {
  await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("button", { name }).click();
  await page.getByRole("heading", { level: 1 }).first().waitFor();
}

/**
 * axe-core on the current screen in Dutch, then in English (the language switch is on every screen),
 * then back to Dutch. Returns every violation, prefixed with the screen and language.
 */
export async function axeBothLanguages(page: Page, screen: string): Promise<string[]> {
  const found: string[] = [];
  const nl = await axeViolations(page);
  found.push(...nl.map((v) => `${screen} [nl] ${v}`));
  await page.locator("button.lang-switch").first().click();
  await page.waitForFunction(() => document.documentElement.lang === "en");
  const en = await axeViolations(page);
  found.push(...en.map((v) => `${screen} [en] ${v}`));
  await page.locator("button.lang-switch").first().click();
  await page.waitForFunction(() => document.documentElement.lang === "nl");
  return found;
}
