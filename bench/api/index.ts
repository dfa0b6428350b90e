/**
 * API benchmark (`npm run bench:api`; not part of `npm test`). In one run on this machine: a bare Hono
 * JSON echo server and the real API server (a temporary embedded libSQL file), each in its own child
 * process on 127.0.0.1, driven by load generators in other processes. Prints a Markdown table (progress
 * goes to stderr). See docs/PERFORMANCE.md, section "API (bench/api)".
 *
 * Environment: BENCH_ONLY=posts|year (default both), BENCH_YEAR_FRACTION (default 1: the whole year;
 * anything less is extrapolated and says so), BENCH_CONNECTIONS (64), BENCH_MESSAGES_PER_THREAD (200),
 * BENCH_LANES (32 conversations in flight), BENCH_API_ROOT (another checkout's server, for before/after), BENCH_YEAR_MAX_SECONDS (3600), BENCH_KEEP=1 keeps the temporary
 * folder, BENCH_SERVER_NODE_ARGS (the year's server: more Node arguments, e.g. "--max-old-space-size=128");
 * the server's own settings (DB_CACHE_MIB, ...) pass through from the environment.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import {
  cpuTimeMs,
  createHelplineWithCli,
  ROOT_DIR,
  type ServerProcess,
  setupWorld,
  startServer,
  stopServer,
} from "../../tests/support/api-world.js";
import { type LoadResult, type PostsConfig, preparePosts, runLoad, smallEchoPlan } from "./posts.js";
import { startListening } from "./procs.js";
import { runYear, YEAR_CONVERSATIONS, type YearResult } from "./year.js";

const env = process.env;
const num = (name: string, fallback: number) => (env[name] ? Number(env[name]) : fallback);
const posts: PostsConfig = {
  connections: num("BENCH_CONNECTIONS", 64),
  threadsPerConnection: 4,
  messagesPerThread: num("BENCH_MESSAGES_PER_THREAD", 200),
  durationSec: 60,
  sealWorkers: 2,
};
const fraction = Math.min(1, Math.max(0.001, num("BENCH_YEAR_FRACTION", 1)));
const only = env.BENCH_ONLY ?? "all";

const started = performance.now();
const dir = mkdtempSync(join(tmpdir(), "bg-bench-api-"));
const log = (s: string) =>
  process.stderr.write(`[bench:api ${((performance.now() - started) / 1000).toFixed(0)}s] ${s}\n`);
const rows: [string, string, string][] = [];
const fmt = (n: number) => Math.round(n).toLocaleString("en-US");
const errorsOf = (r: LoadResult) => r.non2xx + r.errors + r.timeouts;
const load0 = loadavg()[0]!;

let api: ServerProcess | undefined;
let echo: Awaited<ReturnType<typeof startListening>> | undefined;
try {
  if (only === "all" || only === "posts") {
    echo = await startListening(join(ROOT_DIR, "bench/api/echo-server.ts"), join(dir, "echo.log"));
    const dbFile = join(dir, "api.db");
    const helpline = await createHelplineWithCli(dbFile, { slug: "bench", name: "Bench", tag: 7 });
    // BENCH_API_ROOT: run another checkout's server (e.g. an export of the previous commit) for a before/after.
    // BENCH_CPU_PROF=<dir>: the server writes a V8 CPU profile there when it stops (as in the year part).
    const prof = env.BENCH_CPU_PROF;
    api = await startServer({
      dbFile,
      logFile: join(dir, "api.log"),
      root: env.BENCH_API_ROOT,
      nodeArgs: prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : [],
    });
    log(`echo on port ${echo.port}, api on port ${api.port} (pid ${api.pid})`);
    const world = await setupWorld(
      api.base,
      { ...helpline, slug: "bench" },
      { counsellors: 3, intakeReaders: true },
    );
    log("preparing posts: sign-ins, threads, sealing in worker threads");
    const prepared = await preparePosts(world, dir, posts);
    log(`sealed ${prepared.requests} envelopes (mean request body ${fmt(prepared.meanBodyBytes)} B)`);
    const timeout = (posts.durationSec + 60) * 1000;
    const echoUrl = `http://127.0.0.1:${echo.port}`;
    const small = await runLoad(smallEchoPlan(dir, echoUrl, posts.connections, 15), undefined, timeout);
    log(`echo, small body: ${fmt(small.perSecond)}/s`);
    const echoCpu0 = cpuTimeMs(echo.pid);
    const same = await runLoad(prepared.planFile, echoUrl, timeout);
    // What the framework alone costs per request of these bodies: a floor for the posts' CPU.
    const echoCpuUs = (1000 * (cpuTimeMs(echo.pid).all - echoCpu0.all)) / same.requests;
    log(`echo, the posts' bodies: ${fmt(same.perSecond)}/s`);
    await echo.stop();
    echo = undefined;
    const cpu0 = cpuTimeMs(api.pid);
    const real = await runLoad(prepared.planFile, undefined, timeout);
    const cpu1 = cpuTimeMs(api.pid);
    const cpuAll = (1000 * (cpu1.all - cpu0.all)) / real.requests;
    const cpuMain = (1000 * (cpu1.main - cpu0.main)) / real.requests;
    log(`api posts: ${fmt(real.perSecond)}/s, errors ${errorsOf(real)}`);
    const c = `${posts.connections} connections`;
    rows.push(
      [
        "bare Hono JSON echo, small body (ceiling)",
        `${fmt(small.perSecond)} req/s`,
        `${c}, 15 s, errors ${errorsOf(small)}`,
      ],
      [
        "bare Hono JSON echo, the posts' request bodies",
        `${fmt(same.perSecond)} req/s`,
        `${c}, ${fmt(same.requests)} requests, errors ${errorsOf(same)}; echo server CPU ${fmt(echoCpuUs)} us per request`,
      ],
      [
        "authenticated envelope posts, acknowledged after commit",
        `${fmt(real.perSecond)} req/s`,
        `${c}, ${prepared.threads} threads of ${prepared.seekers} help-seekers, ${fmt(real.requests)} requests, mean body ${fmt(prepared.meanBodyBytes)} B; non-2xx ${real.non2xx}, errors ${real.errors}, timeouts ${real.timeouts}; latency p50 ${real.latencyP50} ms, p99 ${real.latencyP99} ms`,
      ],
      ["ratio posts / echo (small body)", (real.perSecond / small.perSecond).toFixed(3), "target >= 0.25"],
      ["ratio posts / echo (same bodies)", (real.perSecond / same.perSecond).toFixed(3), ""],
      [
        "server CPU per post",
        `${fmt(cpuAll)} us`,
        `main thread ${fmt(cpuMain)} us; the rest is signature verification on a worker thread, GC`,
      ],
    );
    await stopServer(api);
    api = undefined;
  }
  if (only === "all" || only === "year") {
    const y: YearResult = await runYear(
      dir,
      {
        fraction,
        seekers: 2000,
        counsellors: 3,
        lanes: num("BENCH_LANES", 32),
        workers: 2,
        maxSeconds: num("BENCH_YEAR_MAX_SECONDS", 3600),
      },
      log,
    );
    const failed = Object.entries(y.failures)
      .map(([k, v]) => `${k}: ${v}`)
      .join(", ");
    const part =
      fraction < 1
        ? ` (a fraction of ${fraction} of the year: ${fmt(y.conversations)} of ${fmt(YEAR_CONVERSATIONS)} conversations)`
        : "";
    rows.push(
      [
        `year ingest: conversations / messages / requests${part}`,
        `${fmt(y.conversations)} / ${fmt(y.messages)} / ${fmt(y.requests)}`,
        `mean envelope ${fmt(y.meanEnvelopeBytes)} B; 2,000 help-seeker sessions, 3 counsellors (intake readers), 1 supervisor; failed: ${failed || "none"}${y.firstFailure ? ` (first: ${y.firstFailure})` : ""}${y.timedOut ? "; STOPPED AT THE TIME LIMIT" : ""}`,
      ],
      [
        "year: pre-encryption (before the clock)",
        `${fmt(y.generationSeconds)} s`,
        "2 worker threads, to files",
      ],
      [
        fraction < 1 ? "year ingest wall time (measured)" : "year ingest wall time",
        `${y.seconds.toFixed(0)} s`,
        `${fmt(y.ok / y.seconds)} requests/s, ${fmt(y.messages / y.seconds)} messages/s; target < 180 s`,
      ],
    );
    if (fraction < 1) {
      rows.push([
        "year ingest wall time, EXTRAPOLATED to the whole year",
        `${(y.seconds / fraction).toFixed(0)} s`,
        `linear extrapolation of the measured fraction ${fraction}: NOT measured; a bigger database is slower, so this is a lower bound`,
      ]);
    }
    rows.push(
      [
        "counsellor inbox (GET /api/threads?view=intake) during ingest",
        `p50 ${y.inbox.p50.toFixed(1)} ms, p99 ${y.inbox.p99.toFixed(1)} ms`,
        `${y.inbox.count} requests every 250 ms, max ${y.inbox.max.toFixed(1)} ms, non-2xx ${y.inbox.failures}`,
      ],
      [
        "server peak RSS (VmHWM)",
        y.peakRssKiB === undefined ? "n/a" : `${fmt(y.peakRssKiB / 1024)} MiB`,
        `peaks of its parts (sampled every 500 ms): anonymous ${fmt(y.peakAnonKiB / 1024)} MiB, file pages ${fmt(y.peakFileKiB / 1024)} MiB (the database mapped by the reader); ${atPeakText(y.atPeak)}; server CPU ${fmt(y.serverCpuSeconds)} s during ingest; database file ${fmt(y.dbBytes / 1024 / 1024)} MiB`,
      ],
    );
  }
  rows.push([
    "machine",
    `${availableParallelism()} cores, Node ${process.versions.node}`,
    `load average ${load0.toFixed(2)} at start, ${loadavg()[0]!.toFixed(2)} at the end (other processes share the cores)`,
  ]);
  const out = [
    "| measurement | result | notes |",
    "| --- | --- | --- |",
    ...rows.map((r) => `| ${r.join(" | ")} |`),
  ];
  console.log(out.join("\n"));
  log(`done in ${((performance.now() - started) / 1000).toFixed(0)} s`);
} finally {
  if (api) await stopServer(api);
  await echo?.stop();
  if (!env.BENCH_KEEP) rmSync(dir, { recursive: true, force: true });
}

/** The main isolate's part of the server's highest RSS (bench/api/memory-probe.mjs). */
function atPeakText(m: YearResult["atPeak"]): string {
  if (m === undefined) return "main isolate: not sampled";
  const mib = (b: number) => fmt(b / 1024 / 1024);
  return `at the highest RSS sampled (${mib(m.rss)} MiB: anonymous ${mib(m.anon)}, file pages ${mib(m.file)}) the main isolate's heap was ${mib(m.heapUsed)} of ${mib(m.heapTotal)} MiB, external ${mib(m.external)} MiB (array buffers ${mib(m.arrayBuffers)} MiB)`;
}
