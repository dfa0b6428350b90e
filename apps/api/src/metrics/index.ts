/**
 * Prometheus metrics (prom-client), off by default (docs/DEPLOY.md, "Monitoring"). Only aggregates
 * that say how the server is doing: requests by method, route PATTERN (`/api/threads/:threadId`, never
 * a concrete path, id or query) and status, their latency, 429 refusals by route pattern, the write
 * queue's depth, the database's size and the Node process's own figures. No ids, addresses, user
 * agents, helpline names or anything about content: the labels come from a fixed set of route patterns.
 * Served on a listener of its own (METRICS_PORT), bound to loopback unless a token guards it, so the
 * public reverse proxy never reaches it.
 */
import { createServer, type Server } from "node:http";
import { isIP } from "node:net";
import type { Client } from "@libsql/client";
import type { Context, MiddlewareHandler } from "hono";
import { matchedRoutes } from "hono/route";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";

/** What the gauges read when Prometheus scrapes. */
export interface MetricsSources {
  /** Write jobs waiting for their batch. */
  readonly writeQueue: () => number;
  /** The database's size in bytes (pages in use, WAL left out). */
  readonly databaseBytes: () => Promise<number>;
}

/**
 * The route label of a request: the pattern of the first endpoint it matched (`/api/threads/:threadId`),
 * wherever it was answered (a 401 or 429 from a middleware counts under its route), or "(unmatched)"
 * (unknown paths, the browser apps' files). Middleware (`use`, method ALL) and catch-alls (`*`) are no
 * endpoints; the browser apps' `GET *` matches every path, so "the last match" would name nothing.
 */
export function routeOf(c: Context): string {
  const route = matchedRoutes(c).find((r) => r.method !== "ALL" && !r.path.endsWith("*"));
  return route?.path ?? "(unmatched)";
}

/**
 * The server's metrics in a registry of its own (not prom-client's global one, so two apps in one
 * process, as in the tests, never share counters).
 *
 * @example
 * const metrics = new Metrics({ writeQueue: () => writer.queued(), databaseBytes: () => sizeOf(db) });
 * const app = createApp({ ..., metrics });
 * await startMetricsServer(metrics, { host: "127.0.0.1", port: 9464 });
 */
export class Metrics {
  readonly registry = new Registry();
  readonly #requests: Counter<"method" | "route" | "status">;
  readonly #duration: Histogram<"method" | "route">;
  readonly #refusals: Counter<"route">;

  constructor(sources: MetricsSources, options: { processMetrics?: boolean } = {}) {
    const registers = [this.registry];
    this.#requests = new Counter({
      name: "briefgeheim_http_requests_total",
      help: "HTTP requests by method, route pattern and status",
      labelNames: ["method", "route", "status"],
      registers,
    });
    this.#duration = new Histogram({
      name: "briefgeheim_http_request_duration_seconds",
      help: "Time from the request to the response, by method and route pattern",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers,
    });
    this.#refusals = new Counter({
      name: "briefgeheim_rate_limit_refusals_total",
      help: "Requests refused with 429 (rate limits and daily quotas), by route pattern",
      labelNames: ["route"],
      registers,
    });
    new Gauge({
      name: "briefgeheim_write_queue_depth",
      help: "Write jobs waiting for the group-commit writer",
      registers,
      collect() {
        this.set(sources.writeQueue());
      },
    });
    new Gauge({
      name: "briefgeheim_database_bytes",
      help: "Size of the database (pages in use)",
      registers,
      async collect() {
        this.set(await sources.databaseBytes());
      },
    });
    if (options.processMetrics !== false) {
      collectDefaultMetrics({ register: this.registry, prefix: "briefgeheim_" });
    }
  }

  /** Counts one answered request (called by `middleware()`). */
  observe(method: string, route: string, status: number, seconds: number): void {
    this.#requests.inc({ method, route, status: String(status) });
    this.#duration.observe({ method, route }, seconds);
    if (status === 429) this.#refusals.inc({ route });
  }

  /** Counts every request of the app it is mounted on: `app.use("*", metrics.middleware())`. */
  middleware(): MiddlewareHandler {
    return async (c, next) => {
      const start = performance.now();
      try {
        await next();
      } finally {
        this.observe(c.req.method, routeOf(c), c.res.status, (performance.now() - start) / 1000);
      }
    };
  }

  /** The text exposition format Prometheus scrapes. */
  async text(): Promise<string> {
    return this.registry.metrics();
  }
}

/** The database's size: page_count × page_size (works on a file and on a libSQL server alike). */
export async function databaseBytes(client: Pick<Client, "execute">): Promise<number> {
  const first = async (sql: string) => Number((await client.execute(sql)).rows[0]?.[0] ?? 0);
  return (await first("PRAGMA page_count")) * (await first("PRAGMA page_size"));
}

export interface MetricsConfig {
  readonly port: number;
  readonly host: string;
  /** When set, every scrape needs `Authorization: Bearer <token>`. */
  readonly token: string | undefined;
}

const LOOPBACK = new Set(["127.0.0.1", "::1", "localhost"]);

/**
 * METRICS_PORT (unset: no metrics at all), METRICS_HOST (default 127.0.0.1) and METRICS_TOKEN. Any
 * address other than loopback needs a token of at least 32 characters: the figures are harmless, but
 * nobody outside should learn the server's load pattern for free.
 */
export function readMetricsConfig(env: NodeJS.ProcessEnv = process.env): MetricsConfig | undefined {
  if (env.METRICS_PORT === undefined || env.METRICS_PORT === "") return undefined;
  const port = Number(env.METRICS_PORT);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error("METRICS_PORT must be a port");
  const host = env.METRICS_HOST || "127.0.0.1";
  if (!LOOPBACK.has(host) && isIP(host) === 0) throw new Error("METRICS_HOST must be an IP address");
  const token = env.METRICS_TOKEN || undefined;
  if (token !== undefined && token.length < 32)
    throw new Error("METRICS_TOKEN must have at least 32 characters");
  if (!LOOPBACK.has(host) && token === undefined) {
    throw new Error("METRICS_HOST other than loopback needs METRICS_TOKEN");
  }
  return { port, host, token };
}

/** Compares the presented token in constant time (for its length). */
function tokenMatches(header: string | undefined, token: string): boolean {
  const presented = Buffer.from(header ?? "");
  const expected = Buffer.from(`Bearer ${token}`);
  if (presented.length !== expected.length) return false;
  let diff = 0;
  for (let i = 0; i < expected.length; i++) diff |= presented[i]! ^ expected[i]!;
  return diff === 0;
}

/**
 * Serves `GET /metrics` on its own listener; anything else is 404, a missing or wrong token 401.
 * Resolves with the server and the port it is bound to.
 */
export function startMetricsServer(
  metrics: Metrics,
  config: MetricsConfig,
): Promise<{ server: Server; port: number }> {
  const server = createServer((req, res) => {
    if (req.method !== "GET" || req.url !== "/metrics") {
      res.writeHead(404, { "Content-Type": "text/plain" }).end("not found\n");
      return;
    }
    if (config.token !== undefined && !tokenMatches(req.headers.authorization, config.token)) {
      res
        .writeHead(401, { "Content-Type": "text/plain", "WWW-Authenticate": "Bearer" })
        .end("token needed\n");
      return;
    }
    metrics.text().then(
      (body) => res.writeHead(200, { "Content-Type": metrics.registry.contentType }).end(body),
      () => res.writeHead(500, { "Content-Type": "text/plain" }).end("metrics failed\n"),
    );
  });
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    server.listen(config.port, config.host, () => {
      const address = server.address();
      resolve({ server, port: typeof address === "object" && address !== null ? address.port : config.port });
    });
  });
}
