/**
 * Truncation against the apps in Chromium (issue 8 item 4; the Node run is
 * tests/malicious-server/truncation-and-epochs.test.ts). A help-seeker writes two messages in one tab
 * of the help-seeker app; Anna reads both, verified, in the staff app. The server deletes the newest one
 * from its database (what a server can really do); the help-seeker writes again in the same tab, which
 * remembers its seq 2 and so does not reuse it, and the new message names the deleted one. Anna's
 * thread screen then shows the MISSING reason; the help-seeker's own tab shows it too.
 */
import { loadSodium, parseEnvelope, type Sodium, type ThreadId } from "@briefgeheim/crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { nl as seekerNl } from "../../apps/seeker/src/i18n/nl.js";
import { nl } from "../../apps/staff/src/i18n/nl.js";
import {
  chromiumAvailable,
  collectCsp,
  launchChromium,
  type Watch,
  watchContext,
} from "./support/browser.js";
import { ANNA, endAttack, type HostileWorld, startHostileWorld, VERA } from "./support/hostile-world.js";
import { confirmCodeAndSend } from "./support/seeker-pages.js";
import { signInInPage } from "./support/staff-pages.js";

const MARK = {
  subject: "Onderwerp marker-subject-T4W",
  first:
    "Ik schrijf jullie omdat het thuis al weken onrustig is en ik niet weet wat ik moet doen. marker-first-8QZ",
  second:
    "Wat ik nog vergat te zeggen: het gaat vooral 's avonds mis, als iedereen moe is. marker-second-2LV",
  third: "Zijn jullie mijn vorige bericht kwijt? Ik schreef over de avonden thuis. marker-third-6NB",
};

const run = chromiumAvailable() ? describe : describe.skip;

run("apps against a lying server: the help-seeker's newest message deleted", () => {
  let world: HostileWorld;
  let browser: Browser;
  let sodium: Sodium;
  let seeker: Page;
  let anna: Page;
  let threadId = "";
  const contexts: BrowserContext[] = [];
  const watches: Watch[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: "nl-NL" });
    contexts.push(context);
    watches.push(await watchContext(context));
    return context.newPage();
  }

  /** The stored envelopes of the thread, parsed from the signed bytes (the honest server's rows). */
  async function stored() {
    const { rows } = await world.sql("SELECT bytes FROM envelopes WHERE thread_id = ? ORDER BY position", [
      threadId,
    ]);
    return rows.map((r) => parseEnvelope(sodium, new Uint8Array(r.bytes as ArrayBuffer)));
  }

  /** The help-seeker sends `body` from the conversation screen of their tab. */
  async function write(body: string): Promise<void> {
    // After a send the app shows the "sent" state; the form waits behind "Nog een bericht schrijven".
    const box = seeker.getByLabel("Je bericht");
    const another = seeker.getByRole("button", { name: seekerNl.writeAnother });
    await box.or(another).first().waitFor();
    if (await another.isVisible()) await another.click();
    await box.fill(body);
    await seeker.getByRole("button", { name: seekerNl.send, exact: true }).click();
    await seeker.getByText(seekerNl.replySent).waitFor();
    await seeker.locator("li.message", { hasText: body }).waitFor();
  }

  beforeAll(async () => {
    [world, browser, sodium] = await Promise.all([startHostileWorld(), launchChromium(), loadSodium()]);
    await world.serveApps({ staff: true, seeker: true });
  }, 180_000);
  afterEach(() => endAttack(world));
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it("without an attack the help-seeker writes twice in one tab and Anna reads both, verified", async () => {
    seeker = await newPage();
    await seeker.goto(`${world.origin}/`);
    await seeker.getByRole("link", { name: "Schrijf naar Hulplijn" }).click();
    const start = seeker.getByRole("button", { name: "Begin met schrijven" });
    await expect.poll(() => start.isEnabled()).toBe(true);
    await start.click();
    await seeker.getByLabel("Onderwerp").fill(MARK.subject);
    await seeker.getByLabel("Je bericht").fill(MARK.first);
    await seeker.getByRole("button", { name: "Verder: maak mijn code" }).click();
    await confirmCodeAndSend(seeker);
    await seeker.getByRole("heading", { level: 1, name: "Je gesprek met Hulplijn" }).waitFor();
    await write(MARK.second);

    anna = await newPage();
    await anna.goto(`${world.origin}/staff/`);
    await signInInPage(anna, ANNA);
    const row = anna.getByRole("list", { name: "Intake" }).locator("li[data-thread-id]");
    await row.getByRole("button", { name: new RegExp(MARK.subject) }).waitFor({ timeout: 60_000 });
    threadId = (await row.getAttribute("data-thread-id")) ?? "";
    await row.getByRole("button", { name: new RegExp(MARK.subject) }).click();
    await anna.getByRole("heading", { name: MARK.subject }).waitFor();
    await anna.getByTestId("verified").waitFor();
    const conversation = anna.locator("section.conversation");
    await conversation.getByText(MARK.second).waitFor();
    expect((await stored()).map((e) => e.seq)).toEqual([1, 2]);
  });

  it("the server deletes it; the same tab writes again without reusing seq 2; Anna's screen shows MISSING", async () => {
    const deleted = await world.sql("DELETE FROM envelopes WHERE thread_id = ? AND position = ?", [
      threadId,
      2,
    ]);
    expect(deleted.rowsAffected).toBe(1);
    await write(MARK.third);
    // Not 2 again: the tab remembers that it used seq 2.
    expect((await stored()).map((e) => e.seq)).toEqual([1, 3]);

    await anna.getByRole("button", { name: nl.inboxRefresh }).click();
    const warning = anna.getByTestId("verification-warning");
    const missing = nl.threadProblemAt(2, nl.problems.MISSING);
    await warning.getByText(missing).waitFor();
    expect(await warning.getByRole("heading").textContent()).toBe(nl.threadNotVerifiedTitle);
    expect(await warning.locator("li").allTextContents()).toContain(missing);
    // The new message is shown, flagged; the deleted one is not.
    const conversation = anna.locator("section.conversation");
    const last = conversation.locator("li.message", { hasText: MARK.third });
    await last.getByTestId("not-verified").waitFor();
    expect(await conversation.textContent()).not.toContain(MARK.second);
    // Not only Anna's device, which had read it: a reader that remembers nothing is told too.
    const fresh = await (await world.staff(VERA)).readThread(threadId as ThreadId);
    expect(fresh.problems.map((p) => p.reason)).toContain("MISSING");

    // The help-seeker's own tab, reloaded after sending, says so too.
    await seeker.getByText(seekerNl.problemReason("MISSING"), { exact: false }).first().waitFor();
  });

  it("no page error or CSP violation on any page", async () => {
    for (const [i, context] of contexts.entries()) {
      for (const page of context.pages()) await collectCsp(page, watches[i]!);
    }
    expect(watches.flatMap((w) => [...w.pageErrors, ...w.cspViolations])).toEqual([]);
  });
});
