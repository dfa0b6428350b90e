/**
 * `npm run bench:thread`: one conversation of 1,000 messages (BENCH_MESSAGES), written alternately by a
 * help-seeker and a counsellor through packages/client in Node (timed: each reply loads and verifies
 * the thread first, which the session cache makes incremental), then opened by the counsellor in the
 * staff app in headless Chromium: from the click on the conversation in the inbox to its newest 30
 * messages shown, verified (the screen's window; earlier ones on request). Also in Node: a full read and
 * a read of only what is new at that length, and one reply (BENCH_THREAD_ONLY=node stops there). The
 * floor, in the same run: verifying and decrypting the same envelopes in Node with no cache (bytes
 * fetched before the clock); the browser rows also give a second open in the same tab (cache warm).
 * The app is opened in two fresh tabs: clicked as soon as the row shows (the inbox is then verifying
 * the same conversation in its workers), and clicked once the inbox verified it (BENCH_THREAD_PROFILE=1
 * profiles this one).
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import type { ThreadId } from "@briefgeheim/crypto";
import type { Browser } from "playwright-core";
import { Agent, setGlobalDispatcher } from "undici";
import { launchChromium } from "../../tests/browser/support/browser.js";
import { CASELOAD_PEOPLE, seedCaseload } from "../../tests/browser/support/staff-caseload.js";
import { signInInPage } from "../../tests/browser/support/staff-pages.js";
import { startStaffWorld } from "../../tests/browser/support/staff-world.js";
import { startProfile, startTrace } from "../support/chromium-profile.js";

// One connection per request: the clients share the event loop with the server (see bench/inbox).
setGlobalDispatcher(new Agent({ pipelining: 0 }));

const MESSAGES = Number(process.env.BENCH_MESSAGES ?? 1000);
const PROFILE = process.env.BENCH_THREAD_PROFILE === "1";

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
    const each: number[] = [];
    const loadBefore = loadavg()[0]!;
    for (let i = 2; i <= MESSAGES; i++) {
      const r0 = performance.now();
      if (i % 2 === 0) await anna.reply(threadId, `Antwoord ${i}: dank je voor je bericht, ik lees mee.`);
      else await seeker.reply(threadId, `Bericht ${i}: het gaat vandaag wat beter dan gisteren.`);
      each.push(performance.now() - r0);
      if (i % 100 === 0) {
        per100.push(performance.now() - mark);
        mark = performance.now();
      }
    }
    const writeS = (performance.now() - w0) / 1000;
    const mid = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]! / 1000;
    const replyMedians = { first: mid(each.slice(0, 100)), last: mid(each.slice(-100)) };
    console.log(`writing: load ${loadBefore.toFixed(1)} before, ${loadavg()[0]!.toFixed(1)} after`);

    // What a reply's read costs at this length, in Node, Anna's cache warm: the whole listing (every
    // reply before issue 14's incremental reads, and opening) against only what follows her listing.
    const median = async (fn: () => Promise<unknown>) => {
      const times: number[] = [];
      for (let i = 0; i < 5; i++) {
        const t0 = performance.now();
        await fn();
        times.push(performance.now() - t0);
      }
      return times.sort((a, b) => a - b)[2]! / 1000;
    };
    const fullReadS = await median(() => anna.readThread(threadId));
    const shortReadS = await median(() => anna.readThread(threadId, { incremental: true }));
    const oneReplyS = await median(() => anna.reply(threadId, "Nog een antwoord."));

    // The floor: a fresh session verifies the fetched bytes (no cache).
    const length = MESSAGES + 5;
    await anna.signOut();
    const fresh = await caseload.signIn("a");
    const fetched = await fresh.fetchThreads([threadId]);
    const f0 = performance.now();
    const [floor] = await fresh.verifyFetchedThreads(fetched);
    const floorS = (performance.now() - f0) / 1000;
    if (floor?.ok !== true || floor.view.messages.length !== length) throw new Error("floor: not verified");
    await fresh.signOut();
    if (process.env.BENCH_THREAD_ONLY === "node") {
      report({ writeS, per100, replyMedians, fullReadS, shortReadS, oneReplyS, floorS });
      return;
    }

    await world.serveApp({ pins: caseload.pins });
    // A fresh tab each: clicked as soon as the row shows (the inbox is then still verifying the same
    // conversation in its workers, beside the open), and clicked once the inbox verified it.
    const atOnce = await openInApp(world.origin, browser, length, { waitForInbox: false, profile: false });
    const afterInbox = await openInApp(world.origin, browser, length, {
      waitForInbox: true,
      profile: PROFILE,
    });

    report({ writeS, per100, replyMedians, fullReadS, shortReadS, oneReplyS, floorS }, browser.version());
    const line = (what: string, s: number) =>
      console.log(`| ${what} | ${s.toFixed(2)} | ${floorS.toFixed(2)} | ${(s / floorS).toFixed(1)} |`);
    line(`staff app: click to the newest 30 of ${length} shown, verified, first open at once`, atOnce.firstS);
    line("staff app: the same, second open in the tab", atOnce.againS);
    line("staff app: first open once the inbox verified the conversation", afterInbox.firstS);
    line("staff app: the same, second open in the tab", afterInbox.againS);
    const profileLines = afterInbox.profileLines;
    if (profileLines.length > 0) {
      console.log(
        "\nthe first open once the inbox verified it: the page's thread (JS profile), then every thread (trace)",
      );
      for (const line of profileLines) console.log(line);
    }
  } finally {
    await browser.close();
    await world.close();
  }
}

/**
 * Signs in to the staff app in a fresh tab and opens the conversation twice (each time from the inbox):
 * click to its newest window (30 messages) shown and verified.
 */
async function openInApp(
  origin: string,
  browser: Browser,
  length: number,
  o: { waitForInbox: boolean; profile: boolean },
): Promise<{ firstS: number; againS: number; profileLines: string[] }> {
  const context = await browser.newContext({ locale: "nl-NL" });
  const page = await context.newPage();
  await page.goto(`${origin}/staff/`);
  await signInInPage(page, CASELOAD_PEOPLE.a);
  const row = page.locator(".thread-row .thread-link").first();
  await row.waitFor({ timeout: 120_000 });
  if (o.waitForInbox) {
    // Search covers a conversation once the inbox verified and decrypted it.
    const search = page.getByLabel("Zoeken in gesprekken");
    await search.fill("Bericht");
    await page.getByText(/doorzocht: 1 van 1\)/).waitFor({ timeout: 300_000 });
    await search.fill("");
  }
  const open = async () => {
    const t0 = await page.evaluate(() => performance.now());
    await row.click();
    await page.waitForFunction(
      (n) =>
        document.querySelector("[data-testid=verified]") !== null &&
        document.querySelectorAll("ol.messages:not(.notes-list) > li.message").length >= n,
      Math.min(30, length),
      { timeout: 300_000, polling: 20 },
    );
    return ((await page.evaluate(() => performance.now())) - t0) / 1000;
  };
  // BENCH_THREAD_PROFILE=1: the page's thread profiled (CDP) and traced during the first open.
  const profiling = o.profile ? await Promise.all([startProfile(page), startTrace(page)]) : undefined;
  const firstS = await open();
  const profileLines: string[] = [];
  for (const stop of profiling ?? []) profileLines.push("", ...(await stop()));
  await page.getByRole("navigation", { name: "Hoofdmenu" }).getByRole("button", { name: "Postvak" }).click();
  await row.waitFor();
  const againS = await open();
  await context.close();
  return { firstS, againS, profileLines };
}

/** The Node part of the table (and its head); the browser rows follow it. */
function report(
  m: {
    writeS: number;
    per100: number[];
    replyMedians: { first: number; last: number };
    fullReadS: number;
    shortReadS: number;
    oneReplyS: number;
    floorS: number;
  },
  chromium?: string,
): void {
  console.log(
    `\nbench:thread  (${chromium === undefined ? "Node only" : `Chromium ${chromium} headless`}, ${availableParallelism()} cores: ${cpus()[0]?.model ?? "?"}; load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" / ")})`,
  );
  console.log(
    "floor = verifyEpochs + verifyThread + the staff view of the same envelopes in Node, no cache, fetched before the clock.",
  );
  console.log("| what | seconds | floor (Node, same run) s | ratio |");
  console.log("|---|---:|---:|---:|");
  console.log(`| write ${MESSAGES} alternating messages through the SDK | ${m.writeS.toFixed(1)} | - | - |`);
  console.log(
    `| the same, first 100 / last 100 replies | ${(m.per100[0]! / 1000).toFixed(1)} / ${(m.per100.at(-1)! / 1000).toFixed(1)} | - | - |`,
  );
  console.log(
    `| median reply (read + post), first 100 / last 100 | ${m.replyMedians.first.toFixed(3)} / ${m.replyMedians.last.toFixed(3)} | - | - |`,
  );
  const row = (what: string, s: number) =>
    console.log(`| ${what} | ${s.toFixed(3)} | ${m.floorS.toFixed(3)} | ${(s / m.floorS).toFixed(2)} |`);
  row(`Node: read the ${MESSAGES} in full, cache warm (median of 5)`, m.fullReadS);
  row("Node: read only what is new, cache warm (median of 5)", m.shortReadS);
  row(`Node: one reply at ${MESSAGES} messages (median of 5)`, m.oneReplyS);
}

await main();
