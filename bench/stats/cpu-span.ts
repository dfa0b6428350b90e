/**
 * For bench:stats in Chromium: the CPU each side took during one count (from /proc, bench/inbox/cpu.ts)
 * and the server's own time for the listing's requests (its request log), so a run's wall time can be
 * set against the two cores: is the count waiting for a core, or for something else?
 */
import { writeFileSync } from "node:fs";
import { Session } from "node:inspector/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { cpuBetween, cpuSeconds } from "../inbox/cpu.js";
import { requestTimes } from "../support/server-log.js";

/** BENCH_STATS_SERVER_PROFILE=1: a V8 CPU profile of this process (the API server) during each count. */
const SERVER_PROFILE = process.env.BENCH_STATS_SERVER_PROFILE === "1";
let profiled = 0;

export interface CpuSpan {
  /** This process: the API server and the bench's own polling. */
  readonly serverS: number;
  /** Chromium's processes together, and by kind (renderer: the page and its workers). */
  readonly chromiumS: number;
  readonly byKind: ReadonlyMap<string, number>;
  /** The server's own time (request in, answer out) for `GET /api/stats/answers`, summed. */
  readonly answersMs: number;
  readonly answers: number;
}

/** Runs `count` and measures the span around it. */
export async function withCpuSpan<T>(
  log: readonly string[],
  count: () => Promise<T>,
): Promise<{ result: T; span: CpuSpan }> {
  const from = log.length;
  const session = SERVER_PROFILE ? new Session() : undefined;
  if (session !== undefined) {
    session.connect();
    await session.post("Profiler.enable");
    await session.post("Profiler.start");
  }
  const before = cpuSeconds();
  const result = await count();
  const after = cpuSeconds();
  if (session !== undefined) {
    const { profile } = await session.post("Profiler.stop");
    const file = join(tmpdir(), `bench-stats-server-${process.pid}-${++profiled}.cpuprofile`);
    writeFileSync(file, JSON.stringify(profile));
    process.stderr.write(`server profile of this count: ${file}\n`);
    session.disconnect();
  }
  const spent = cpuBetween(before, after);
  const answers = requestTimes(log.slice(from), "GET", "/api/stats/answers");
  const span = {
    serverS: spent.self,
    chromiumS: spent.children,
    byKind: spent.byKind,
    answersMs: answers.ms,
    answers: answers.requests,
  };
  return { result, span };
}

/** A Markdown table of the spans beside each run's wall time. */
export function spanTable(spans: readonly CpuSpan[], wallMs: readonly number[]): string[] {
  const lines = [
    "\nCPU in each run's span (/proc; this process is the API server and the bench) and the server's own time for the listing",
    "| run | wall | CPU: server process | CPU: Chromium (renderer / other) | CPU together ÷ 2 cores | server's own time, GET /api/stats/answers |",
    "|---|---|---|---|---|---|",
  ];
  for (const [i, s] of spans.entries()) {
    const renderer = s.byKind.get("renderer") ?? 0;
    lines.push(
      `| ${i + 1} | ${((wallMs[i] ?? 0) / 1000).toFixed(2)} s | ${s.serverS.toFixed(2)} s | ${s.chromiumS.toFixed(2)} s (${renderer.toFixed(2)} / ${(s.chromiumS - renderer).toFixed(2)}) | ${((s.serverS + s.chromiumS) / 2).toFixed(2)} s | ${(s.answersMs / 1000).toFixed(2)} s in ${s.answers} requests |`,
    );
  }
  return lines;
}
