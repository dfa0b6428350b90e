/**
 * The load generator (its own process): autocannon over keep-alive connections on loopback, one
 * request in flight per connection. Reads a plan (NDJSON): a header line
 * `{ url, connections, durationSec, timeoutSec }`, then either one `{ static: { method, path, body } }`
 * line (every connection repeats it until the time is up) or request lines `{ c, method, path, cookie,
 * body }`: connection `c` sends its lines in order, each exactly once (so every thread's sequence numbers
 * arrive in order), and stops; the run also stops at `durationSec`. Prints one JSON line with the result.
 */
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import autocannon from "autocannon";

interface Header {
  url: string;
  connections: number;
  durationSec: number;
  timeoutSec?: number;
}
interface Line {
  c: number;
  method: string;
  path: string;
  cookie?: string;
  body: string;
}

const planFile = process.argv[2];
if (!planFile) throw new Error("usage: load.ts <plan.ndjson>");
const lines = createInterface({ input: createReadStream(planFile), crlfDelay: Number.POSITIVE_INFINITY });
let header: Header | undefined;
let staticRequest: Omit<Line, "c"> | undefined;
const perConnection: autocannon.Request[][] = [];
for await (const text of lines) {
  if (text === "") continue;
  if (header === undefined) {
    header = JSON.parse(text) as Header;
    for (let i = 0; i < header.connections; i++) perConnection.push([]);
    continue;
  }
  const parsed = JSON.parse(text) as Line | { static: Omit<Line, "c"> };
  if ("static" in parsed) {
    staticRequest = parsed.static;
    continue;
  }
  const headers: Record<string, string> = { "content-type": "application/json" };
  if (parsed.cookie) headers.cookie = `__Host-bg_session=${parsed.cookie}`;
  perConnection[parsed.c]!.push({
    method: parsed.method as "POST",
    path: parsed.path,
    headers,
    body: parsed.body,
  });
}
if (header === undefined) throw new Error("empty plan");
// An optional second argument sends the same plan to another server (the echo ceiling).
if (process.argv[3]) header.url = process.argv[3];
if (!staticRequest && new Set(perConnection.map((l) => l.length)).size !== 1) {
  throw new Error("every connection needs the same number of requests");
}

let next = 0;
const maxPerConnection = Math.max(...perConnection.map((l) => l.length));
const result = await autocannon({
  url: header.url,
  connections: header.connections,
  pipelining: 1,
  duration: header.durationSec,
  timeout: header.timeoutSec ?? 30,
  ...(staticRequest
    ? {
        method: staticRequest.method as "POST",
        headers: { "content-type": "application/json" },
        body: staticRequest.body,
      }
    : {
        maxConnectionRequests: maxPerConnection,
        setupClient: (client: autocannon.Client) => {
          // biome-ignore lint/suspicious/noExplicitAny: setRequests exists on autocannon's client, not in its types
          (client as any).setRequests(perConnection[next++]);
        },
      }),
});
const ok = result["2xx"];
process.stdout.write(
  `${JSON.stringify({
    requests: result.requests.total,
    ok,
    non2xx: result.non2xx,
    errors: result.errors,
    timeouts: result.timeouts,
    durationSec: result.duration,
    perSecond: ok / result.duration,
    latencyP50: result.latency.p50,
    latencyP99: result.latency.p99,
  })}\n`,
);
