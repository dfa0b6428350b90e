/**
 * Abuse benchmark (`npm run bench:abuse`; not part of `npm test`): the real server in its own process
 * (a temporary embedded libSQL file, the default rate limits: RATE_LIMIT_MULTIPLIER=1), staff of one
 * helpline signing in and writing from their own loopback addresses, first alone and then while an
 * attacker on 127.0.0.2 floods at full speed (the challenge route, `staff/params` with invented
 * usernames, wrong passphrases for the supervisor's username; BENCH_ABUSE_CONCURRENCY requests in
 * flight per kind, default 16). Prints a Markdown table: each figure beside the same figure measured
 * in the same run without the flood (the floor or ceiling it is compared with), and the server's peak
 * memory. See docs/PERFORMANCE.md, section "Abuse (bench/abuse)".
 *
 * Environment: BENCH_ABUSE_CLIENTS (legitimate clients, default 5), BENCH_ABUSE_ROUNDS (rounds of work
 * per client, default 30: a draft saved, two reads and one anonymous challenge each), BENCH_KEEP=1 keeps
 * the temporary folder.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { loadSodium } from "@briefgeheim/crypto";
import {
  type Account,
  Client,
  type FloodResult,
  flood,
  legitimateWork,
  percentile,
  type Sample,
  successRate,
} from "../../tests/abuse/scenario.js";
import {
  BENCH_ORIGIN,
  createHelplineWithCli,
  type StaffMember,
  setupWorld,
  startServer,
  stopServer,
} from "../../tests/support/api-world.js";

const env = process.env;
const clients = Number(env.BENCH_ABUSE_CLIENTS ?? 5);
const rounds = Number(env.BENCH_ABUSE_ROUNDS ?? 30);
const concurrency = Number(env.BENCH_ABUSE_CONCURRENCY ?? 16);
const log = (s: string) => process.stderr.write(`${s}\n`);

/** Current resident memory of a process (VmRSS, KiB). */
function rssKiB(pid: number): number | undefined {
  const m = /VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : undefined;
}

interface Phase {
  samples: Sample[];
  seconds: number;
  ownerSignedIn: boolean | undefined;
  attack?: FloodResult & { seconds: number };
  peakKiB: number | undefined;
}

const dir = mkdtempSync(join(tmpdir(), "bg-abuse-"));
const dbFile = join(dir, "bench.db");
const server = await startServer({
  dbFile,
  logFile: join(dir, "server.log"),
  env: { RATE_LIMIT_MULTIPLIER: "1" },
});
try {
  log(`server pid ${server.pid} on ${server.base}; setting up ${2 * clients} counsellors`);
  const created = await createHelplineWithCli(dbFile, { slug: "abuse", name: "Abuse", tag: 9 });
  const world = await setupWorld(
    server.base,
    { ...created, slug: "abuse" },
    { counsellors: 2 * clients, intakeReaders: true },
  );
  const sodium = await loadSodium();
  const target = { base: server.base, origin: BENCH_ORIGIN, helplineId: world.helplineId, sodium };
  const account = (s: StaffMember): Account => ({
    username: s.username,
    proof: s.proof,
    signInSecretKey: s.signIn.secretKey,
  });

  async function phase(name: string, first: number, withFlood: boolean): Promise<Phase> {
    const legit = Array.from({ length: clients }, (_, i) => new Client(target, `127.0.0.${first + i}`));
    const owner = new Client(target, `127.0.0.${first + clients}`);
    const attacker = new Client(target, "127.0.0.2", 3 * concurrency);
    let done = false;
    const t0 = performance.now();
    const attack = withFlood
      ? flood(attacker, world.supervisor.username, {
          concurrency,
          max: Number.MAX_SAFE_INTEGER,
          stop: () => done,
        })
      : undefined;
    if (withFlood) await new Promise((r) => setTimeout(r, 500)); // the attacker's shares are used up first
    const started = performance.now();
    const staff = world.counsellors.slice(withFlood ? clients : 0);
    const [ok, ownerCookie] = await Promise.all([
      Promise.all(legit.map((c, i) => legitimateWork(c, account(staff[i]!), rounds))),
      withFlood ? owner.signIn(account(world.supervisor)) : Promise.resolve(undefined),
    ]);
    const seconds = (performance.now() - started) / 1000;
    done = true;
    const attacked = attack === undefined ? undefined : await attack;
    const attackSeconds = (performance.now() - t0) / 1000;
    const samples = legit.flatMap((c) => c.samples);
    await Promise.all([attacker.close(), owner.close(), ...legit.map((c) => c.close())]);
    log(
      `${name}: ${samples.length} legitimate requests in ${seconds.toFixed(1)} s; signed in: ${ok.filter(Boolean).length}/${clients}`,
    );
    return {
      samples,
      seconds,
      ownerSignedIn: withFlood ? ownerCookie !== undefined : undefined,
      ...(attacked === undefined ? {} : { attack: { ...attacked, seconds: attackSeconds } }),
      peakKiB: server.peakRssKiB(),
    };
  }

  const idleKiB = rssKiB(server.pid);
  const quiet = await phase("without the flood", 3, false);
  const flooded = await phase("with the flood", 3 + clients + 1, true);
  await new Promise((r) => setTimeout(r, 1000));
  const afterKiB = rssKiB(server.pid);

  const pct = (x: number) => `${(100 * x).toFixed(2)} %`;
  const ms = (x: number) => `${x.toFixed(1)} ms`;
  const mib = (k: number | undefined) => (k === undefined ? "?" : `${(k / 1024).toFixed(0)} MiB`);
  const a = flooded.attack!;
  const refused = (a.byStatus[429] ?? 0) / a.sent;
  const rows: [string, string, string][] = [
    ["legitimate requests", String(quiet.samples.length), String(flooded.samples.length)],
    ["legitimate success rate (2xx)", pct(successRate(quiet.samples)), pct(successRate(flooded.samples))],
    ["legitimate latency p50", ms(percentile(quiet.samples, 50)), ms(percentile(flooded.samples, 50))],
    ["legitimate latency p99", ms(percentile(quiet.samples, 99)), ms(percentile(flooded.samples, 99))],
    [
      "legitimate throughput",
      `${(quiet.samples.length / quiet.seconds).toFixed(0)} req/s`,
      `${(flooded.samples.length / flooded.seconds).toFixed(0)} req/s`,
    ],
    ["attacker requests (one address)", "-", `${a.sent} (${(a.sent / a.seconds).toFixed(0)} req/s)`],
    ["attacker answered 429", "-", pct(refused)],
    ["attacker's wrong passphrases checked (not 429)", "-", String(a.unlockNot429)],
    ["attacked owner signs in from another address", "-", flooded.ownerSignedIn ? "yes" : "NO"],
    [
      "server peak memory (VmHWM)",
      `${mib(quiet.peakKiB)} (idle before: ${mib(idleKiB)})`,
      mib(flooded.peakKiB),
    ],
    ["server memory 1 s after the flood (VmRSS)", "-", mib(afterKiB)],
  ];
  const load = loadavg()
    .map((x) => x.toFixed(1))
    .join(" ");
  console.log(
    `\nAbuse benchmark: ${clients} legitimate staff clients x ${rounds} rounds; attacker ${concurrency} in flight per kind (3 kinds); ${availableParallelism()} cores, load average ${load}\n`,
  );
  console.log("| figure | without the flood (same run) | with the flood |");
  console.log("| --- | --- | --- |");
  for (const [k, q, f] of rows) console.log(`| ${k} | ${q} | ${f} |`);
  console.log(`\nattacker answers by status: ${JSON.stringify(a.byStatus)}`);
} finally {
  await stopServer(server);
  if (env.BENCH_KEEP !== "1") rmSync(dir, { recursive: true, force: true });
}
