/**
 * Screenshots for the docs (docs/screens/), reusable by every slice: `shoot(page, "seeker-sent")`
 * writes `docs/screens/seeker-sent-phone.png` (390x844) and `...-desktop.png` (1280x900) of what the
 * page shows now, resizing the page's viewport for each and waiting for the layout to settle.
 * Link them from docs/SEEKER.md or docs/STAFF.md.
 *
 * @example
 * const page = await context.newPage();
 * await page.goto(`${origin}/#/`);
 * await shoot(page, "seeker-start");
 */
import { mkdirSync } from "node:fs";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { ROOT_DIR } from "../../tests/support/api-world.js";

export const SCREENS_DIR = join(ROOT_DIR, "docs", "screens");
export const SIZES = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1280, height: 900 },
} as const;

/** Writes `<name>-phone.png` and `<name>-desktop.png`; returns the paths relative to docs/. */
export async function shoot(page: Page, name: string, sizes = Object.keys(SIZES) as (keyof typeof SIZES)[]) {
  mkdirSync(SCREENS_DIR, { recursive: true });
  const before = page.viewportSize();
  const written: string[] = [];
  for (const size of sizes) {
    await page.setViewportSize(SIZES[size]);
    await page.waitForTimeout(150); // layout, focus rings and live regions settle
    const file = `${name}-${size}.png`;
    await page.screenshot({ path: join(SCREENS_DIR, file), animations: "disabled", caret: "hide" });
    written.push(`screens/${file}`);
  }
  if (before !== null) await page.setViewportSize(before);
  return written;
}
