/**
 * A counsellor looking at their inbox while the year is ingested: `GET /api/threads?view=<view>` on
 * one keep-alive connection every `intervalMs`, timing each answer. Stops on SIGTERM (or after
 * `maxSeconds`) and prints one JSON line: count, non-2xx answers and latency percentiles in ms.
 *
 * Usage: node --import tsx bench/api/inbox-probe.ts <base> <cookie> <view> <intervalMs> <maxSeconds>
 */
import { Pool } from "undici";

const [base, cookie, view, intervalText, maxText] = process.argv.slice(2);
const interval = Number(intervalText);
const pool = new Pool(base!, { connections: 1 });
const latencies: number[] = [];
let failures = 0;
let threadsSeen = 0;
let stop = false;
process.on("SIGTERM", () => {
  stop = true;
});
const deadline = performance.now() + Number(maxText) * 1000;

while (!stop && performance.now() < deadline) {
  const t0 = performance.now();
  try {
    const res = await pool.request({
      path: `/api/threads?view=${view}&limit=50`,
      method: "GET",
      headers: { cookie: `__Host-bg_session=${cookie}` },
      headersTimeout: 30_000,
      bodyTimeout: 30_000,
    });
    const body = (await res.body.json()) as { threads?: unknown[] };
    latencies.push(performance.now() - t0);
    if (res.statusCode !== 200) failures++;
    else threadsSeen = Math.max(threadsSeen, body.threads?.length ?? 0);
  } catch {
    failures++;
  }
  const wait = interval - (performance.now() - t0);
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
}
await pool.close();
latencies.sort((a, b) => a - b);
const pct = (p: number) =>
  latencies[Math.min(latencies.length - 1, Math.floor((p / 100) * latencies.length))] ?? 0;
process.stdout.write(
  `${JSON.stringify({ count: latencies.length, failures, threadsSeen, p50: pct(50), p99: pct(99), max: latencies.at(-1) ?? 0 })}\n`,
);
