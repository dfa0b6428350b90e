/**
 * Part 2 of the API benchmark: a year of the Dutch network's traffic (181,581 conversations, about
 * 900,000 messages) through the real API on a fresh database: generated and encrypted in worker threads
 * BEFORE the clock starts (to files, one conversation per line), then streamed by a driver process while
 * a counsellor's inbox is timed by a probe process; the server's peak RSS is read from /proc.
 */
import { spawn } from "node:child_process";
import { readFileSync, statSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { loadSodium, seekerKeysFromMaster, systemRandom } from "@briefgeheim/crypto";
import {
  call,
  cpuTimeMs,
  createHelplineWithCli,
  ROOT_DIR,
  type ServerProcess,
  setupWorld,
  signChallengeForSeeker,
  startServer,
  stopServer,
} from "../../tests/support/api-world.js";
import { pool } from "./posts.js";
import { inWorkers, runJson } from "./procs.js";
import type { WorkerRequest } from "./seal-worker.js";

export const YEAR_CONVERSATIONS = 181_581;
export const YEAR_MESSAGES = 900_000;

export interface YearConfig {
  /** Share of the year to run (1 = all of it). */
  fraction: number;
  /** Help-seeker sessions the conversations are spread over. */
  seekers: number;
  counsellors: number;
  lanes: number;
  workers: number;
  maxSeconds: number;
}

export interface YearResult {
  conversations: number;
  messages: number;
  requests: number;
  meanEnvelopeBytes: number;
  generationSeconds: number;
  seconds: number;
  ok: number;
  failures: Record<string, number>;
  firstFailure?: string;
  inbox: { count: number; failures: number; p50: number; p99: number; max: number; threadsSeen: number };
  peakRssKiB: number | undefined;
  /**
   * The peaks of the resident set's parts, sampled every 500 ms during the ingest (KiB): anonymous
   * memory (the JS heap, native allocations, SQLite's page caches) and file pages (mostly the
   * database file mapped by the reader's mmap, which the kernel can drop and shares with its cache).
   */
  peakAnonKiB: number;
  peakFileKiB: number;
  /** The probe's sample with the server's highest RSS during the ingest (bench/api/memory-probe.mjs). */
  atPeak:
    | {
        rss: number;
        heapTotal: number;
        heapUsed: number;
        external: number;
        arrayBuffers: number;
        anon: number;
        file: number;
      }
    | undefined;
  serverCpuSeconds: number;
  dbBytes: number;
  timedOut: boolean;
}

export async function runYear(dir: string, cfg: YearConfig, log: (s: string) => void): Promise<YearResult> {
  const conversations = Math.round(YEAR_CONVERSATIONS * cfg.fraction);
  const dbFile = join(dir, "year.db");
  const helpline = await createHelplineWithCli(dbFile, { slug: "jaar", name: "Jaar", tag: 9 });
  const prof = process.env.BENCH_CPU_PROF;
  const memoryLog = join(dir, "year-memory.jsonl");
  let server: ServerProcess | undefined = await startServer({
    dbFile,
    logFile: join(dir, "year.log"),
    nodeArgs: [
      ...(prof ? ["--cpu-prof", `--cpu-prof-dir=${prof}`] : []),
      // BENCH_SERVER_NODE_ARGS: more arguments for the server's node (e.g. a heap limit), not the driver's.
      ...(process.env.BENCH_SERVER_NODE_ARGS?.split(" ").filter((a) => a !== "") ?? []),
      "--import",
      join(ROOT_DIR, "bench/api/memory-probe.mjs"),
    ],
    // A year pressed into minutes would be a flood to the proof of work (its difficulty doubles per 300
    // solutions a minute): the driver would spend the run solving. Each conversation still fetches and
    // solves a challenge at the lowest difficulty, as a help-seeker's browser does on a quiet day.
    env: { POW_DIFFICULTY: "1000", POW_LOAD_PER_DOUBLING: "10000000", BENCH_MEMORY_LOG: memoryLog },
  });
  try {
    const world = await setupWorld(
      server.base,
      { ...helpline, slug: "jaar" },
      {
        counsellors: cfg.counsellors,
        intakeReaders: true,
      },
    );
    const sodium = await loadSodium();
    const random = systemRandom(sodium);
    const seekerKeys = Array.from({ length: cfg.seekers }, () => seekerKeysFromMaster(sodium, random(32)));

    // Generate and encrypt every conversation before the clock starts.
    log(`generating ${conversations} conversations in ${cfg.workers} worker threads`);
    const g0 = performance.now();
    const chunk = 4000;
    const jobs: WorkerRequest[] = [];
    const files: string[] = [];
    for (let from = 0; from < conversations; from += chunk) {
      const outFile = join(dir, `year-${String(from).padStart(7, "0")}.tsv`);
      files.push(outFile);
      jobs.push({
        kind: "year",
        helplineId: world.helplineId,
        rosterBytes: world.rosterBytes,
        seekers: seekerKeys.map((k) => ({ messageSign: k.messageSign, box: k.box })),
        counsellors: world.counsellors.map((c) => ({ signing: c.signing })),
        from,
        to: Math.min(conversations, from + chunk),
        meanMessages: YEAR_MESSAGES / YEAR_CONVERSATIONS,
        outFile,
      });
    }
    const generated = await inWorkers<
      WorkerRequest,
      { conversations: number; messages: number; envelopeBytes: number }
    >(new URL("./seal-worker.ts", import.meta.url), cfg.workers, jobs);
    const generationSeconds = (performance.now() - g0) / 1000;
    const messages = generated.reduce((n, g) => n + g.messages, 0);
    const envelopeBytes = generated.reduce((n, g) => n + g.envelopeBytes, 0);
    log(`generated ${messages} messages in ${generationSeconds.toFixed(0)} s`);

    // Sessions: the help-seekers sign in now (sessions idle out after 15 minutes); staff are signed in.
    const seekerCookies = await pool(seekerKeys, 16, async (keys) => {
      const ch = await call(world.base, "POST", "/api/auth/challenge", { helplineId: world.helplineId });
      const res = await call(world.base, "POST", "/api/auth/seeker", {
        helplineId: world.helplineId,
        signInPk: Buffer.from(keys.signIn.publicKey).toString("base64url"),
        nonce: ch.body.nonce,
        signature: signChallengeForSeeker(sodium, world.helplineId, ch.body.nonce, keys.signIn.secretKey),
      });
      if (res.status !== 200 || !res.cookie) throw new Error(`seeker sign-in ${res.status}`);
      return res.cookie;
    });
    const configFile = join(dir, "year-driver.json");
    writeFileSync(
      configFile,
      JSON.stringify({
        base: world.base,
        files,
        lanes: cfg.lanes,
        seekerCookies,
        counsellorCookies: world.counsellors.map((c) => c.cookie),
        maxSeconds: cfg.maxSeconds,
      }),
    );

    // The inbox probe (its own process), then the driver; the clock runs from the driver's first request.
    const probe = spawn(
      process.execPath,
      [
        "--import",
        "tsx",
        join(ROOT_DIR, "bench/api/inbox-probe.ts"),
        world.base,
        world.counsellors[0]!.cookie,
        "intake",
        "250",
        String(cfg.maxSeconds + 60),
      ],
      { cwd: ROOT_DIR, stdio: ["ignore", "pipe", "inherit"] },
    );
    let probeOut = "";
    probe.stdout.setEncoding("utf8").on("data", (d: string) => {
      probeOut += d;
    });
    const probeExit = new Promise((r) => probe.once("exit", r));
    log(`ingesting (${cfg.lanes} conversations in flight)`);
    const cpu0 = cpuTimeMs(server.pid);
    const ingestFrom = Date.now();
    const driven = await runJson<{
      conversations: number;
      requests: number;
      ok: number;
      failures: Record<string, number>;
      firstFailure?: string;
      seconds: number;
      timedOut: boolean;
    }>(join(ROOT_DIR, "bench/api/ingest-driver.ts"), [configFile], (cfg.maxSeconds + 120) * 1000);
    const cpu1 = cpuTimeMs(server.pid);
    const memory = memoryDuring(memoryLog, ingestFrom, Date.now());
    probe.kill("SIGTERM");
    await probeExit;
    const inbox = JSON.parse(probeOut.trim().split("\n").at(-1) ?? "{}") as YearResult["inbox"];
    const peakRssKiB = server.peakRssKiB();
    await stopServer(server);
    server = undefined;
    let dbBytes = 0;
    for (const suffix of ["", "-wal"]) {
      try {
        dbBytes += statSync(dbFile + suffix).size;
      } catch {
        // no WAL left after a clean stop
      }
    }
    return {
      conversations: driven.conversations,
      messages,
      requests: driven.requests,
      meanEnvelopeBytes: envelopeBytes / messages,
      generationSeconds,
      seconds: driven.seconds,
      ok: driven.ok,
      failures: driven.failures,
      firstFailure: driven.firstFailure,
      inbox,
      peakRssKiB,
      ...memory,
      serverCpuSeconds: (cpu1.all - cpu0.all) / 1000,
      dbBytes,
      timedOut: driven.timedOut,
    };
  } finally {
    if (server) await stopServer(server);
  }
}

/**
 * From the memory probe's samples (bench/api/memory-probe.mjs, every 500 ms) taken between `from` and
 * `to` (ms): the peaks of the anonymous and file-backed resident memory (KiB), and the sample with the
 * highest RSS.
 */
function memoryDuring(
  file: string,
  from: number,
  to: number,
): Pick<YearResult, "peakAnonKiB" | "peakFileKiB" | "atPeak"> {
  let peakAnon = 0;
  let peakFile = 0;
  let atPeak: YearResult["atPeak"];
  let lines: string[] = [];
  try {
    lines = readFileSync(file, "utf8").split("\n");
  } catch {
    // no samples
  }
  for (const line of lines) {
    if (line === "") continue;
    const m = JSON.parse(line) as NonNullable<YearResult["atPeak"]> & { at: number };
    if (m.at < from || m.at > to) continue;
    peakAnon = Math.max(peakAnon, m.anon);
    peakFile = Math.max(peakFile, m.file);
    if (atPeak === undefined || m.rss > atPeak.rss) atPeak = m;
  }
  return { peakAnonKiB: peakAnon / 1024, peakFileKiB: peakFile / 1024, atPeak };
}
