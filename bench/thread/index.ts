/**
 * `npm run bench:thread`: one conversation of 1,000 messages (BENCH_MESSAGES), written alternately by a
 * help-seeker and a counsellor through packages/client in Node (timed: each reply loads and verifies
 * the thread first, which the session cache makes incremental), then opened by the counsellor in the
 * staff app in headless Chromium: from the click on the conversation in the inbox to every message
 * shown. The floor, in the same run: verifying and decrypting the same 1,000 envelopes in Node (bytes
 * fetched before the clock), and a second open in the same tab (the session cache warm).
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import type { ThreadId } from "@briefgeheim/crypto";
import { Agent, setGlobalDispatcher } from "undici";
import { launchChromium } from "../../tests/browser/support/browser.js";
import { CASELOAD_PEOPLE, seedCaseload } from "../../tests/browser/support/staff-caseload.js";
import { signInInPage } from "../../tests/browser/support/staff-pages.js";
import { startStaffWorld } from "../../tests/browser/support/staff-world.js";

// One connection per request: the clients share the event loop with the server (see bench/inbox).
setGlobalDispatcher(new Agent({ pipelining: 0 }));

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);

async function main(): Promise<void> {
  const world = await startStaffWorld();
  const browser = await launchChromium();
  try {
    const caseload = await seedCaseload(world, 1);
    const threadId = caseload.threadIds[0] as ThreadId;
    const anna = await caseload.signIn("a");
    const seeker = caseload.seeker;
    // Write the conversation: the first message exists; then help-seeker and counsellor alternate.
    const w0 = performance.now();
    const per100: number[] = [];
    let mark = w0;
    for (let i = 2; i <= MESSAGES; i++) {
      if (i % 2 === 0) await anna.reply(threadId, `Antwoord ${i}: dank je voor je bericht, ik lees mee.`);
      else await seeker.reply(threadId, `Bericht ${i}: het gaat vandaag wat beter dan gisteren.`);
      if (i % 100 === 0) {
        per100.push(performance.now() - mark);
        mark = performance.now();
      }
    }
    const writeS = (performance.now() - w0) / 1000;

    // The floor: a fresh session verifies the fetched bytes (no cache).
    await anna.signOut();
    const fresh = await caseload.signIn("a");
    const fetched = await fresh.fetchThreads([threadId]);
    const f0 = performance.now();
    const [floor] = await fresh.verifyFetchedThreads(fetched);
    const floorS = (performance.now() - f0) / 1000;
    if (floor?.ok !== true || floor.view.messages.length !== MESSAGES) throw new Error("floor: not verified");
    await fresh.signOut();

    await world.serveApp({ pins: caseload.pins });
    const page = await (await browser.newContext({ locale: "nl-NL" })).newPage();
    await page.goto(`${world.origin}/staff/`);
    await signInInPage(page, CASELOAD_PEOPLE.a);
    const row = page.locator(".thread-row .thread-link").first();
    await row.waitFor({ timeout: 120_000 });
    const open = async () => {
      const t0 = await page.evaluate(() => performance.now());
      await row.click();
      await page.waitForFunction(
        (n) => document.querySelectorAll("ol.messages:not(.notes-list) > li.message").length >= n,
        MESSAGES,
        { timeout: 300_000, polling: 20 },
      );
      return ((await page.evaluate(() => performance.now())) - t0) / 1000;
    };
    const firstS = await open();
    await page
      .getByRole("navigation", { name: "Hoofdmenu" })
      .getByRole("button", { name: "Postvak" })
      .click();
    await row.waitFor();
    const againS = await open();

    console.log(
      `\nbench:thread  (Chromium ${browser.version()} headless, ${availableParallelism()} cores: ${cpus()[0]?.model ?? "?"}; load ${loadavg()[0]!.toFixed(1)})`,
    );
    console.log("| what | seconds | floor (Node, same run) s | ratio |");
    console.log("|---|---:|---:|---:|");
    console.log(`| write ${MESSAGES} alternating messages through the SDK | ${writeS.toFixed(1)} | - | - |`);
    console.log(
      `| the same, first 100 / last 100 replies | ${(per100[0]! / 1000).toFixed(1)} / ${(per100.at(-1)! / 1000).toFixed(1)} | - | - |`,
    );
    console.log(
      `| staff app: click to ${MESSAGES} messages shown, first open | ${firstS.toFixed(2)} | ${floorS.toFixed(2)} | ${(firstS / floorS).toFixed(1)} |`,
    );
    console.log(
      `| staff app: the same, second open in the tab | ${againS.toFixed(2)} | ${floorS.toFixed(2)} | ${(againS / floorS).toFixed(1)} |`,
    );
    console.log(
      "\nfloor = verifyEpochs + verifyThread + the staff view of the same envelopes in Node, fetched before the clock.",
    );
  } finally {
    await browser.close();
    await world.close();
  }
}

await main();
