/**
 * `npm run bench:inbox`: a counsellor signs in to an inbox of N claimed conversations in the staff app
 * (headless Chromium) and waits for: the list, every subject verified and decrypted, search complete
 * (a query whose coverage reaches N of N). Also the longest main-thread task (PerformanceObserver
 * `longtask`: over the whole span from the click, and over the verification alone, from the first row
 * to the last conversation verified, which leaves out the sign-in's Argon2id), the page's JS heap, the
 * bytes and server time of a refresh with nothing new, and the floor measured in the same run: the
 * same verifications and decryptions in Node, over bytes fetched before the clock starts.
 *
 * Each size is measured twice in the same world, one after the other: with the app's crypto pool of
 * Web Workers (issue 14), and with the worker script blocked (Playwright aborts its request), so the
 * app falls back to verifying on the main thread in slices, as before the pool. BENCH_TRACE=1 prints
 * what each long task while verifying was made of (trace.ts; the tracing itself slows the page).
 *
 * Setup (not timed): the real API on 127.0.0.1, a helpline through packages/client, a help-seeker who
 * opens N conversations, counsellor A (Anna) who claims them all, the staff app built with the pin.
 * BENCH_SIZES=200,1000 (default) picks the inbox sizes; each size is a fresh world.
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import type { Browser, Page } from "playwright-core";
import { Agent, setGlobalDispatcher } from "undici";
import { launchChromium } from "../../tests/browser/support/browser.js";
import { CASELOAD_PEOPLE, seedCaseload } from "../../tests/browser/support/staff-caseload.js";
import { startStaffWorld } from "../../tests/browser/support/staff-world.js";
import { startProfile, startTrace } from "../support/chromium-profile.js";
import { requestTimes } from "../support/server-log.js";
import { cpuBetween, cpuSeconds } from "./cpu.js";
import { TIMELINE_PROBE, timelineRead } from "./timeline.js";
import { summariseLongTasks, TRACE_CATEGORIES } from "./trace.js";

// The Node clients share the event loop with the server they talk to: crypto that blocks it for long
// lets the server close a kept-alive socket the client is about to reuse (ECONNRESET while seeding
// 1,000 threads). One connection per request avoids that race; loopback connections are cheap.
setGlobalDispatcher(new Agent({ pipelining: 0 }));

const SIZES = (process.env.BENCH_SIZES ?? "200,1000").split(",").map(Number);
/**
 * Between the form showing and the click: about the time a person takes to type a username and a
 * passphrase of several words. What the page does meanwhile (loading the SDK and the shell, touching
 * Argon2id's memory) is not part of the wait after the click. BENCH_TYPING_MS=0: click at once.
 */
const TYPING_MS = Number(process.env.BENCH_TYPING_MS ?? "3000");
/** BENCH_TRACE=1: also say what each long task was made of (trace.ts); the tracing slows the page. */
const TRACE = process.env.BENCH_TRACE === "1";
/**
 * BENCH_VERIFY_TIMELINE=1: also print, from the first row to the last conversation verified, the
 * requests and how many conversations search covered at each poll (where the verification waits).
 */
const VERIFY_TIMELINE = process.env.BENCH_VERIFY_TIMELINE === "1";
/** BENCH_THREADS_TRACE=1: self time per thread of the page (workers too), first row to all verified. */
const THREADS_TRACE = process.env.BENCH_THREADS_TRACE === "1";
/** BENCH_INBOX_PROFILE=1: the page's main thread profiled (JS self time), first row to all verified. */
const PROFILE = process.env.BENCH_INBOX_PROFILE === "1";

/** Loopback connections kept alive through minutes of seeding are sometimes reset: try again. */
async function retry<T>(fn: () => Promise<T>, tries = 3): Promise<T> {
  for (let i = 1; ; i++) {
    try {
      return await fn();
    } catch (e) {
      if (i >= tries || (e as { code?: string }).code !== "NETWORK") throw e;
      console.log(`(retrying after ${(e as Error).message})`);
    }
  }
}

interface Row {
  readonly n: number;
  /** "pool (k workers)" or "main thread". */
  readonly mode: string;
  /** Click event to the first row in the DOM, in the page's clock. */
  readonly listS: number;
  /** The same seen from Node: from before Playwright's click to the poll that saw a row. */
  readonly listPolledS: number;
  readonly verifiedS: number;
  readonly searchMs: number;
  readonly longestTaskMs: number;
  readonly longTasks: number;
  /** Long tasks that began between the first row and the last conversation verified. */
  readonly verifyLongestMs: number;
  readonly verifyLongTasks: number;
  readonly heapMiB: number;
  /** CPU seconds from the first row to all verified: the API server (in this process), Chromium. */
  readonly serverCpuS: number;
  readonly chromiumCpuS: number;
  readonly floorS: number;
  readonly refreshBytes: number;
  /** The server's own time for the refresh's list requests (its request log's `ms`, summed). */
  readonly refreshServerMs: number;
  /** The whole refresh seen from Node on loopback. */
  readonly refreshMs: number;
  readonly refreshPages: string;
  readonly fullListBytes: number;
  readonly load: string;
}

/**
 * Installed in the page after it loaded (the app is a single page: signing in does not reload it): the
 * long tasks from then on. A string, not a function: tsx's transform would wrap a function's inner
 * names in a helper the page does not have.
 */
function pageProbe(_expected: number): string {
  return `(() => {
    window.__tasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__tasks.push([e.startTime, e.duration]);
    }).observe({ type: "longtask" });
  })()`;
}

async function runSize(n: number): Promise<Row[]> {
  // One help-seeker opens all n conversations: 10 a day is the real quota, so scale it to n.
  const world = await startStaffWorld({ quotaScale: Math.max(100, Math.ceil(n / 10)) });
  const browser = await launchChromium();
  try {
    const setup = Date.now();
    const caseload = await seedCaseload(world, n);

    // The floor: Anna's own threads, fetched in Node before the clock, then verified and decrypted.
    const anna = await retry(() => caseload.signIn("a"));
    const baseline = process.env.BENCH_BASELINE === "1";
    let floorS = Number.NaN;
    let list = { bytes: Number.NaN };
    let again = { bytes: Number.NaN, ms: Number.NaN, serverMs: Number.NaN, unchanged: 0, requests: 0 };
    if (!baseline) {
      const fetched = await anna.fetchThreads(caseload.threadIds);
      const f0 = performance.now();
      const verified = await anna.verifyFetchedThreads(fetched);
      floorS = (performance.now() - f0) / 1000;
      const ok = verified.filter((v) => v.ok).length;
      if (ok !== n) throw new Error(`floor: ${ok} of ${n} verified`);
      // A refresh with nothing new: the list pages with the ETags of the previous answer.
      const first = await anna.listThreadsWithTags("mine");
      list = first;
      const r0 = performance.now();
      const logFrom = world.serverLog.length;
      const second = await anna.listThreadsWithTags("mine", first.snapshot);
      again = {
        ...second,
        ms: performance.now() - r0,
        serverMs: requestTimes(world.serverLog.slice(logFrom), "GET", "/api/threads").ms,
      };
    }
    await anna.signOut();
    await world.serveApp({ pins: caseload.pins });
    console.log(`setup ${n}: claimed and built in ${((Date.now() - setup) / 1000).toFixed(1)} s`);
    const shared = {
      floorS,
      refreshBytes: again.bytes,
      refreshServerMs: again.serverMs,
      refreshMs: again.ms,
      refreshPages: `${again.unchanged}/${again.requests}`,
      fullListBytes: list.bytes,
    };
    const rows: Row[] = [];
    for (const pool of [true, false]) {
      rows.push({ ...(await inBrowser(browser, world.origin, n, pool)), ...shared });
      console.log(`measured ${n} (${rows.at(-1)!.mode})`);
    }
    return rows;
  } finally {
    await browser.close();
    await world.close();
  }
}

type Measured = Omit<
  Row,
  "floorS" | "refreshBytes" | "refreshServerMs" | "refreshMs" | "refreshPages" | "fullListBytes"
>;

/** One sign-in to the inbox in a fresh browser context; `pool` false blocks the worker script. */
async function inBrowser(browser: Browser, origin: string, n: number, pool: boolean): Promise<Measured> {
  const context = await browser.newContext({ locale: "nl-NL" });
  const page = await context.newPage();
  if (!pool) await page.route(/\/assets\/crypto-worker-[^/]*\.js$/, (route) => route.abort());
  await page.goto(`${origin}/staff/`);
  await page.getByLabel("Wachtwoordzin", { exact: true }).waitFor();
  await page.getByLabel("Gebruikersnaam").fill(CASELOAD_PEOPLE.a.username);
  await page.getByLabel("Wachtwoordzin", { exact: true }).fill(CASELOAD_PEOPLE.a.passphrase);
  await page.waitForTimeout(TYPING_MS);
  page.setDefaultTimeout(600_000);
  await page.evaluate(pageProbe(n));
  await page.evaluate(TIMELINE_PROBE);
  // Start the clock right before the click that signs in; Node polls the page every 25 ms.
  await page.evaluate("window.__t0 = performance.now()");
  const t0 = Date.now();
  await page.getByRole("button", { name: /^(Aanmelden|Ontgrendelen)$/ }).click();
  const marks: Record<string, number> = {};
  const pageAt: Record<string, number> = {};
  /** Page time and conversations covered, at each poll where the count changed. */
  const progress: [number, number][] = [];
  let stopThreadsTrace: (() => Promise<string[]>) | undefined;
  /** CPU seconds of the server (this process) and of Chromium, at the first row and at all verified. */
  const cpuAt: Record<string, ReturnType<typeof cpuSeconds>> = {};
  let typed = false;
  while (marks.verified === undefined) {
    if (Date.now() - t0 > 600_000) throw new Error(`${n}: not verified after 600 s`);
    const seen = await page.evaluate(
      `({ at: performance.now(), rows: document.querySelectorAll(".thread-row").length, status: [...document.querySelectorAll("[role=status]")].map((e) => e.textContent).join(" ") })`,
    );
    const { at, rows, status } = seen as { at: number; rows: number; status: string };
    const now = Date.now();
    if (rows > 0 && marks.list === undefined) {
      marks.list = now;
      pageAt.list = at;
      cpuAt.list = cpuSeconds();
      if (TRACE) await browser.startTracing(page, { categories: TRACE_CATEGORIES });
      if (THREADS_TRACE) stopThreadsTrace = await startTrace(page);
      else if (PROFILE) stopThreadsTrace = await startProfile(page);
    }
    if (rows > 0 && !typed) {
      typed = true;
      // Typed as soon as the list shows: the answer is complete once every conversation is verified.
      await page.getByLabel("Zoeken in gesprekken").fill("Bericht 17:");
    }
    const covered = /doorzocht: (\d+) van/.exec(status);
    if (covered !== null && Number(covered[1]) !== progress.at(-1)?.[1])
      progress.push([at, Number(covered[1])]);
    if (status.includes(`doorzocht: ${n} van ${n}`)) {
      marks.verified = now;
      pageAt.verified = at;
      cpuAt.verified = cpuSeconds();
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  if (TRACE) {
    const trace = (await browser.stopTracing()).toString("utf8");
    console.log(`long tasks of ${n} (${pool ? "pool" : "main thread"}), first row to all verified:`);
    for (const line of summariseLongTasks(trace)) console.log(`  ${line}`);
  }
  if (stopThreadsTrace !== undefined) {
    const what = THREADS_TRACE ? "threads of the page" : "the page's main thread";
    console.log(`${what}, first row to all verified, ${n} (${pool ? "pool" : "main thread"}):`);
    for (const line of await stopThreadsTrace()) console.log(`  ${line}`);
  }
  const spent =
    cpuAt.list !== undefined && cpuAt.verified !== undefined
      ? cpuBetween(cpuAt.list, cpuAt.verified)
      : undefined;
  const kinds = [...(spent?.byKind ?? [])].map(([kind, s]) => `${kind} ${s.toFixed(2)}`);
  console.log(`Chromium's CPU s while verifying, by process: ${kinds.join(", ")}`);
  const timeline = (await page.evaluate(timelineRead(pageAt.list ?? 0))) as string[];
  // The list's time in the page's own clock: from the click event to the first row in the DOM.
  const inPage = (await page.evaluate("[window.__clickAt, window.__firstRowAt]")) as [number?, number?];
  if (inPage[0] === undefined || inPage[1] === undefined)
    throw new Error(`${n}: click or first row not seen`);
  console.log(`click to list, ${n} (${pool ? "pool" : "main thread"}), ms from the click:`);
  for (const line of timeline) console.log(`  ${line}`);
  if (VERIFY_TIMELINE) await printVerifyTimeline(page, n, pageAt, progress);
  const workers = page.workers().length;
  const s0 = Date.now();
  await page.getByLabel("Zoeken in gesprekken").fill(`Bericht ${n}:`);
  await page.getByText(/^1 gesprek gevonden/).waitFor();
  const searchMs = Date.now() - s0;
  const out = (await page.evaluate(
    `({ tasks: window.__tasks ?? [], heap: performance.memory ? performance.memory.usedJSHeapSize : NaN })`,
  )) as { tasks: [number, number][]; heap: number };
  await context.close();
  // A poll sees the first row up to 25 ms late: a task that began just before still counts.
  const during = out.tasks.filter(
    ([start]) => start >= (pageAt.list ?? 0) - 25 && start <= (pageAt.verified ?? Number.POSITIVE_INFINITY),
  );
  if (pool && workers === 0) throw new Error(`${n}: the pool did not start`);
  return {
    n,
    mode: pool ? `pool (${workers} workers)` : "main thread",
    listS: (inPage[1] - inPage[0]) / 1000,
    listPolledS: ((marks.list ?? Number.NaN) - t0) / 1000,
    verifiedS: ((marks.verified ?? Number.NaN) - t0) / 1000,
    searchMs,
    longestTaskMs: Math.max(0, ...out.tasks.map(([, d]) => d)),
    longTasks: out.tasks.length,
    verifyLongestMs: Math.max(0, ...during.map(([, d]) => d)),
    verifyLongTasks: during.length,
    heapMiB: out.heap / 1024 / 1024,
    serverCpuS: spent?.self ?? Number.NaN,
    chromiumCpuS: spent?.children ?? Number.NaN,
    load: loadavg()
      .slice(0, 1)
      .map((x) => x.toFixed(1))
      .join(""),
  };
}

/** BENCH_VERIFY_TIMELINE: requests after the first row and the count covered over time (ms from the click). */
async function printVerifyTimeline(
  page: Page,
  n: number,
  pageAt: Record<string, number>,
  progress: readonly [number, number][],
): Promise<void> {
  const lines = (await page.evaluate(
    timelineRead(pageAt.verified ?? Number.POSITIVE_INFINITY, pageAt.list ?? 0),
  )) as string[];
  const clickAt = (await page.evaluate("window.__clickAt ?? window.__t0")) as number;
  console.log(`first row to all verified, ${n}: requests (ms from the click)`);
  for (const line of lines) console.log(`  ${line}`);
  console.log(`  covered: ${progress.map(([at, k]) => `${Math.round(at - clickAt)}:${k}`).join(" ")}`);
}

function table(rows: readonly Row[]): void {
  const header = [
    "threads",
    "verified in",
    "to list s",
    "(polled) s",
    "all verified (search complete) s",
    "one search ms",
    "floor (Node) s",
    "verified / floor",
    "longest task while verifying ms",
    "tasks > 50 ms while verifying",
    "longest task from click ms",
    "tasks > 50 ms from click",
    "JS heap MiB",
    "CPU s while verifying: server / Chromium",
    "refresh bytes (full list)",
    "refresh 304 pages",
    "refresh ms: server / seen from Node",
    "load",
  ];
  const lines = rows.map((r) => [
    String(r.n),
    r.mode,
    r.listS.toFixed(2),
    r.listPolledS.toFixed(2),
    r.verifiedS.toFixed(2),
    String(r.searchMs),
    r.floorS.toFixed(2),
    (r.verifiedS / r.floorS).toFixed(1),
    r.verifyLongestMs.toFixed(0),
    String(r.verifyLongTasks),
    r.longestTaskMs.toFixed(0),
    String(r.longTasks),
    r.heapMiB.toFixed(0),
    `${r.serverCpuS.toFixed(2)} / ${r.chromiumCpuS.toFixed(2)}`,
    `${r.refreshBytes} (${r.fullListBytes})`,
    r.refreshPages,
    `${r.refreshServerMs.toFixed(1)} / ${r.refreshMs.toFixed(1)}`,
    r.load,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
  const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
  console.log(fmt(header));
  console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
  for (const l of lines) console.log(fmt(l));
}

const rows: Row[] = [];
for (const n of SIZES) {
  rows.push(...(await runSize(n)));
  // So far, at once: a later size that fails (or takes too long) does not take these figures with it.
  if (n !== SIZES.at(-1)) table(rows);
}
console.log(
  `\nbench:inbox  (Chromium headless, ${availableParallelism()} cores: ${cpus()[0]?.model ?? "?"}; load = 1-min load average at the end)`,
);
table(rows);
console.log(
  "\nto list = from the click event to the first row in the DOM, in the page's clock; (polled) = the same seen from\n" +
    "Node, from before Playwright's click to the 25-ms poll that saw a row; the other times are seen from Node like it.\n" +
    "all verified = search says it covered every conversation; one search = typing\n" +
    "a query until its answer shows, after that. while verifying = long tasks that began between the first row\n" +
    "shown and the last conversation verified (the sign-in's Argon2id is before); from click = all of them.\n" +
    "CPU s while verifying = CPU time from the first row to all verified (/proc) of the API server (it runs in the\n" +
    "bench's own process, with the bench's 25-ms polls) and of every Chromium process; over two cores, their sum\n" +
    "divided by 2 is the least wall time that work could take here.\n" +
    "main thread = the same app with its worker script blocked (the fallback). floor = the same verifications and decryptions in Node over bytes\n" +
    "fetched before the clock (no network). refresh = every list page asked again with its ETag\n" +
    "(nothing changed): bytes of the answers' bodies and header lines; ms: server = the sum of the server's\n" +
    "own times for those requests (its request log), seen from Node = the whole refresh on loopback.",
);
