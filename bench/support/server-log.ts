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
  let ms = 0;
  let requests = 0;
  for (const line of lines) {
    const e = JSON.parse(line) as { event?: string; route?: string; method?: string; ms?: number };
    if (e.event === "request" && e.method === method && e.route === route) {
      ms += e.ms ?? 0;
      requests++;
    }
  }
  return { ms, requests };
}
