/**
 * The statistics screen in Chromium (issue 13): a helpline with 12 conversations, each with the
 * help-seeker's sealed answers (through the SDK, as the help-seeker app sends them), claimed by one
 * counsellor. The supervisor sees exactly those counts in the totals, the tables and the CSV; the
 * charts draw under the app's CSP without a console error; the answers are counted in the browser;
 * the annual report shows "<10" where it must and is published, signed, and read by the operator's
 * network table. axe-clean in Dutch and English.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { ThreadId } from "@briefgeheim/crypto";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { readHelplinePin } from "../../apps/api/src/admin-pin.js";
import { networkReport } from "../../apps/api/src/admin-report.js";
import { helplines } from "../../apps/api/src/db/schema.js";
import { ROOT_DIR } from "../support/api-world.js";
import {
  chromiumAvailable,
  collectCsp,
  launchChromium,
  visibleText,
  watchContext,
} from "./support/browser.js";
import { CASELOAD_PEOPLE, type Caseload, seedCaseload } from "./support/staff-caseload.js";
import { axeBothLanguages, menu, signInInPage } from "./support/staff-pages.js";
import { type StaffWorld, startStaffWorld } from "./support/staff-world.js";

const THREADS = 12;
const run = chromiumAvailable() ? describe : describe.skip;

run("staff app: statistics", () => {
  let world: StaffWorld;
  let browser: Browser;
  let caseload: Caseload;

  beforeAll(async () => {
    [world, browser] = await Promise.all([startStaffWorld(), launchChromium()]);
    caseload = await seedCaseload(world, THREADS);
    // 7 for anonymity, 3 prefer writing, 2 their own time; the age only from 4 (a base under 10).
    for (const [i, id] of caseload.threadIds.entries()) {
      const reason = i < 7 ? "anonymity" : i < 10 ? "prefer-writing" : "own-time";
      await caseload.seeker.submitSurvey(id as ThreadId, i < 4 ? { reason, age: "16-18" } : { reason });
    }
    await world.serveApp({ pins: caseload.pins });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it("shows exact counts, charts under the CSP, counts the answers, downloads CSV, publishes the report", async () => {
    const context = await browser.newContext({ locale: "nl-NL", acceptDownloads: true });
    const watch = await watchContext(context);
    const page = await context.newPage();
    await page.goto(`${world.origin}/staff/`);
    await signInInPage(page, CASELOAD_PEOPLE.supervisor);
    await page.getByRole("heading", { name: "Postvak" }).waitFor();
    await menu(page, "Statistieken");
    await page.getByRole("heading", { name: "Statistieken", level: 1 }).waitFor();
    await expect.poll(() => page.getByTestId("total-conversations").textContent()).toBe(String(THREADS));
    // uPlot drew both charts (canvas) from its lazily loaded chunk.
    await expect.poll(() => page.locator('[data-testid="stats-chart"] canvas').count()).toBe(2);

    // The table alternative has the same count in this month's row.
    await page.getByText("Als tabel").first().click();
    const month = new Date().toISOString().slice(0, 7);
    const row = page.getByTestId("stats-volume-table").getByRole("row", { name: new RegExp(`^${month}`) });
    expect((await row.getByRole("cell").allTextContents()).slice(0, 2)).toEqual([
      String(THREADS),
      String(THREADS),
    ]);
    const work = await visibleText(page.getByTestId("stats-work-table"));
    expect(work).toContain("Anna");

    // The answers, counted in this browser.
    await page.getByRole("button", { name: "Antwoorden tellen" }).click();
    await page.getByTestId("stats-survey-result").waitFor();
    const reason = page.getByTestId("stats-survey-reason");
    expect(
      (
        await reason
          .getByRole("row", { name: /^anonimiteit/ })
          .getByRole("cell")
          .allTextContents()
      )[0],
    ).toBe("7");
    expect(await visibleText(page.getByTestId("stats-survey-result"))).toContain(
      "12 gesprekken met antwoorden.",
    );

    // `SCREENSHOTS=1` refreshes the screenshot in docs/STAFF.md.
    if (process.env.SCREENSHOTS === "1") {
      await page.setViewportSize({ width: 1280, height: 1100 });
      await page.screenshot({ path: join(ROOT_DIR, "docs", "screens", "staff-stats-desktop.png") });
    }
    const violations = await axeBothLanguages(page, "statistics");

    // CSV: UTF-8 with BOM, semicolons, this month's row with the exact counts.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Download als CSV" }).click(),
    ]);
    const csv = readFileSync((await download.path())!, "utf8");
    expect(csv.charCodeAt(0)).toBe(0xfeff);
    const lines = csv.slice(1).split("\r\n");
    expect(lines[0]!.split(";").slice(0, 3)).toEqual([
      "Periode",
      "Nieuwe gesprekken",
      "Berichten van hulpvragers",
    ]);
    expect(
      lines
        .find((l) => l.startsWith(`${month};`))!
        .split(";")
        .slice(0, 3),
    ).toEqual([month, String(THREADS), String(THREADS)]);
    expect(lines.some((l) => l.startsWith("Waarom schriftelijk;anonimiteit;7;58,3"))).toBe(true);

    // The annual report: 12 shown, everything under 10 as "<10", the age question without percentages.
    const year = new Date().getUTCFullYear();
    await page.getByLabel("Jaar", { exact: true }).fill(String(year));
    await page.getByRole("button", { name: "Voorbeeld maken" }).click();
    const preview = page.getByTestId("stats-report-preview");
    await preview.waitFor();
    const text = await visibleText(preview);
    expect(text).toMatch(/Nieuwe gesprekken\s+12/);
    expect(text).toMatch(/Gesprekken gesloten\s+<10/);
    expect(text).toMatch(/anonimiteit\s+58,3%/);
    violations.push(...(await axeBothLanguages(page, "annual report preview")));
    await page.getByRole("button", { name: `Jaarverslag ${year} ondertekenen en publiceren` }).click();
    await page.getByText(`Het jaarverslag ${year} is gepubliceerd.`).waitFor();

    // The operator's pins, as `npm run admin -- helpline pin` writes them for this database.
    const pins: Record<string, unknown> = {};
    for (const row of await world.db.read.select().from(helplines)) {
      const pin = await readHelplinePin(world.db, row.slug);
      pins[pin.helplineId] = pin.entry;
    }
    const table = await networkReport(world.db, year, pins);
    expect(table.refused).toEqual([]);
    expect(table.rows.map((r) => [r.conversations, r.serverConversations, r.survey[0]])).toEqual([
      [12, 12, 58.3],
    ]);

    await collectCsp(page, watch);
    expect(watch.cspViolations).toEqual([]);
    expect(watch.problems()).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
  }, 300_000);
});
