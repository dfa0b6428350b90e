/**
 * `BENCH_STATS_ONLY=browser npm run bench:stats` (issue 13): counting one helpline's year of survey
 * answers (BENCH_STATS_ANSWERS, default 20,000 conversations) in the staff app in headless Chromium,
 * from the click on "Antwoorden tellen" to the tally on the screen, with the longest main-thread task
 * in that span (PerformanceObserver `longtask`). Floor in the same run: the same SDK call
 * (`statistics().tallySurvey`, the same pages from the same server, the same countSurveyPage jobs)
 * in Node, inline on one thread and in a pool of worker threads (pool.ts). Also printed: the listing's
 * pages in Resource Timing and, per page, when it was asked for, arrived and was counted (the app's
 * progress line), with the long tasks' start times: where the time goes.
 *
 * Setup (not timed): the real API on 127.0.0.1 with a temporary database and the staff app built with
 * the helpline's pin (tests/browser/support); the helpline and one real conversation with answers
 * through packages/client. The other conversations are sealed here with the crypto core exactly as a
 * help-seeker's app seals them (epoch 0 on the helpline's current roster, grants for its readers, the
 * answers under the epoch key) and written straight into the tables, instead of 20,000 conversations
 * opened over HTTP with a proof of work each. Their thread rows belong to a second helpline: otherwise the supervisor's
 * inbox ("all" conversations) would start verifying 20,000 conversations that have no messages, and
 * the tally would be timed beside that. The answer rows, epoch records and grants are the real
 * helpline's, so `GET /api/stats/answers` lists them exactly as it lists a year's answers.
 */
import { availableParallelism, cpus, loadavg } from "node:os";
import { performance } from "node:perf_hooks";
import type { SurveyTally } from "@briefgeheim/client";
import {
  type HelplineId,
  loadSodium,
  newId,
  openThread,
  parseRoster,
  type RosterBytes,
  sealSurveyRecord,
  systemRandom,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import { SURVEY_QUESTIONS } from "@briefgeheim/protocol";
import { eq } from "drizzle-orm";
import type { Page } from "playwright-core";
import { rosters } from "../../apps/api/src/db/schema.js";
import { launchChromium } from "../../tests/browser/support/browser.js";
import { CASELOAD_PEOPLE, seedCaseload } from "../../tests/browser/support/staff-caseload.js";
import { menu, signInInPage } from "../../tests/browser/support/staff-pages.js";
import { startStaffWorld } from "../../tests/browser/support/staff-world.js";
import { startProfile, startTrace } from "../support/chromium-profile.js";
import { type CpuSpan, spanTable, withCpuSpan } from "./cpu-span.js";
import { threadPool } from "./pool.js";

const ANSWERS = Number(process.env.BENCH_STATS_ANSWERS ?? 20_000);
const PROFILE = process.env.BENCH_STATS_PROFILE === "1";
const TRACE = process.env.BENCH_STATS_TRACE === "1";
let profileLines: string[] = [];
/** Counts per page load (BENCH_STATS_BROWSER_RUNS): the first after a load is slower. */
const BROWSER_RUNS = Number(process.env.BENCH_STATS_BROWSER_RUNS ?? 2);
const log = (s: string) => process.stderr.write(`${s}\n`);

interface SqlClient {
  execute(q: string | { sql: string; args: unknown[] }): Promise<{ columns: string[]; rows: unknown[] }>;
  batch(stmts: { sql: string; args: unknown[] }[], mode: "write"): Promise<unknown>;
}

/** `INSERT INTO table (all columns) SELECT <the row with `set` replaced> FROM table WHERE key = ?`. */
function copyRowSql(table: string, columns: string[], set: string[], key: string): string {
  const exprs = columns.map((c) => (set.includes(c) ? "?" : c));
  return `INSERT INTO ${table} (${columns.join(", ")}) SELECT ${exprs.join(", ")} FROM ${table} WHERE ${key} = ?`;
}

/** The answer sets: every question answered, spread over the options (a fixed pattern). */
function answersOf(i: number): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, [q, options]] of Object.entries(SURVEY_QUESTIONS).entries()) {
    out[q] = options[(i + k) % options.length]!;
  }
  return out;
}

async function main(): Promise<void> {
  const world = await startStaffWorld();
  try {
    const s0 = performance.now();
    const caseload = await seedCaseload(world, 1);
    const realThread = caseload.threadIds[0]!;
    await caseload.seeker.submitSurvey(realThread, answersOf(0) as never);
    // The build (a child process) runs while the answers are sealed.
    const built = world.serveApp({ pins: caseload.pins });

    const sodium = await loadSodium();
    const random = systemRandom(sodium);
    const helplineId = caseload.helplineId as HelplineId;
    const stored = await world.db.read.select().from(rosters).where(eq(rosters.helplineId, helplineId));
    const newest = stored.reduce((a, b) => (b.version > a.version ? b : a));
    const roster = parseRoster(sodium, new Uint8Array(newest.bytes) as RosterBytes);
    const client = (world.db.write as unknown as { $client: SqlClient }).$client;
    const shadow = await world.createHelpline({ slug: "schaduw", name: "Schaduw", tag: 10, replyHours: 72 });
    const seekerRow = (
      await client.execute({ sql: "SELECT seeker_id FROM threads WHERE id = ?", args: [realThread] })
    ).rows[0] as unknown as { seeker_id: string };
    const seekerCols = (await client.execute("SELECT * FROM seekers LIMIT 1")).columns;
    const threadCols = (await client.execute("SELECT * FROM threads LIMIT 1")).columns;
    const shadowSeeker = newId<ThreadId>(sodium, random);
    await client.execute({
      sql: copyRowSql("seekers", seekerCols, ["id", "helpline_id", "sign_in_pk"], "id"),
      args: [shadowSeeker, shadow.helplineId, toBase64(sodium, random(32)), seekerRow.seeker_id],
    });

    log(`sealing ${ANSWERS} conversations' epoch 0 and answers`);
    const seekerSign = sodium.crypto_sign_keypair();
    const seekerBox = sodium.crypto_box_keypair();
    const seeker = {
      signing: { publicKey: seekerSign.publicKey, secretKey: seekerSign.privateKey } as never,
      box: { publicKey: seekerBox.publicKey, secretKey: seekerBox.privateKey } as never,
    };
    const signPk = toBase64(sodium, seekerSign.publicKey);
    const boxPk = toBase64(sodium, seekerBox.publicKey);
    const yearStart = Date.UTC(new Date().getUTCFullYear(), 0, 1);
    const span = Date.now() - 60_000 - yearStart;
    const threadSql = copyRowSql(
      "threads",
      threadCols,
      ["id", "helpline_id", "seeker_id", "seeker_sign_pk", "seeker_box_pk", "created_at", "sort_key"],
      "id",
    );
    let stmts: { sql: string; args: unknown[] }[] = [];
    const flush = async () => {
      await client.batch(stmts, "write");
      stmts = [];
    };
    for (let i = 1; i <= ANSWERS; i++) {
      const threadId = newId<ThreadId>(sodium, random);
      const at = yearStart + Math.floor((i / ANSWERS) * span);
      const e0 = openThread(sodium, { helplineId, threadId, roster, seeker, random, now: at });
      const answers = sealSurveyRecord(
        sodium,
        { helplineId, threadId, epoch: 0 },
        e0.keys.key,
        answersOf(i),
        random,
      );
      stmts.push(
        {
          sql: threadSql,
          args: [threadId, shadow.helplineId, shadowSeeker, signPk, boxPk, at, at, realThread],
        },
        {
          sql: "INSERT INTO epoch_records (thread_id, epoch, bytes, hash, signer_pk, reason, roster_version, created_at) VALUES (?, 0, ?, ?, ?, 'open', ?, ?)",
          args: [threadId, e0.record, e0.parsed.hash, signPk, roster.version, at],
        },
        ...e0.grants.map((g, r) => ({
          sql: "INSERT INTO grants (thread_id, epoch, recipient_box_pk, bytes) VALUES (?, 0, ?, ?)",
          args: [threadId, toBase64(sodium, e0.parsed.readers[r]!.boxPk), g],
        })),
        {
          sql: "INSERT INTO survey_answers (thread_id, helpline_id, bytes, created_at) VALUES (?, ?, ?, ?)",
          args: [threadId, helplineId, answers, at],
        },
      );
      if (i % 1000 === 0) {
        await flush();
        log(`  ${i}`);
      }
    }
    if (stmts.length > 0) await flush();
    await built;
    const total = ANSWERS + 1;
    log(
      `setup: ${total} conversations with answers, app built (${((performance.now() - s0) / 1000).toFixed(0)} s)`,
    );

    // ---- floor: the same SDK call in Node over loopback, inline and in a pool of worker threads
    const range = {
      from: `${new Date().getUTCFullYear()}-01-01`,
      to: new Date().toISOString().slice(0, 10),
    };
    const check = (what: string, t: SurveyTally) => {
      if (t.records !== total || t.questions.age.answered !== total || t.unreadable.invalid !== 0)
        throw new Error(`${what}: ${JSON.stringify({ records: t.records, unreadable: t.unreadable })}`);
    };
    const sup = await caseload.signIn("supervisor");
    const i0 = performance.now();
    check("Node inline", await sup.statistics().tallySurvey(range));
    const inlineMs = performance.now() - i0;
    const cores = availableParallelism();
    const pool = threadPool(sodium, cores);
    sup.useWorkers(pool);
    check("Node pool warm-up", await sup.statistics().tallySurvey(range)); // the workers load tsx and libsodium
    const p0 = performance.now();
    check("Node pool", await sup.statistics().tallySurvey(range));
    const pooledMs = performance.now() - p0;
    await sup.signOut(); // closes the pool

    // ---- Chromium
    const browser = await launchChromium();
    const runs: PageRun[] = [];
    const spans: CpuSpan[] = [];
    let workers = 0;
    try {
      const context = await browser.newContext({ locale: "nl-NL" });
      await context.addInitScript({
        content:
          "window.__long = []; new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__long.push([e.startTime, e.duration]); }).observe({ type: 'longtask', buffered: true });" +
          // When the app's progress line ("4000 antwoorden geteld…", after each page) changes; only
          // the changed nodes' own short texts are read, so the observer costs the page next to nothing.
          "window.__progress = []; new MutationObserver((records) => { for (const r of records) { const t = r.target.textContent; const m = t && t.length < 200 ? /(\\d+) antwoorden geteld/.exec(t) : null; const last = window.__progress.at(-1); if (m && (!last || last[1] !== Number(m[1]))) window.__progress.push([performance.now(), Number(m[1])]); } }).observe(document, { subtree: true, childList: true, characterData: true });",
      });
      const page = await context.newPage();
      const errors: string[] = [];
      page.on("pageerror", (e) => errors.push(e.message));
      await page.goto(`${world.origin}/staff/`);
      await signInInPage(page, CASELOAD_PEOPLE.supervisor);
      await page.getByRole("heading", { name: "Postvak" }).waitFor();
      await menu(page, "Statistieken");
      await page.getByRole("heading", { name: "Statistieken", level: 1 }).waitFor();
      await page.getByTestId("total-conversations").waitFor();
      for (let r = 0; r < BROWSER_RUNS; r++) {
        // BENCH_STATS_PROFILE=1: the page's main thread profiled (CDP) during the last run.
        const last = r === BROWSER_RUNS - 1;
        const profile = PROFILE && last ? await startProfile(page) : undefined;
        const trace = TRACE && last ? await startTrace(page) : undefined;
        const { result, span } = await withCpuSpan(world.serverLog, () => countInPage(page, total));
        runs.push(result);
        spans.push(span);
        if (profile !== undefined) profileLines = await profile();
        if (trace !== undefined) profileLines.push("", ...(await trace()));
      }
      workers = page.workers().length;
      // Whether the observer sees anything at all (the sign-in's tasks come before the clicks).
      const seen = await page.evaluate(() => (window as unknown as { __long: unknown[] }).__long.length);
      log(`long tasks observed in the page since it loaded: ${seen}`);
      if (errors.length > 0) throw new Error(`page errors: ${errors.join("; ")}`);
      const version = browser.version();
      const [l1, l5] = loadavg();
      console.log(
        `\nbench:stats browser  (${new Date().toISOString()}; Chromium ${version} headless, ${cores} cores: ${cpus()[0]?.model ?? "?"}; load average ${l1!.toFixed(1)} / ${l5!.toFixed(1)} (1 / 5 min) at the end)`,
      );
      console.log("| measurement | reached | goal | floor in the same run |");
      console.log("|---|---|---|---|");
      for (const [r, run] of runs.entries()) {
        console.log(
          `| staff app in Chromium, ${total.toLocaleString("en")} conversations' answers, click on "Antwoorden tellen" to the tally shown (run ${r + 1}; ${workers} crypto worker${workers === 1 ? "" : "s"} in the page) | ${(run.ms / 1000).toFixed(2)} s (${((run.ms / total) * 1000).toFixed(0)} µs each); longest main-thread task ${run.longest.toFixed(0)} ms, ${run.longTasks} over 50 ms | ≤ 2 s | Node, same call and pages: ${(inlineMs / 1000).toFixed(2)} s inline, ${(pooledMs / 1000).toFixed(2)} s in a pool of ${cores} worker threads |`,
        );
      }
      console.log(
        `| the floor: \`statistics().tallySurvey\` in Node over loopback, inline on one thread | ${(inlineMs / 1000).toFixed(2)} s (${((inlineMs / total) * 1000).toFixed(0)} µs each) | ≤ 2 s | – |`,
      );
      console.log(
        `| the floor: the same in a pool of ${cores} worker threads (warmed up) | ${(pooledMs / 1000).toFixed(2)} s (${((pooledMs / total) * 1000).toFixed(0)} µs each) | ≤ 2 s | – |`,
      );
      console.log(
        "\nthe listing in Chromium (Resource Timing)\n| run | pages | MB (body) | fetch time (request to last byte), sum / longest page | last page's last byte after the click |",
      );
      console.log("|---|---|---|---|---|");
      for (const [r, run] of runs.entries()) {
        console.log(
          `| ${r + 1} | ${run.pages} | ${run.megabytes.toFixed(1)} | ${(run.fetchSumMs / 1000).toFixed(2)} s / ${(run.fetchMaxMs / 1000).toFixed(2)} s | ${(run.lastPageMs / 1000).toFixed(2)} s |`,
        );
      }
      for (const line of spanTable(
        spans,
        runs.map((run) => run.ms),
      ))
        console.log(line);
      for (const [r, run] of runs.entries()) {
        console.log(`\nrun ${r + 1}, seconds after the click`);
        for (const line of run.timeline) console.log(line);
      }
      if (profileLines.length > 0) {
        console.log(`\nthe page's main thread in run ${BROWSER_RUNS}, self time by function (CDP profile)`);
        for (const line of profileLines) console.log(line);
      }
    } finally {
      await browser.close();
    }
  } finally {
    await world.close();
  }
}

interface PageRun {
  /** Per page: when it was asked for, arrived, and counted; the long tasks. */
  readonly timeline: string[];
  readonly ms: number;
  readonly longest: number;
  readonly longTasks: number;
  /** The listing's pages fetched in the span, their bytes, fetch times (request to last byte). */
  readonly pages: number;
  readonly megabytes: number;
  readonly fetchSumMs: number;
  readonly fetchMaxMs: number;
  /** From the click to the last page's last byte. */
  readonly lastPageMs: number;
}

/**
 * Clicks "Antwoorden tellen" and waits for the tally of `total` conversations on the screen. Timed in
 * the page: from the click event to the frame in which the button is enabled again with the result
 * shown (requestAnimationFrame polling: within a frame of it).
 */
async function countInPage(page: Page, total: number): Promise<PageRun> {
  const button = page.getByRole("button", { name: "Antwoorden tellen" });
  await button.waitFor();
  await page.evaluate(() => {
    const w = window as unknown as { __clickAt?: number };
    w.__clickAt = undefined;
    document.addEventListener(
      "click",
      (e) => {
        w.__clickAt = e.timeStamp;
      },
      { capture: true, once: true },
    );
  });
  await button.click();
  // The button is disabled from the click until the tally is set; a previous run's result stays
  // meanwhile, so the end is the button enabled again with a result on the screen.
  const end = await page.waitForFunction(
    () => {
      const b = [...document.querySelectorAll("button")].find((x) => x.textContent === "Antwoorden tellen");
      const done =
        b !== undefined &&
        !b.disabled &&
        document.querySelector('[data-testid="stats-survey-result"]') !== null;
      return done ? performance.now() : false;
    },
    undefined,
    { polling: "raf", timeout: 600_000 },
  );
  const endAt = (await end.jsonValue()) as number;
  const start = await page.evaluate(() => (window as unknown as { __clickAt: number }).__clickAt);
  const text = (await page.getByTestId("stats-survey-result").textContent()) ?? "";
  if (!text.includes(`${total} gesprekken met antwoorden.`))
    throw new Error(`the page shows: ${text.slice(0, 200)}`);
  if (/niet meegeteld|niet openen|nog eens/.test(text))
    throw new Error(`the page reports records it did not count: ${text.slice(0, 300)}`);
  const long = await page.evaluate(
    ([from, to]) =>
      (window as unknown as { __long: [number, number][] }).__long.filter(([s]) => s >= from! && s <= to!),
    [start, endAt],
  );
  // The listing's pages as the browser fetched them (Resource Timing): how much of the span is download.
  const pages = await page.evaluate(
    ([from, to]) =>
      performance
        .getEntriesByType("resource")
        .filter((e) => e.name.includes("/api/stats/answers") && e.startTime >= from! && e.startTime <= to!)
        .map((e) => {
          const r = e as PerformanceResourceTiming;
          return {
            fetch: r.responseEnd - r.requestStart,
            called: r.startTime,
            firstByte: r.responseStart,
            end: r.responseEnd,
            bytes: r.encodedBodySize,
          };
        }),
    [start, endAt],
  );
  const progress = await page.evaluate(
    ([from, to]) =>
      (window as unknown as { __progress: [number, number][] }).__progress.filter(
        ([t]) => t >= from! && t <= to!,
      ),
    [start, endAt],
  );
  const sec = (t: number) => `${((t - start) / 1000).toFixed(2)}`;
  const timeline = [
    "| page | fetch called | first byte | last byte | counted (the app's progress line) |",
    "|---|---|---|---|---|",
    ...pages.map(
      (p, i) =>
        `| ${i + 1} | ${sec(p.called)} s | ${sec(p.firstByte)} s | ${sec(p.end)} s | ${progress[i] === undefined ? "–" : `${sec(progress[i]![0])} s (${progress[i]![1]})`} |`,
    ),
    `long tasks in the span: ${long.length}, ${(long.reduce((n, [, d]) => n + d, 0) / 1000).toFixed(2)} s together; at ${long.map(([t, d]) => `${sec(t)}+${d.toFixed(0)}ms`).join(", ")}`,
  ];
  return {
    timeline,
    ms: endAt - start,
    longest: Math.max(0, ...long.map(([, d]) => d)),
    longTasks: long.length,
    pages: pages.length,
    megabytes: pages.reduce((n, p) => n + p.bytes, 0) / 1e6,
    fetchSumMs: pages.reduce((n, p) => n + p.fetch, 0),
    fetchMaxMs: Math.max(0, ...pages.map((p) => p.fetch)),
    lastPageMs: Math.max(0, ...pages.map((p) => p.end)) - start,
  };
}

await main();
