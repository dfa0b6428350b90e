/**
 * The help-seeker app in Chromium, end to end, against the real API with a pinned build:
 * choose the helpline -> write -> warnings -> the code ceremony (download, type back) -> send; a
 * counsellor scripted through packages/client in Node claims and replies; a new browser context
 * comes back with the code, reads the verified reply, writes again; the conversation is deleted for
 * good. Throughout: the code never appears in a request, a URL or storage, and no page logs an error
 * or a CSP violation.
 */
import { readFileSync } from "node:fs";
import type { ThreadId } from "@briefgeheim/crypto";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  chromiumAvailable,
  collectCsp,
  launchChromium,
  type SeenRequest,
  visibleText,
  type Watch,
  watchContext,
} from "./support/browser.js";
import { codeForms, cookieNames, leaksInRequests, storageSnapshot } from "./support/secrets.js";
import { COUNSELLOR, HELPLINE, startWorld, type World } from "./support/world.js";

const MARK = {
  subject: "MARKER-SUBJ-4e1f",
  body: "MARKER-BODY-8c2a Ik weet niet goed bij wie ik terecht kan. Thuis is het al een tijd erg onrustig en ik slaap slecht.",
  reply: "MARKER-REPLY-b7d3 Fijn dat je ons schrijft. Vertel je wat meer over thuis?",
  again: "MARKER-AGAIN-19e0 Dank je. Het gaat vooral om mijn vader.",
};

let world: World;
let browser: Browser;

beforeAll(async () => {
  if (!chromiumAvailable()) return;
  [world, browser] = await Promise.all([startWorld(), launchChromium()]);
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await world?.close();
});

async function mainText(page: Page): Promise<string> {
  return visibleText(page.locator("main"));
}

describe.skipIf(!chromiumAvailable())("the help-seeker app in Chromium", () => {
  it("write, keep the code, send; a reply; come back with the code, write again; delete", async () => {
    const urls: string[] = [];
    const requests: SeenRequest[] = [];
    const watches: Watch[] = [];

    // ---- First visit: choose, write, the code ceremony, send.
    const first = await browser.newContext({ acceptDownloads: true });
    const watch1 = await watchContext(first);
    watches.push(watch1);
    const page = await first.newPage();
    page.on("framenavigated", (f) => urls.push(f.url()));
    await page.goto(`${world.origin}/`);
    expect(await page.title()).toBe("Notities");
    const link = page.getByRole("link", { name: `Schrijf naar ${HELPLINE.name}` });
    await link.waitFor();
    const card = page.locator("li.card", { hasText: HELPLINE.name });
    expect(await visibleText(card)).toContain("Antwoord binnen 3 dagen");
    // Plain words first; the fingerprint and the technical sentence one click away (issue 10, item 5).
    await card.getByText("Gecontroleerd: dit is echt deze hulplijn.").waitFor();
    expect(await visibleText(card)).not.toMatch(/sleutel|vingerafdruk/i);
    await card.getByText("Technische gegevens").click();
    await card.locator("code.fp").waitFor();
    expect(await visibleText(card.locator("code.fp"))).toBe(world.fingerprint);
    expect(await visibleText(card)).toContain(
      "De sleutel van de hulplijn zit vast in deze versie van de website.",
    );
    const historyAtStart = await page.evaluate(() => history.length);
    await link.click();

    await page.getByRole("heading", { level: 1, name: HELPLINE.name }).waitFor();
    expect(page.url()).toBe(`${world.origin}/#/h/${HELPLINE.slug}`);
    const start = page.getByRole("button", { name: "Begin met schrijven" });
    await page.waitForFunction(() => {
      const b = [...document.querySelectorAll("button")].find((x) => x.textContent === "Begin met schrijven");
      return b !== undefined && !b.disabled;
    });
    await start.click();

    await page.getByRole("heading", { level: 1, name: `Je bericht aan ${HELPLINE.name}` }).waitFor();
    expect(await mainText(page)).toContain("Je bericht staat nu alleen in dit tabblad.");
    // Warnings first: a very short first message with a phone number and an e-mail address.
    await page.getByLabel("Onderwerp").fill(MARK.subject);
    await page.getByLabel("Je bericht").fill("Bel me op 06-12345678 of mail naar iemand@example.nl");
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    const warnings = page.getByRole("alert").filter({ hasText: "Kijk nog even naar je bericht" });
    await warnings.waitFor();
    const warningText = await visibleText(warnings);
    expect(warningText).toContain("telefoonnummer");
    expect(warningText).toContain("e-mailadres");
    expect(warningText).toContain("erg kort");
    await page.getByRole("button", { name: "Aanpassen" }).click();
    await page.getByLabel("Je bericht").fill(MARK.body);
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();

    // The ceremony: the code is made in the browser, shown in six groups of four.
    await page.getByRole("heading", { level: 1, name: "Jouw code" }).waitFor();
    await page.locator(".code .group").nth(5).waitFor({ timeout: 30_000 });
    const groups = await page.locator(".code .group").allInnerTexts();
    expect(groups).toHaveLength(6);
    const code = groups.join("-");
    expect(code).toMatch(/^07[0-9A-Z]{2}(-[0-9A-Z]{4}){5}$/); // tag 7
    const ceremony = await mainText(page);
    expect(ceremony).toContain("de enige manier om terug te komen");
    expect(ceremony).toContain("Wie je code heeft, kan je hele gesprek lezen");

    // Download as a text file: the file holds the code and nothing that says what it is for.
    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByRole("button", { name: "Opslaan als tekstbestand" }).click(),
    ]);
    expect(download.suggestedFilename()).toBe("notitie.txt");
    const file = readFileSync(await download.path(), "utf8");
    expect(file.trim()).toBe(code);

    // Type back two groups: a wrong one first.
    const labels = await page.locator(".group-fields label").allInnerTexts();
    const asked = labels.map((l) => Number(/(\d)$/.exec(l)?.[1]));
    await page.getByLabel(labels[0]!).fill("ZZZZ");
    await page.getByLabel(labels[1]!).fill(groups[asked[1]! - 1]!);
    await page.getByRole("button", { name: "Klopt: verstuur mijn bericht" }).click();
    await page.getByText("Dit komt niet overeen met je code.").waitFor();
    await page.getByLabel(labels[0]!).fill(groups[asked[0]! - 1]!.toLowerCase());
    await page.getByRole("button", { name: "Klopt: verstuur mijn bericht" }).click();

    // The conversation: the message, verified; who reads it; the code is gone from the DOM.
    await page.getByRole("heading", { level: 1, name: `Je gesprek met ${HELPLINE.name}` }).waitFor();
    await page.getByText(MARK.body).waitFor();
    let text = await mainText(page);
    expect(text).toContain("Gecontroleerd");
    expect(text).toContain("Alle berichten in dit gesprek zijn gecontroleerd.");
    expect(text).toContain("Wie kan dit gesprek lezen?");
    expect(text).toContain("nog geen vaste hulpverlener; nieuwe berichten lezen: Anna");
    expect(text).toContain("de coördinatoren van de hulplijn (als groep)");
    expect(text).toContain("Antwoord binnen 3 dagen");
    expect(text).toMatch(/Dit gesprek wordt op \d+ \S+ \d{4} voorgoed verwijderd/);
    const html = await page.content();
    for (const form of codeForms(code).slice(0, 4)) expect(html).not.toContain(form);
    expect(await page.evaluate(() => history.length)).toBe(historyAtStart);

    // ---- The counsellor, in Node, claims the thread from intake and replies.
    const anna = await world.counsellor();
    const intake = await anna.listThreads("intake");
    expect(intake).toHaveLength(1);
    const threadId = intake[0]!.id as ThreadId;
    const staffView = await anna.readThread(threadId);
    expect(staffView.ok).toBe(true);
    expect(staffView.messages.map((m) => [m.from, m.subject, m.body])).toEqual([
      ["help-seeker", MARK.subject, MARK.body],
    ]);
    await anna.claim(threadId);
    await anna.reply(threadId, MARK.reply);

    await page.getByRole("button", { name: "Nieuwe berichten ophalen" }).click();
    await page.getByText(MARK.reply).waitFor();
    expect(await visibleText(page.locator("li.message.theirs"))).toContain(
      `${COUNSELLOR.displayName}, ${HELPLINE.name}`,
    );
    await collectCsp(page, watch1);
    expect(await storageSnapshot(page)).toMatchObject({
      localStorage: 0,
      sessionStorage: 0,
      indexedDb: [],
      caches: [],
      serviceWorkers: 0,
    });
    expect(await cookieNames(first)).toEqual(["__Host-bg_session"]);
    requests.push(...watch1.requests);
    await first.close();

    // ---- Another day, another browser: come back with the code (typed loosely).
    const second = await browser.newContext();
    const watch2 = await watchContext(second);
    watches.push(watch2);
    const again = await second.newPage();
    again.on("framenavigated", (f) => urls.push(f.url()));
    await again.goto(`${world.origin}/#/return`);
    await again.getByRole("heading", { level: 1, name: "Terug naar je gesprek" }).waitFor();
    await again.getByLabel("Je code").fill(` ${code.toLowerCase().replace(/-/g, " ")} `);
    await again.getByRole("button", { name: "Open mijn gesprek" }).click();
    await again.getByRole("heading", { level: 1, name: `Je gesprek met ${HELPLINE.name}` }).waitFor({
      timeout: 30_000,
    });
    await again.getByText(MARK.reply).waitFor();
    text = await mainText(again);
    expect(text).toContain(MARK.body);
    expect(await again.locator("li.message .verified").count()).toBe(2);
    expect(text).toContain("je hulpverlener: Anna");
    expect(text).toMatch(/Laatste bericht: .+\./);
    // No field keeps the code: the reply box and the file picker (attachments) are both empty.
    expect(
      await again
        .locator("input, textarea")
        .evaluateAll((els) => els.map((e) => `${e.tagName.toLowerCase()}:${(e as HTMLInputElement).value}`)),
    ).toEqual(["textarea:", "input:"]);
    expect(await again.content()).not.toContain(code);

    // Write again.
    await again.getByLabel("Je bericht").fill(MARK.again);
    await again.getByRole("button", { name: "Versturen", exact: true }).click();
    await again.getByText("Je bericht is verstuurd.").waitFor();
    await again.locator("li.message", { hasText: MARK.again }).waitFor();
    const later = await anna.readThread(threadId);
    expect(later.messages.filter((m) => m.kind === "message").map((m) => [m.from, m.body])).toEqual([
      ["help-seeker", MARK.body],
      ["me", MARK.reply],
      ["help-seeker", MARK.again],
    ]);

    // In English too: the language switch changes every string and the dates.
    await again.getByRole("button", { name: "Switch to English" }).click();
    await again.getByRole("heading", { level: 1, name: `Your conversation with ${HELPLINE.name}` }).waitFor();
    expect(await again.title()).toBe("Notes");
    await again.getByRole("button", { name: "Wissel naar Nederlands" }).click();

    // Delete, after confirmation.
    await again.getByRole("button", { name: "Gesprek verwijderen" }).click();
    const dialog = again.getByRole("dialog", { name: "Gesprek verwijderen?" });
    await dialog.waitFor();
    await dialog.getByRole("button", { name: "Ja, verwijder het gesprek" }).click();
    await again.getByText("Je gesprek is voorgoed verwijderd.").waitFor();
    expect(await visibleText(again.locator("main"))).not.toContain(MARK.body);
    await expect(anna.readThread(threadId)).rejects.toMatchObject({ code: "NOT_FOUND" });
    expect(await world.h.query("SELECT id FROM threads WHERE id = ?", [threadId])).toEqual([]);

    await collectCsp(again, watch2);
    expect(await storageSnapshot(again)).toMatchObject({
      localStorage: 0,
      sessionStorage: 0,
      indexedDb: [],
      caches: [],
    });
    requests.push(...watch2.requests);
    await second.close();

    // ---- The code never left the browser: not in a request, a URL, or storage.
    expect(requests.length).toBeGreaterThan(10);
    expect(requests.some((r) => r.url.includes("/api/threads") && r.method === "POST")).toBe(true);
    expect(leaksInRequests(requests, code)).toEqual([]);
    const forms = codeForms(code);
    expect(urls.filter((u) => forms.some((f) => u.toUpperCase().includes(f.toUpperCase())))).toEqual([]);
    // ...and not in what the server stored or logged.
    const stored = world.h.storedText();
    expect(forms.filter((f) => f.length >= 8 && stored.includes(f))).toEqual([]);
    for (const marker of Object.values(MARK)) expect(stored).not.toContain(marker.slice(0, 17));

    // No console error, page error or CSP violation on any page of the journey.
    expect(watches.flatMap((w) => w.problems())).toEqual([]);
  });
});
