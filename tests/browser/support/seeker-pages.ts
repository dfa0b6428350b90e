/**
 * What a help-seeker does in the app, as Playwright steps (Dutch labels: the app's first language).
 */
import type { Page } from "playwright-core";

/**
 * Clicks "Begin met schrijven" once the app enabled it (it is disabled until the helpline's signed
 * profile is verified), on whatever screen shows it.
 */
export async function beginWriting(page: Page): Promise<void> {
  await page.waitForFunction(() => {
    const b = [...document.querySelectorAll("button")].find((x) => x.textContent === "Begin met schrijven");
    return b !== undefined && !b.disabled;
  });
  await page.getByRole("button", { name: "Begin met schrijven" }).click();
}

/**
 * On the code screen: waits for the six groups, types the two groups the app asks for back, and sends
 * ("Klopt: verstuur mijn bericht"), with a click or a tap. Returns the groups.
 */
export async function confirmCodeAndSend(
  page: Page,
  { timeout = 30_000, tap = false }: { timeout?: number; tap?: boolean } = {},
): Promise<string[]> {
  await page.locator(".code .group").nth(5).waitFor({ timeout });
  const groups = await page.locator(".code .group").allInnerTexts();
  for (const label of await page.locator(".group-fields label").allInnerTexts()) {
    const asked = Number(/(\d)$/.exec(label)?.[1]);
    await page.getByLabel(label).fill(groups[asked - 1] ?? "");
  }
  const send = page.getByRole("button", { name: "Klopt: verstuur mijn bericht" });
  await (tap ? send.tap() : send.click());
  return groups;
}
