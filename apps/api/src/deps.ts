import { createHash, createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { eq } from "drizzle-orm";
import type { Hono } from "hono";
import type { ServerCrypto } from "./crypto/index.js";
import type { VerifierPool } from "./crypto/pool.js";
import type { Database } from "./db/client.js";
import { serverSecrets } from "./db/schema.js";
import type { Writer } from "./db/writer.js";
import type { Logger } from "./logger.js";
import type { ProofOfWork } from "./middleware/pow/index.js";
import type { RateLimits } from "./rate-limits.js";
import type { HelplineStorage, Quotas } from "./services/quotas.js";

export interface Clock {
  now(): number;
}
export const systemClock: Clock = { now: () => Date.now() };

/** The caller, as established by the session middleware. */
export type Auth =
  | {
      kind: "seeker";
      role: "seeker";
      helplineId: string;
      /**
       * The help-seeker's row; null until their first conversation (or saved draft) creates it
       * (services/seeker-row.ts): signing in alone leaves no permanent row.
       */
      seekerId: string | null;
      /** The sign-in key of a session without a row yet (null once the row exists). */
      pendingSignInPk: string | null;
      tokenHash: Buffer;
      expiresAt: number;
      idleMs: number;
    }
  | {
      kind: "staff";
      role: "supervisor" | "counsellor";
      status: "pending" | "active";
      helplineId: string;
      memberId: string;
      signPk: string;
      boxPk: string;
      intakeReader: boolean;
      tokenHash: Buffer;
      expiresAt: number;
      idleMs: number;
    };

export type StaffAuth = Extract<Auth, { kind: "staff" }>;
export type SeekerAuth = Extract<Auth, { kind: "seeker" }>;

/**
 * `clientKey`: the rotating keyed hash of the client's address (middleware/client-address), undefined
 * for in-process requests.
 */
export type AppEnv = { Variables: { auth: Auth; clientKey: string | undefined } };
export type AppHono = Hono<AppEnv>;

/** Everything the routes need; built once by `createApp`. */
export interface Deps {
  db: Database;
  writer: Writer;
  clock: Clock;
  logger: Logger;
  /** The web origin clients sign into (exactly `location.origin`). */
  origin: string;
  crypto: () => Promise<ServerCrypto>;
  /** Signature verification on worker threads (server.ts); absent: verified on the main thread. */
  verifier?: VerifierPool | undefined;
  secrets: () => Promise<ServerSecrets>;
  limits: RateLimits;
  /** Proof of work for help-seeker sign-in and new conversations (middleware/pow). */
  pow: ProofOfWork;
  /** Daily quotas per help-seeker session and address (services/quotas). */
  quotas: Quotas;
  /** Each helpline's storage quota (services/quotas). */
  storage: HelplineStorage;
}

/** SHA-256 (node:crypto): session-token hashes and audit hashes. */
export function sha256(data: Uint8Array | string): Buffer {
  return createHash("sha256").update(data).digest();
}

/** Constant-time equality of two byte strings (false on length mismatch). */
export function constantTimeEqual(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Random bytes from the OS (session tokens, nonces, ids). */
export function random(n: number): Buffer {
  return randomBytes(n);
}

export function toB64(bytes: Uint8Array): string {
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("base64url");
}

/** A new random 16-byte id. */
export function newId(): string {
  return toB64(random(16));
}

/** Keys derived from the server secret (HMAC-SHA-256). */
export interface ServerSecrets {
  /** Deterministic decoy salt for an unknown username (16 bytes). */
  decoySalt(username: string): Buffer;
  /** HMAC key for proof-of-work challenges (32 bytes): every instance on one database accepts the others'. */
  readonly powKey: Buffer;
}

const SECRET_NAME = "hmac-v1";

/**
 * Loads the server secret from `server_secrets`, creating it on first start (through the writer, so a
 * concurrent first start cannot create two).
 */
export async function loadServerSecrets(db: Database, writer: Writer): Promise<ServerSecrets> {
  let rows = await db.read.select().from(serverSecrets).where(eq(serverSecrets.name, SECRET_NAME));
  if (rows.length === 0) {
    await writer.run((tx) =>
      tx
        .insert(serverSecrets)
        .values({ name: SECRET_NAME, value: random(32), createdAt: Date.now() })
        .onConflictDoNothing(),
    );
    rows = await db.read.select().from(serverSecrets).where(eq(serverSecrets.name, SECRET_NAME));
  }
  const key = Buffer.from(rows[0]!.value);
  const hmac = (label: string, data: string) =>
    createHmac("sha256", key).update(`${label}\0${data}`).digest();
  return {
    decoySalt: (username) => hmac("decoy-salt", username).subarray(0, 16),
    powKey: hmac("proof-of-work", "v1"),
  };
}

/** Memoizes an async loader; a failed load is retried on the next call. */
export function lazy<T>(load: () => Promise<T>): () => Promise<T> {
  let p: Promise<T> | undefined;
  return () => {
    p ??= load().catch((e: unknown) => {
      p = undefined;
      throw e;
    });
    return p;
  };
}
