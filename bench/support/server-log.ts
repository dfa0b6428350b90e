/** The API server's request log (one JSON line per request, middleware/request-logger), read by benches. */

/**
 * The server's own time (request in, answer out) summed over the requests among `lines` with this
 * method and route pattern (the log names the pattern, never the concrete path or query).
 *
 * @example
 * const { ms, requests } = requestTimes(world.serverLog.slice(from), "GET", "/api/threads");
 */
export function requestTimes(
  lines: readonly string[],
  method: string,
  route: string,
): { ms: number; requests: number } {
  const found = routeTimes(lines).find((r) => r.route === `${method} ${route}`);
  return { ms: found?.ms ?? 0, requests: found?.requests ?? 0 };
}

/**
 * Every route among `lines` with its requests and the server's own time (request in, answer out: wall
 * time, waiting for the writer included), the slowest first.
 *
 * @example
 * for (const r of routeTimes(world.serverLog.slice(from))) console.log(r.route, r.requests, r.ms);
 */
export function routeTimes(lines: readonly string[]): { route: string; requests: number; ms: number }[] {
  const by = new Map<string, { route: string; requests: number; ms: number }>();
  for (const line of lines) {
    const e = JSON.parse(line) as { event?: string; route?: string; method?: string; ms?: number };
    if (e.event !== "request") continue;
    const route = `${e.method} ${e.route}`;
    const r = by.get(route) ?? { route, requests: 0, ms: 0 };
    r.requests++;
    r.ms += e.ms ?? 0;
    by.set(route, r);
  }
  return [...by.values()].sort((a, b) => b.ms - a.ms);
}
