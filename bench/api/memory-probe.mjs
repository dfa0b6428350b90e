// Preloaded into the API server by the year bench (`node --import`): every 500 ms, the main
// isolate's memory (process.memoryUsage(): rss, heapTotal, heapUsed, external, arrayBuffers) and the
// resident set's parts from /proc/self/status (RssAnon, RssFile, in bytes) as one JSON line in
// BENCH_MEMORY_LOG, so the year's peak RSS can be split into its parts. Bench only.
import { appendFileSync, readFileSync } from "node:fs";

const out = process.env.BENCH_MEMORY_LOG;
const part = (status, name) => Number(new RegExp(`${name}:\\s+(\\d+) kB`).exec(status)?.[1] ?? 0) * 1024;
if (out) {
  setInterval(() => {
    let status = "";
    try {
      status = readFileSync("/proc/self/status", "utf8");
    } catch {
      // not Linux: the parts stay 0
    }
    const sample = {
      at: Date.now(),
      ...process.memoryUsage(),
      anon: part(status, "RssAnon"),
      file: part(status, "RssFile"),
    };
    appendFileSync(out, `${JSON.stringify(sample)}\n`);
  }, 500).unref();
}
