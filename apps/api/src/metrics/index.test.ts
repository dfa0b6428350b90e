/**
 * The Prometheus metrics: counted by route pattern with latency, 429 refusals, write-queue depth and
 * database size; nothing that names a thread, helpline, address or user agent; off unless configured;
 * loopback unless a token guards the listener.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createApp } from "../app.js";
import { loadServerCrypto } from "../crypto/index.js";
import { createWriter } from "../db/writer.js";
import { silentLogger } from "../logger.js";
import { tempDatabase } from "../testing/temp-db.js";
import { databaseBytes, Metrics, readMetricsConfig, startMetricsServer } from "./index.js";

const ORIGIN = "https://hulp.example";
let db: Awaited<ReturnType<typeof tempDatabase>>;
let writer: ReturnType<typeof createWriter>;
let metrics: Metrics;
let app: ReturnType<typeof createApp>;

beforeAll(async () => {
  db = await tempDatabase();
  writer = createWriter(db, { logger: silentLogger });
  metrics = new Metrics({
    writeQueue: () => writer.queued(),
    databaseBytes: () => databaseBytes(db.readClient),
  });
  app = createApp({
    db,
    writer,
    origin: ORIGIN,
    logger: silentLogger,
    crypto: await loadServerCrypto(),
    metrics,
    // Small enough that a few requests from one address meet the address limit.
    rateLimits: { address: { max: 5, windowMs: 60_000 } },
    clientAddress: () => "198.51.100.23",
  });
});
afterAll(async () => {
  await writer.close();
  db.cleanup();
});

const threadId = "TTTTTTTTTTTTTTTTTTTTTT"; // a well-formed id that exists nowhere
const headers = { "User-Agent": "UA-METRICS-MARKER", "X-Forwarded-For": "198.51.100.23" };

/** One sample's value from the exposition text, or undefined when it is not there. */
function sample(text: string, name: string, labels: string): number | undefined {
  const line = text.split("\n").find((l) => l.startsWith(`${name}{${labels}}`));
  return line === undefined ? undefined : Number(line.split(" ").at(-1));
}

describe("metrics", () => {
  it("counts requests by route pattern and status, with latency, and 429 refusals; names nothing", async () => {
    expect((await app.request("/api/health", { headers })).status).toBe(200);
    expect((await app.request("/api/health", { headers })).status).toBe(200);
    expect((await app.request(`/api/threads/${threadId}`, { headers })).status).toBe(401);
    expect((await app.request("/api/no-such-route", { headers })).status).toBe(404);
    let refused = 0;
    for (let i = 0; i < 6; i++) {
      if ((await app.request("/api/health", { headers })).status === 429) refused++;
    }
    expect(refused).toBeGreaterThan(0);

    const text = await metrics.text();
    expect(
      sample(text, "briefgeheim_http_requests_total", 'method="GET",route="/api/health",status="200"'),
    ).toBe(2 + 6 - refused);
    expect(
      sample(text, "briefgeheim_http_requests_total", 'method="GET",route="/api/health",status="429"'),
    ).toBe(refused);
    expect(sample(text, "briefgeheim_rate_limit_refusals_total", 'route="/api/health"')).toBe(refused);
    expect(
      sample(text, "briefgeheim_http_request_duration_seconds_count", 'method="GET",route="/api/health"'),
    ).toBe(8);
    expect(text).toContain('briefgeheim_http_request_duration_seconds_bucket{le="0.005",method="GET"');
    // The thread route is counted under its pattern, never its id.
    expect(text).toContain('route="/api/threads/:threadId"');
    expect(text).toContain('route="(unmatched)"');
    for (const needle of [threadId, "198.51.100.23", "UA-METRICS-MARKER", "no-such-route", "hulp.example"]) {
      expect(text.includes(needle), needle).toBe(false);
    }
  });

  it("the write queue's depth and the database's size", async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => {
      release = r;
    });
    // One job holds the writer; three more wait behind it.
    const first = writer.run(() => held);
    await new Promise((r) => setTimeout(r, 20)); // its batch is running
    const waiting = [1, 2, 3].map(() => writer.run(async () => undefined));
    const during = await metrics.text();
    expect(sample(during, "briefgeheim_write_queue_depth", "")).toBeUndefined(); // no labels: no braces
    expect(Number(/^briefgeheim_write_queue_depth (\d+)$/m.exec(during)?.[1])).toBe(3);
    release();
    await Promise.all([first, ...waiting]);
    const after = await metrics.text();
    expect(Number(/^briefgeheim_write_queue_depth (\d+)$/m.exec(after)?.[1])).toBe(0);
    const size = Number(/^briefgeheim_database_bytes (\d+)$/m.exec(after)?.[1]);
    expect(size).toBe(await databaseBytes(db.readClient));
    expect(size).toBeGreaterThan(4096);
    expect(after).toContain("briefgeheim_process_resident_memory_bytes");
  });
});

describe("metrics listener", () => {
  it("is off by default, loopback by default, and needs a token anywhere else", () => {
    expect(readMetricsConfig({})).toBeUndefined();
    expect(readMetricsConfig({ METRICS_PORT: "9464" })).toEqual({
      port: 9464,
      host: "127.0.0.1",
      token: undefined,
    });
    expect(() => readMetricsConfig({ METRICS_PORT: "9464", METRICS_HOST: "0.0.0.0" })).toThrow(
      /METRICS_TOKEN/,
    );
    expect(() =>
      readMetricsConfig({ METRICS_PORT: "9464", METRICS_HOST: "10.0.0.5", METRICS_TOKEN: "short" }),
    ).toThrow(/32/);
    expect(
      readMetricsConfig({ METRICS_PORT: "9464", METRICS_HOST: "10.0.0.5", METRICS_TOKEN: "t".repeat(32) }),
    ).toEqual({ port: 9464, host: "10.0.0.5", token: "t".repeat(32) });
    expect(() => readMetricsConfig({ METRICS_PORT: "http" })).toThrow(/port/);
  });

  it("serves GET /metrics only, and with a token only to whoever presents it", async () => {
    const token = "k".repeat(40);
    const { server, port } = await startMetricsServer(metrics, { host: "127.0.0.1", port: 0, token });
    try {
      const url = `http://127.0.0.1:${port}`;
      expect((await fetch(`${url}/metrics`)).status).toBe(401);
      expect(
        (await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${"x".repeat(40)}` } })).status,
      ).toBe(401);
      expect((await fetch(`${url}/other`, { headers: { Authorization: `Bearer ${token}` } })).status).toBe(
        404,
      );
      const ok = await fetch(`${url}/metrics`, { headers: { Authorization: `Bearer ${token}` } });
      expect(ok.status).toBe(200);
      expect(ok.headers.get("content-type")).toContain("text/plain");
      expect(await ok.text()).toContain("briefgeheim_http_requests_total");
    } finally {
      server.close();
    }
  });

  it("is not part of the public app: its paths serve no metrics", async () => {
    for (const path of ["/metrics", "/api/metrics", "/staff/metrics"]) {
      const res = await app.request(path);
      expect(await res.text()).not.toContain("briefgeheim_http_requests_total");
    }
  });
});
