import { isIP } from "node:net";
import { availableParallelism } from "node:os";
import { DEFAULT_CACHE_MIB, isCacheMib } from "./db/client.js";

/** Server configuration from the environment (see README). */
export interface ServerConfig {
  databaseUrl: string;
  databaseAuthToken: string | undefined;
  port: number;
  /** The address to listen on (HOST; default: every interface). */
  host: string | undefined;
  /** The web origin clients sign into (scheme://host[:port]). */
  origin: string;
  /** Worker threads that verify signatures (VERIFY_THREADS; default: cores - 1; 0: the main thread). */
  verifyThreads: number;
  /**
   * Page cache of each of the embedded database's two connections in MiB (DB_CACHE_MIB, default 64,
   * 1..1024): 16 on a small machine (docs/DEPLOY.md, "4. Settings").
   */
  dbCacheMib: number;
  /** Multiplies every rate limit (RATE_LIMIT_MULTIPLIER, default 1; raise it for load tests only). */
  rateLimitMultiplier: number;
  /** Proof-of-work maxnumber on an idle server (POW_DIFFICULTY, default 20000). */
  powDifficulty: number;
  /**
   * Solutions accepted in a minute that double the proof of work (POW_LOAD_PER_DOUBLING, default 300):
   * a bench that presses a year into minutes raises it, or the year is a flood to the server.
   */
  powLoadPerDoubling: number;
  /** Storage quota per helpline in bytes (HELPLINE_STORAGE_MB, default 4096 MiB). */
  helplineStorageBytes: number;
  /** Help-seekers' attachment bytes per 24 h per session (SESSION_ATTACHMENT_MB, default 30 MiB). */
  sessionAttachmentBytes: number;
  /** Help-seekers' attachment bytes per 24 h per client address (ADDRESS_ATTACHMENT_MB, default 200 MiB). */
  addressAttachmentBytes: number;
  /** The share of the storage quota help-seekers' unsent uploads may hold (UNSENT_ATTACHMENT_PERCENT, default 5). */
  unsentAttachmentShare: number;
  /**
   * Reverse proxies (TRUSTED_PROXIES, comma-separated IP addresses) whose `X-Forwarded-For` names the
   * client for the per-address rate limits; empty (the default): the TCP peer is the client.
   */
  trustedProxies: string[];
}

/** TRUSTED_PROXIES: the reverse proxies the operator names (issue 9: limits per client address). */
function readTrustedProxies(env: NodeJS.ProcessEnv): string[] {
  const proxies = (env.TRUSTED_PROXIES ?? "")
    .split(",")
    .map((s) => s.trim())
    .filter((s) => s !== "");
  for (const proxy of proxies) {
    if (isIP(proxy) === 0) throw new Error(`TRUSTED_PROXIES must list IP addresses: ${proxy}`);
  }
  return proxies;
}

/** POW_DIFFICULTY, POW_LOAD_PER_DOUBLING and the storage quotas (issue 9: anonymous work costs something). */
function readCostConfig(
  env: NodeJS.ProcessEnv,
): Pick<
  ServerConfig,
  | "powDifficulty"
  | "powLoadPerDoubling"
  | "helplineStorageBytes"
  | "sessionAttachmentBytes"
  | "addressAttachmentBytes"
  | "unsentAttachmentShare"
> {
  const integerIn = (name: string, fallback: number, min: number, max: number): number => {
    const n = Number(env[name] || fallback);
    if (!Number.isInteger(n) || n < min || n > max)
      throw new Error(`${name} must be an integer ${min}..${max}`);
    return n;
  };
  const mb = (name: string, fallback: number): number => {
    const n = Number(env[name] || fallback);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${name} must be a positive integer`);
    return n * 1024 * 1024;
  };
  const powDifficulty = integerIn("POW_DIFFICULTY", 20_000, 1000, 5_000_000);
  const powLoadPerDoubling = integerIn("POW_LOAD_PER_DOUBLING", 300, 10, 10_000_000);
  const helplineStorageBytes = mb("HELPLINE_STORAGE_MB", 4096);
  const percent = integerIn("UNSENT_ATTACHMENT_PERCENT", 5, 1, 100);
  return {
    powDifficulty,
    powLoadPerDoubling,
    helplineStorageBytes,
    sessionAttachmentBytes: mb("SESSION_ATTACHMENT_MB", 30),
    addressAttachmentBytes: mb("ADDRESS_ATTACHMENT_MB", 200),
    unsentAttachmentShare: percent / 100,
  };
}

export const DEFAULT_DATABASE_URL = "file:./data/briefgeheim.db";

export function readConfig(env: NodeJS.ProcessEnv = process.env): ServerConfig {
  const port = Number(env.PORT ?? 8787);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`PORT is not a port: ${env.PORT}`);
  const origin = env.ORIGIN ?? `http://localhost:${port}`;
  if (!/^[a-z][a-z0-9+.-]*:\/\/[^/?#\s]+$/.test(origin)) {
    throw new Error(`ORIGIN must be a web origin like https://hulp.example (no path): ${origin}`);
  }
  const rateLimitMultiplier = Number(env.RATE_LIMIT_MULTIPLIER ?? 1);
  if (!(rateLimitMultiplier >= 1)) throw new Error("RATE_LIMIT_MULTIPLIER must be a number >= 1");
  const verifyThreads = Number(env.VERIFY_THREADS ?? Math.max(0, availableParallelism() - 1));
  if (!Number.isInteger(verifyThreads) || verifyThreads < 0 || verifyThreads > 64)
    throw new Error("VERIFY_THREADS must be an integer 0..64");
  const dbCacheMib = Number(env.DB_CACHE_MIB || DEFAULT_CACHE_MIB);
  if (!isCacheMib(dbCacheMib)) throw new Error("DB_CACHE_MIB must be an integer 1..1024");
  return {
    ...readCostConfig(env),
    trustedProxies: readTrustedProxies(env),
    verifyThreads,
    dbCacheMib,
    rateLimitMultiplier,
    databaseUrl: env.DATABASE_URL || DEFAULT_DATABASE_URL,
    databaseAuthToken: env.DATABASE_AUTH_TOKEN || undefined,
    port,
    host: env.HOST || undefined,
    origin,
  };
}
