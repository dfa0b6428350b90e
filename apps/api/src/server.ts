/**
 * Node entry point: `npm run start:api` (node --import tsx apps/api/src/server.ts).
 * Environment: DATABASE_URL (default file:./data/briefgeheim.db; its folder is created),
 * DATABASE_AUTH_TOKEN (libSQL server), PORT (default 8787; 0 picks a free port), HOST (default: every
 * interface), ORIGIN (default http://localhost:PORT), RATE_LIMIT_MULTIPLIER (default 1; also multiplies
 * the daily quotas), VERIFY_THREADS (signature-verification worker threads; default: cores - 1),
 * POW_DIFFICULTY (default 20000), POW_LOAD_PER_DOUBLING (300), HELPLINE_STORAGE_MB (default 4096), SESSION_ATTACHMENT_MB (30),
 * ADDRESS_ATTACHMENT_MB (200), UNSENT_ATTACHMENT_PERCENT (5).
 * METRICS_PORT (unset: no metrics), METRICS_HOST (default 127.0.0.1), METRICS_TOKEN (metrics/index.ts).
 * TRUSTED_PROXIES (comma-separated addresses of reverse proxies whose X-Forwarded-For names the client
 * for the per-address rate limits; default: none, the TCP peer is the client).
 * Once listening it prints `{"event":"listening","port":N,"pid":P,...}` as one JSON line on stdout (the
 * bound port, also when PORT=0), which tests and benchmarks wait for.
 */
import { serve } from "@hono/node-server";
import { createApp } from "./app.js";
import { readConfig } from "./config.js";
import { VerifierPool } from "./crypto/pool.js";
import { startCheckpointer } from "./db/checkpointer.js";
import { openDatabase } from "./db/client.js";
import { runMigrations } from "./db/migrate.js";
import { ProtocolOneDatabaseError } from "./db/protocol-check.js";
import { createWriter } from "./db/writer.js";
import { loadServerSecrets, systemClock } from "./deps.js";
import { jsonLogger } from "./logger.js";
import { runMaintenance } from "./maintenance.js";
import { databaseBytes, Metrics, readMetricsConfig, startMetricsServer } from "./metrics/index.js";
import { scaleRateLimits } from "./rate-limits.js";
import { scaleQuotas } from "./services/quotas.js";

/** How often the clean-up runs: a minute; MAINTENANCE_EVERY_MS shortens it (tests/two-instances.test.ts). */
const MAINTENANCE_EVERY_MS = Number(process.env.MAINTENANCE_EVERY_MS ?? 60_000) || 60_000;

async function main(): Promise<void> {
  const config = readConfig();
  const logger = jsonLogger();
  const db = await openDatabase({
    url: config.databaseUrl,
    authToken: config.databaseAuthToken,
    cacheMib: config.dbCacheMib,
  });
  await runMigrations(db.write);
  const writer = createWriter(db, { logger });
  // WAL checkpoints (the fsyncs) on their own thread, not between requests on this one.
  const stopCheckpointer = db.path !== null ? startCheckpointer(db.path) : async () => {};
  // The HMAC secret (decoy salts, invite tokens) is created on first start.
  await loadServerSecrets(db, writer);
  // Prometheus metrics on a listener of their own, only when METRICS_PORT is set (docs/DEPLOY.md).
  const metricsConfig = readMetricsConfig();
  const metrics = metricsConfig
    ? new Metrics({ writeQueue: () => writer.queued(), databaseBytes: () => databaseBytes(db.readClient) })
    : undefined;
  const app = createApp({
    db,
    writer,
    logger,
    ...(metrics === undefined ? {} : { metrics }),
    origin: config.origin,
    clock: systemClock,
    rateLimits: scaleRateLimits(config.rateLimitMultiplier),
    trustedProxies: config.trustedProxies,
    verifier: config.verifyThreads > 0 ? VerifierPool.start(config.verifyThreads) : undefined,
    pow: { baseMaxNumber: config.powDifficulty, loadPerDoubling: config.powLoadPerDoubling },
    quotas: scaleQuotas(config.rateLimitMultiplier, {
      helplineStorageBytes: config.helplineStorageBytes,
      sessionAttachmentBytes: config.sessionAttachmentBytes,
      addressAttachmentBytes: config.addressAttachmentBytes,
      unsentAttachmentShare: config.unsentAttachmentShare,
    }),
  });

  const server = serve({ fetch: app.fetch, port: config.port, hostname: config.host }, (info) => {
    logger.info({
      event: "listening",
      port: info.port,
      pid: process.pid,
      origin: config.origin,
      database: db.isFile ? "file" : "remote",
    });
  });

  const metricsServer =
    metrics && metricsConfig ? (await startMetricsServer(metrics, metricsConfig)).server : undefined;
  if (metricsConfig) logger.info({ event: "metrics", host: metricsConfig.host, port: metricsConfig.port });

  const maintain = () =>
    runMaintenance(db, writer, systemClock).then(
      (n) => {
        if (Object.values(n).some((v) => v > 0)) logger.info({ event: "maintenance", ...n });
      },
      (e: unknown) =>
        logger.warn({ event: "maintenance.failed", error: e instanceof Error ? e.message : String(e) }),
    );
  void maintain();
  const timer = setInterval(maintain, MAINTENANCE_EVERY_MS);
  timer.unref();

  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ event: "stopping", signal });
    clearInterval(timer);
    metricsServer?.close();
    server.close(() => {
      void writer
        .close()
        .then(stopCheckpointer)
        .finally(() => {
          db.close();
          process.exit(0);
        });
    });
    setTimeout(() => process.exit(1), 10_000).unref();
  };
  process.on("SIGINT", () => stop("SIGINT"));
  process.on("SIGTERM", () => stop("SIGTERM"));
}

main().catch((e: unknown) => {
  // A protocol-1 database: say what happened and what to do, without a stack trace.
  if (e instanceof ProtocolOneDatabaseError) {
    console.error(`Briefgeheim did not start. ${e.message}`);
    process.exit(1);
  }
  console.error(e instanceof Error ? (e.stack ?? e.message) : e);
  process.exit(1);
});
