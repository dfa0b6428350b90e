/**
 * Reassigning a caseload in Chromium is resumable: the network drops after the first batch of new
 * epochs is stored, the supervisor closes the tab, signs in again in a new one and starts the same
 * reassignment, which skips what was done and finishes the rest. Every thread ends with exactly one
 * complete new epoch that B, the supervisors and the help-seeker read, and A reads none of them. The
 * app here is a pinned build (the helpline was set up in Node), as a deployment ships it.
 */
import { describe, expect, it } from "vitest";
import { chromiumAvailable, collectCsp, watchContext } from "./support/browser.js";
import { CASELOAD_PEOPLE } from "./support/staff-caseload.js";
import { useStaffCaseloadWorld } from "./support/staff-caseload-world.js";
import { axeBothLanguages, signInInPage } from "./support/staff-pages.js";

const THREADS = 130; // two batches of the SDK (100 per request)
const run = chromiumAvailable() ? describe : describe.skip;

run("staff app: reassigning a caseload survives an interruption", () => {
  const w = useStaffCaseloadWorld(THREADS, { timeout: 180_000 });

  it("is interrupted after the first batch, and finished from a new tab", async () => {
    const { world, browser, caseload } = w;
    const context = await browser.newContext({ locale: "nl-NL" });
    const watch = await watchContext(context);
    let page = await context.newPage();
    await page.goto(`${world.origin}/staff/`);
    await signInInPage(page, CASELOAD_PEOPLE.supervisor);
    await page.getByRole("heading", { name: "Postvak" }).waitFor();
    // A pinned build: no warning about an unpinned root.
    expect(await page.locator(".banner").count()).toBe(0);

    // The first batch reaches the server; then the network is gone.
    let batches = 0;
    await page.route("**/api/threads/epochs/batch", (route) =>
      ++batches === 1 ? route.continue() : route.abort("internetdisconnected"),
    );
    await page
      .getByRole("navigation", { name: "Hoofdmenu" })
      .getByRole("button", { name: "Herverdelen" })
      .click();
    await page.getByLabel("Van hulpverlener").selectOption(caseload.ids.a);
    await page.getByLabel(`De hele caseload (${THREADS} gesprekken)`).check();
    await page.getByLabel(/^Bram/).check();
    await page.getByLabel(/^Chris/).check();
    await page.getByRole("button", { name: "Herverdelen", exact: true }).last().click();
    await page.getByRole("button", { name: "Ja, herverdelen" }).click();
    await page.getByText("Geen verbinding met de server").waitFor({ timeout: 60_000 });
    await page.getByRole("button", { name: "Hervatten" }).waitFor();
    axe(await axeBothLanguages(page, "reassign (interrupted)"));
    await collectCsp(page, watch);

    // Half done on the server: every thread is in its old epoch or a complete new one.
    const supervisor = await caseload.signIn("supervisor");
    const moved = (await supervisor.listThreads("all")).filter(
      (t) => !t.assigneeIds.includes(caseload.ids.a),
    );
    expect(moved).toHaveLength(100);

    // The tab is closed; a new one signs in and starts the same reassignment.
    await page.close();
    page = await context.newPage();
    await page.goto(`${world.origin}/staff/`);
    await signInInPage(page, CASELOAD_PEOPLE.supervisor);
    await page.getByRole("heading", { name: "Postvak" }).waitFor();
    await page
      .getByRole("navigation", { name: "Hoofdmenu" })
      .getByRole("button", { name: "Herverdelen" })
      .click();
    await page.getByLabel("Van hulpverlener").selectOption(caseload.ids.a);
    await page.getByLabel(`De hele caseload (${THREADS - 100} gesprekken)`).check();
    await page.getByLabel(/^Bram/).check();
    await page.getByLabel(/^Chris/).check();
    await page.getByRole("button", { name: "Herverdelen", exact: true }).last().click();
    await page.getByRole("button", { name: "Ja, herverdelen" }).click();
    await page.getByText(`Klaar: ${THREADS - 100} gesprekken zijn overgezet.`).waitFor({ timeout: 60_000 });
    await collectCsp(page, watch);

    const all = await supervisor.listThreads("all");
    expect(all).toHaveLength(THREADS);
    expect(all.filter((t) => t.assigneeIds.includes(caseload.ids.a))).toEqual([]);
    const toB = all.filter((t) => t.assigneeIds.includes(caseload.ids.b)).length;
    const toC = all.filter((t) => t.assigneeIds.includes(caseload.ids.c)).length;
    expect(toB + toC).toBe(THREADS);
    expect(Math.abs(toB - toC)).toBeLessThanOrEqual(2); // spread in turn

    // B (or C) and the help-seeker read a moved thread whole; A can open none of them.
    const sample = all[0]!;
    const owner = await caseload.signIn(sample.assigneeIds.includes(caseload.ids.b) ? "b" : "c");
    const view = await owner.readThread(sample.id as never);
    expect(view.ok).toBe(true);
    expect(view.messages.map((m) => m.body)[0]).toMatch(/^Bericht \d+:/);
    const seen = await caseload.seeker.readThread(sample.id as never);
    expect(seen.ok).toBe(true);
    // Each moved thread says once who has it now, to the help-seeker too (PROTOCOL.md §5.1).
    const handovers = seen.messages.filter((m) => m.handover !== undefined);
    expect(handovers.map((m) => m.handover!.displayName)).toEqual([owner.displayName]);
    const a = await caseload.signIn("a");
    expect(await a.listThreads("mine")).toEqual([]);
    await expect(a.readThread(sample.id as never)).rejects.toMatchObject({ code: "NOT_FOUND" });

    // The aborted batch requests are the interruption itself; nothing else went wrong.
    const problems = watch.problems().filter((p) => !p.includes("ERR_INTERNET_DISCONNECTED"));
    expect(problems).toEqual([]);
    expect(violations).toEqual([]);
    await context.close();
    // 130 new epochs and 130 handovers, on two shared cores.
  }, 240_000);

  const violations: string[] = [];
  function axe(found: string[]): void {
    violations.push(...found);
  }
});
