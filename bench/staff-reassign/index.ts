/**
 * `npm run bench:reassign`: how long the staff app in Chromium takes to reassign a caseload of 500
 * threads (docs/REQUIREMENTS.md §4: "a caseload of 500 threads should take at most a few seconds").
 *
 * Setup (not timed): the real API on 127.0.0.1 with a temporary database, a helpline set up through
 * packages/client, a help-seeker who opens 500 threads, counsellor A who claims them all, and the
 * staff app built with the helpline's root pinned. Timed: a supervisor in headless Chromium moves A's
 * whole caseload to B (one target), then B's whole caseload over A and C (two targets), from the click
 * on "Herverdelen" until the app reports the outcome. The browser does all the work: load and verify
 * each thread's epochs, open the current epoch key, sign a new epoch record with grants for the new
 * readers (and the old key under the new one), upload in batches of 100. Phase times come from the
 * app's own progress text. Prints a table; BENCH_THREADS changes the caseload size.
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { availableParallelism, cpus, tmpdir } from "node:os";
import { join } from "node:path";
import type { Page } from "playwright-core";
import { launchChromium } from "../../tests/browser/support/browser.js";
import { CASELOAD_PEOPLE, seedCaseload } from "../../tests/browser/support/staff-caseload.js";
import { signInInPage } from "../../tests/browser/support/staff-pages.js";
import { startStaffWorld } from "../../tests/browser/support/staff-world.js";
import { cpuBetween, cpuSeconds } from "../inbox/cpu.js";
import { startProfile, startTrace } from "../support/chromium-profile.js";
import { routeTimes } from "../support/server-log.js";

const THREADS = Number(process.env.BENCH_THREADS ?? 500);
/** BENCH_REASSIGN_PROFILE=1: the page's thread profiled and traced during the first scenario. */
const PROFILE = process.env.BENCH_REASSIGN_PROFILE === "1";
/**
 * BENCH_REASSIGN_FIRST_MOVE=1: before everything else, the browser moves A's caseload while each thread
 * is in its second epoch (claimed once, the usual caseload), and Node moves it back; the Node floor and
 * the two usual scenarios then run on threads two epochs deeper than without it.
 */
const FIRST_MOVE = process.env.BENCH_REASSIGN_FIRST_MOVE === "1";
/** BENCH_REASSIGN_SERVER_PROFILE=1: a V8 CPU profile of this process (the API server) during each scenario. */
const SERVER_PROFILE = process.env.BENCH_REASSIGN_SERVER_PROFILE === "1";

/** Starts the server's profiler when asked; the returned stop writes the profile and names its file. */
async function profileServer(scenario: string): Promise<() => Promise<void>> {
  if (!SERVER_PROFILE) return async () => {};
  const session = new Session();
  session.connect();
  await session.post("Profiler.enable");
  await session.post("Profiler.start");
  return async () => {
    const { profile } = await session.post("Profiler.stop");
    const file = join(
      tmpdir(),
      `bench-reassign-server-${process.pid}-${scenario.replace(/\W+/g, "-")}.cpuprofile`,
    );
    writeFileSync(file, JSON.stringify(profile));
    process.stderr.write(`server profile of ${scenario}: ${file}\n`);
    session.disconnect();
  };
}

interface Row {
  readonly scenario: string;
  readonly threads: number;
  readonly totalS: number;
  readonly appS: number;
  readonly phases: Record<string, number>;
  /** The server's requests in the span, by route: count and the server's own (wall) time. */
  readonly routes: readonly { route: string; requests: number; ms: number }[];
  /** CPU over the click-to-outcome span (/proc): this process (the API server) and Chromium's. */
  readonly cpu: {
    readonly server: number;
    readonly chromium: number;
    readonly renderer: number;
    /** Of the renderer: the page's thread, and its Web Workers together. */
    readonly page: number;
    readonly workers: number;
  };
}

/** Records when each phase's progress text first appears (in the page, by a MutationObserver). */
async function watchPhases(page: Page): Promise<void> {
  await page.evaluate(() => {
    const w = window as unknown as { __phases: [number, string][] };
    w.__phases = [];
    const seen = new Set<string>();
    new MutationObserver(() => {
      // The bar names its phase (data-phase), whatever the words say.
      let phase = document.querySelector("[data-phase]")?.getAttribute("data-phase") ?? "";
      if (document.querySelector(".outcome") !== null) phase = "done";
      if (phase !== "" && !seen.has(phase)) {
        seen.add(phase);
        w.__phases.push([performance.now(), phase]);
      }
    }).observe(document.body, { subtree: true, childList: true, characterData: true, attributes: true });
  });
}

async function reassign(
  log: readonly string[],
  page: Page,
  scenario: string,
  from: string,
  to: readonly RegExp[],
  profile = false,
): Promise<Row> {
  const nav = page.getByRole("navigation", { name: "Hoofdmenu" });
  await nav.getByRole("button", { name: "Overzicht" }).click();
  await nav.getByRole("button", { name: "Herverdelen" }).click();
  await page.getByLabel("Van hulpverlener").selectOption(from);
  await page.getByLabel(/De hele caseload/).check();
  for (const name of to) await page.getByLabel(name).check();
  await watchPhases(page);
  const profiling = profile ? await Promise.all([startProfile(page), startTrace(page)]) : undefined;
  const start = await page.evaluate(() => performance.now());
  const stopServerProfile = await profileServer(scenario);
  const logFrom = log.length;
  const cpu0 = cpuSeconds();
  const t0 = Date.now();
  await page.getByRole("button", { name: "Herverdelen", exact: true }).last().click();
  // The confirmation summary ("12 gesprekken van Anna naar Bram") asks once more.
  await page.getByRole("button", { name: "Ja, herverdelen" }).click();
  const done = page.getByText(/(gesprek is|gesprekken zijn) overgezet\./);
  await done.waitFor({ timeout: 600_000 });
  const totalS = (Date.now() - t0) / 1000;
  const spent = cpuBetween(cpu0, cpuSeconds());
  await stopServerProfile();
  const routes = routeTimes(log.slice(logFrom));
  if (profiling !== undefined) {
    console.log(`${scenario}: the page's thread (JS self time), then the trace's self time per thread`);
    for (const stop of profiling) for (const line of await stop()) console.log(line);
  }
  const text = (await page.locator(".outcome").textContent()) ?? "";
  const changed = Number(/(\d+) gesprek/.exec(text)?.[1] ?? 0);
  if (changed !== THREADS) throw new Error(`${scenario}: moved ${changed} of ${THREADS}: ${text}`);
  const appS = Number(/duurde ([\d.]+) seconden/.exec(text)?.[1] ?? Number.NaN);
  const marks = await page.evaluate(() => (window as unknown as { __phases: [number, string][] }).__phases);
  const phases: Record<string, number> = {};
  marks.forEach(([at, name], i) => {
    const next = marks[i + 1]?.[0];
    if (name !== "done" && next !== undefined) phases[name] = (next - at) / 1000;
  });
  phases.start = ((marks[0]?.[0] ?? start) - start) / 1000;
  return {
    scenario,
    threads: changed,
    totalS,
    appS,
    phases,
    routes,
    cpu: {
      server: spent.self,
      chromium: spent.children,
      renderer: spent.byKind.get("renderer") ?? 0,
      page: spent.threads.get("main") ?? 0,
      workers: [...spent.threads].reduce(
        (n, [name, s]) => (name.startsWith("DedicatedWorker") ? n + s : n),
        0,
      ),
    },
  };
}

async function main(): Promise<void> {
  const world = await startStaffWorld();
  const browser = await launchChromium();
  try {
    const setup = Date.now();
    const caseload = await seedCaseload(world, THREADS);
    await world.serveApp({ pins: caseload.pins });
    console.log(
      `setup: ${THREADS} threads claimed by A, app built (${((Date.now() - setup) / 1000).toFixed(1)} s)`,
    );

    const page = await (await browser.newContext({ locale: "nl-NL" })).newPage();
    const signInPage = async () => {
      await page.goto(`${world.origin}/staff/`);
      await signInInPage(page, CASELOAD_PEOPLE.supervisor);
      await page.getByRole("heading", { name: "Postvak" }).waitFor();
    };
    const rows: Row[] = [];
    if (FIRST_MOVE) {
      await signInPage();
      rows.push(await reassign(world.serverLog, page, "A -> B, first move", caseload.ids.a, [/^Bram/]));
      const back = await caseload.signIn("supervisor");
      await back.reassignCaseload({ from: caseload.ids.b, to: [caseload.ids.a] });
      await back.signOut();
    }

    // The floor in the same run (slice H): the same SDK call in Node over loopback, A -> B and back,
    // so the browser starts from the same caseload on A.
    const nodeSup = await caseload.signIn("supervisor");
    const n0 = Date.now();
    await nodeSup.reassignCaseload({ from: caseload.ids.a, to: [caseload.ids.b] });
    const nodeS = (Date.now() - n0) / 1000;
    await nodeSup.reassignCaseload({ from: caseload.ids.b, to: [caseload.ids.a] });
    await nodeSup.signOut();

    if (!FIRST_MOVE) await signInPage();
    rows.push(
      await reassign(world.serverLog, page, "A -> B (one target)", caseload.ids.a, [/^Bram/], PROFILE),
      await reassign(world.serverLog, page, "B -> A, C (two targets)", caseload.ids.b, [/^Anna/, /^Chris/]),
    );

    const check = await caseload.signIn("supervisor");
    const all = await check.listThreads("all");
    const onB = all.filter((t) => t.assigneeIds.includes(caseload.ids.b)).length;
    if (all.length !== THREADS || onB !== 0)
      throw new Error(`after the runs: ${all.length} threads, ${onB} on B`);

    const version = browser.version();
    console.log(
      `\nbench:reassign  (Chromium ${version} headless, ${availableParallelism()} cores: ${cpus()[0]?.model ?? "?"})`,
    );
    const phaseNames = ["start", "listing", "loading", "signing", "uploading", "announcing"];
    const header = [
      "scenario",
      "threads",
      "total s",
      "in app s",
      "Node s (floor)",
      "app / Node",
      "ms/thread",
      ...phaseNames.map((p) => `${p} s`),
      "CPU server s",
      "CPU Chromium (renderer) s",
      "of it page / workers s",
      "CPU ÷ 2 cores s",
    ];
    const lines = rows.map((r) => [
      r.scenario,
      String(r.threads),
      r.totalS.toFixed(2),
      r.appS.toFixed(2),
      nodeS.toFixed(2),
      (r.appS / nodeS).toFixed(1),
      ((r.appS * 1000) / r.threads).toFixed(1),
      ...phaseNames.map((p) => (r.phases[p] === undefined ? "-" : r.phases[p]!.toFixed(2))),
      r.cpu.server.toFixed(2),
      `${r.cpu.chromium.toFixed(2)} (${r.cpu.renderer.toFixed(2)})`,
      `${r.cpu.page.toFixed(2)} / ${r.cpu.workers.toFixed(2)}`,
      ((r.cpu.server + r.cpu.chromium) / 2).toFixed(2),
    ]);
    const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => l[i]!.length)));
    const fmt = (cells: string[]) => `| ${cells.map((c, i) => c.padEnd(widths[i]!)).join(" | ")} |`;
    console.log(fmt(header));
    console.log(`|${widths.map((w) => "-".repeat(w + 2)).join("|")}|`);
    for (const l of lines) console.log(fmt(l));
    console.log(
      "\nThe server's requests in each scenario (its request log: count, and its own wall time summed)",
    );
    console.log("| scenario | route | requests | server ms |\n|---|---|---|---|");
    for (const r of rows) {
      for (const t of r.routes)
        console.log(`| ${r.scenario} | ${t.route} | ${t.requests} | ${t.ms.toFixed(0)} |`);
    }
    console.log(
      "\ntotal: click to outcome as Playwright sees it; in app: the app's own timing of the SDK run (0.1 s).\n" +
        "Node s: the same reassignCaseload (A -> B, 500 threads) run by the SDK in Node over loopback in this run.\n" +
        (FIRST_MOVE
          ? "first move: A's caseload while each thread is in its second epoch (claimed once); Node then moved it\n" +
            "back, so the floor and the two rows after it ran on threads two epochs deeper.\n"
          : "") +
        "Phases, from the app's progress text (the first time each shows): start = click to the first progress;\n" +
        "listing = the helpline's threads; loading = until every thread is loaded: batch reads, their checks in\n" +
        "the app's pool of workers, and meanwhile each 100 loaded signed, uploaded through /api/threads/epochs/batch\n" +
        "and announced (a handover event per thread, in batches); signing, uploading, announcing = what is left\n" +
        "of each after loading ('-': too short to show).\n" +
        "CPU: /proc, over the click-to-outcome span; server = this process (the API server in process and the\n" +
        "bench), Chromium = all its processes; renderer = the page's process; of it the page's\n" +
        "thread (the renderer's main thread) and its Web Workers (DedicatedWorker threads), /proc/<pid>/task.",
    );
  } finally {
    await browser.close();
    await world.close();
  }
}

await main();
