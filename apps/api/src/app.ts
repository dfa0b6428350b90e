import { LIMITS } from "@briefgeheim/protocol";
import { Hono } from "hono";
import { loadServerCrypto, type ServerCrypto } from "./crypto/index.js";
import type { VerifierPool } from "./crypto/pool.js";
import type { Database } from "./db/client.js";
import type { Writer } from "./db/writer.js";
import { type AppEnv, type Clock, type Deps, lazy, loadServerSecrets, systemClock } from "./deps.js";
import { jsonLogger, type Logger } from "./logger.js";
import type { Metrics } from "./metrics/index.js";
import { bodyLimit, closeAfterUnreadBody } from "./middleware/body-limit/index.js";
import {
  AddressKeys,
  type AddressResolver,
  clientAddress,
  socketAddress,
} from "./middleware/client-address/index.js";
import { notFound, onError } from "./middleware/errors/index.js";
import { type PowConfig, ProofOfWork } from "./middleware/pow/index.js";
import { limitByAddress } from "./middleware/rate-limit/index.js";
import { knownRoutesOnly, sameOriginWrites } from "./middleware/request-checks/index.js";
import { requestLogger } from "./middleware/request-logger/index.js";
import { securityHeaders } from "./middleware/security-headers/index.js";
import { createRateLimits, type RateLimitConfig } from "./rate-limits.js";
import { ATTACHMENT_CHUNK_PATH, attachmentRoutes } from "./routes/attachments/index.js";
import { auditRoutes } from "./routes/audit/index.js";
import { authRoutes } from "./routes/auth/index.js";
import { draftRoutes } from "./routes/drafts/index.js";
import { healthRoutes } from "./routes/health/index.js";
import { helplineRoutes } from "./routes/helplines/index.js";
import { helplineProfileRoutes } from "./routes/helplines/profile.js";
import { helplineSettingsRoutes } from "./routes/helplines/settings.js";
import { inviteRoutes } from "./routes/invites/index.js";
import { openApiRoutes } from "./routes/openapi/index.js";
import { powRoutes } from "./routes/pow/index.js";
import { savedRepliesRoutes } from "./routes/saved-replies/index.js";
import { staffRoutes } from "./routes/staff/index.js";
import { type StaticApp, staticRoutes } from "./routes/static/index.js";
import { statsRoutes } from "./routes/stats/index.js";
import { exportedRoutes } from "./routes/threads/exported.js";
import { threadRoutes } from "./routes/threads/index.js";
import { HelplineStorage, type QuotaConfig, Quotas } from "./services/quotas.js";
import { RosterCache } from "./services/rosters.js";

export interface AppOptions {
  db: Database;
  writer: Writer;
  clock?: Clock;
  logger?: Logger;
  /** The web origin clients sign into, exactly as the browser's `location.origin`. */
  origin: string;
  /** Preloaded crypto (tests); loaded lazily otherwise. */
  crypto?: ServerCrypto;
  rateLimits?: Partial<RateLimitConfig>;
  /**
   * Reverse proxies whose `X-Forwarded-For` names the client (TRUSTED_PROXIES); without them the TCP
   * peer is the client. Used only to count requests per address (in memory, under a rotating key).
   */
  trustedProxies?: readonly string[];
  /** Overrides how the client's address is found (tests); default: `socketAddress(trustedProxies)`. */
  clientAddress?: AddressResolver;
  /** The browser apps to serve (default: apps/seeker/dist at `/`, apps/staff/dist at `/staff/`). */
  staticApps?: readonly StaticApp[];
  /** Verify envelopes and new threads on worker threads (see crypto/pool.ts); default: main thread. */
  verifier?: VerifierPool;
  /** Proof-of-work difficulty and load signal (middleware/pow; default DEFAULT_POW). */
  pow?: Partial<PowConfig>;
  /** Prometheus metrics (metrics/; METRICS_PORT): counted only when given. */
  metrics?: Metrics;
  /** Daily quotas and the helplines' storage quota (services/quotas; default DEFAULT_QUOTAS). */
  quotas?: Partial<QuotaConfig>;
}

/**
 * The routes anyone may call without a session: sign-in, proof-of-work challenges and invites; they
 * are counted per address apart, with a much smaller share.
 */
const ANONYMOUS_ROUTES =
  /^\/api\/(auth\/(challenge|seeker|staff(\/[a-z-]+)?)|pow\/challenge|invites\/[^/]+(\/accept)?)$/;

/**
 * Builds the Hono app. Everything lives under `/api`; every error is `{ error: { code, message } }`.
 *
 * @example
 * const app = createApp({ db, writer, origin: "https://hulp.example" });
 * serve({ fetch: app.fetch, port: 8787 });
 */
export function createApp(options: AppOptions) {
  const clock = options.clock ?? systemClock;
  const logger = options.logger ?? jsonLogger();
  const preloaded = options.crypto;
  const secrets = lazy(() => loadServerSecrets(options.db, options.writer));
  const resolveAddress = options.clientAddress ?? socketAddress(options.trustedProxies);
  // The daily quotas find the client as the rate limits do (the proxy's forwarded address when named).
  const quotas = new Quotas({ addressOf: resolveAddress, ...options.quotas }, () => clock.now());
  const deps: Deps = {
    db: options.db,
    writer: options.writer,
    clock,
    logger,
    origin: options.origin,
    crypto: lazy(() => (preloaded ? Promise.resolve(preloaded) : loadServerCrypto())),
    verifier: options.verifier,
    secrets,
    limits: createRateLimits(options.rateLimits),
    pow: new ProofOfWork(
      async () => (await secrets()).powKey,
      options.pow,
      () => clock.now(),
    ),
    quotas,
    storage: new HelplineStorage(options.db.read, quotas.config, logger, () => clock.now()),
  };
  const rosterCache = new RosterCache(deps);

  const api = new Hono<AppEnv>()
    .route("/health", healthRoutes())
    .route(
      "/openapi.json",
      openApiRoutes(() => app),
    )
    .route("/helplines", helplineRoutes(deps, rosterCache))
    .route("/helplines", helplineProfileRoutes(deps, rosterCache))
    .route("/helplines", helplineSettingsRoutes(deps))
    .route("/auth", authRoutes(deps))
    .route("/pow", powRoutes(deps))
    .route("/invites", inviteRoutes(deps, rosterCache))
    .route("/staff", staffRoutes(deps))
    .route("/threads", threadRoutes(deps, rosterCache))
    .route("/threads", exportedRoutes(deps))
    .route("/drafts", draftRoutes(deps))
    .route("/saved-replies", savedRepliesRoutes(deps))
    .route("/attachments", attachmentRoutes(deps))
    .route("/audit", auditRoutes(deps))
    .route("/stats", statsRoutes(deps));

  const app = new Hono<AppEnv>();
  // Request counts and latency by route pattern, when the operator turned metrics on (metrics/).
  if (options.metrics) app.use("*", options.metrics.middleware());
  app.use("*", requestLogger(logger), securityHeaders());
  // In this order: who is asking (per address, in memory only), how often, whether the route exists
  // (404/405 before sessions and body checks), whether a browser sent it from another origin, and a
  // body limit as a safety net above every per-route limit.
  app.use(
    "/api/*",
    closeAfterUnreadBody(),
    clientAddress(resolveAddress, new AddressKeys()),
    limitByAddress(deps.limits.address),
    knownRoutesOnly(() => app),
    sameOriginWrites(options.origin),
    // Attachment chunks are raw bytes (application/octet-stream); every other body is JSON.
    bodyLimit(LIMITS.body.batch, { binary: ATTACHMENT_CHUNK_PATH }),
  );
  // The anonymous routes (sign-in, invites) have a much smaller share per address.
  app.use(
    "/api/*",
    limitByAddress(deps.limits.addressSignIn, (path) => ANONYMOUS_ROUTES.test(path)),
  );
  app.onError(onError(logger));
  app.notFound(notFound);
  const routed = app.route("/api", api);
  // The built browser apps (routes/static): after the API, so /api/* never reaches them.
  app.route("/", staticRoutes(options.staticApps));
  return routed;
}

/** The app's type, for Hono's typed client: `hc<AppType>(url)`. */
export type AppType = ReturnType<typeof createApp>;
