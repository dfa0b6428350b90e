/**
 * Daily quotas for anonymous work: conversations and bytes per help-seeker session and per client
 * address (in memory only, per process, under a key that rotates daily; never logged or stored), and
 * each helpline's storage (disk) quota with a warning for the operator.
 */
import { createHmac, randomBytes } from "node:crypto";
import { type ErrorCode, LIMITS } from "@briefgeheim/protocol";
import { and, eq, sql } from "drizzle-orm";
import type { Context } from "hono";
import type { Db } from "../db/client.js";
import { attachments, envelopes, epochRecords, grants, threads } from "../db/schema.js";
import { AppError } from "../errors.js";
import type { Logger } from "../logger.js";
import { addressGroup, canonical } from "../middleware/client-address/index.js";
import { notDeleted } from "./attachments-ledger.js";

export interface QuotaConfig {
  /** New conversations per help-seeker session per 24 h. */
  sessionConversations: number;
  /** Bytes (new conversations and messages) per help-seeker session per 24 h. */
  sessionBytes: number;
  /** New conversations per client address per 24 h (many people can share one address). */
  addressConversations: number;
  /** Bytes per client address per 24 h. */
  addressBytes: number;
  /**
   * Padded attachment bytes a help-seeker session may upload per 24 h (charged when an upload is
   * created, refunded when the creation is refused; SESSION_ATTACHMENT_MB).
   */
  sessionAttachmentBytes: number;
  /** Padded attachment bytes help-seekers at one client address may upload per 24 h (ADDRESS_ATTACHMENT_MB). */
  addressAttachmentBytes: number;
  /**
   * The part of a helpline's storage quota its not yet sent (unbound) uploads may hold together
   * (UNSENT_ATTACHMENT_PERCENT / 100); beyond it a new upload gets `429 ATTACHMENT_UNSENT_FULL`.
   */
  unsentAttachmentShare: number;
  /** Storage per helpline (bytes of envelopes, records, grants and attachments); HELPLINE_STORAGE_MB. */
  helplineStorageBytes: number;
  /** The part of the storage quota at which the operator is warned (log event, `admin -- status`). */
  warnAt: number;
  /** The client address of a request (undefined: no per-address quota, e.g. in-process tests); IPv6 counts per /64. */
  addressOf: (c: Context) => string | undefined;
}

const MiB = 1024 * 1024;
const DAY_MS = 24 * 60 * 60 * 1000;

/** The socket's peer address under @hono/node-server (`createApp` passes the rate limits' resolver). */
export function socketAddress(c: Context): string | undefined {
  const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
  return env?.incoming?.socket?.remoteAddress;
}

export const DEFAULT_QUOTAS: QuotaConfig = {
  sessionConversations: 10,
  sessionBytes: 8 * MiB,
  addressConversations: 60,
  addressBytes: 48 * MiB,
  sessionAttachmentBytes: 30 * MiB,
  addressAttachmentBytes: 200 * MiB,
  unsentAttachmentShare: 0.05,
  helplineStorageBytes: 4096 * MiB,
  warnAt: 0.8,
  addressOf: socketAddress,
};

interface Use {
  conversations: number;
  bytes: number;
  attachmentBytes: number;
  resetAt: number;
}

/** The daily quotas with their counts multiplied (RATE_LIMIT_MULTIPLIER: load tests only). */
export function scaleQuotas(multiplier: number, base: Partial<QuotaConfig> = {}): Partial<QuotaConfig> {
  const q = { ...DEFAULT_QUOTAS, ...base };
  return {
    ...base,
    sessionConversations: Math.ceil(q.sessionConversations * multiplier),
    sessionBytes: Math.ceil(q.sessionBytes * multiplier),
    addressConversations: Math.ceil(q.addressConversations * multiplier),
    addressBytes: Math.ceil(q.addressBytes * multiplier),
    sessionAttachmentBytes: Math.ceil(q.sessionAttachmentBytes * multiplier),
    addressAttachmentBytes: Math.ceil(q.addressAttachmentBytes * multiplier),
  };
}

/** What one request is charged. */
export interface Charge {
  conversations: number;
  bytes: number;
  /** Padded bytes of an attachment upload (its own daily quota). */
  attachmentBytes?: number;
}

/** Fixed 24-hour windows per key, in memory; entries expire with their window. */
class DailyCounters {
  readonly #map = new Map<string, Use>();
  constructor(readonly now: () => number) {}

  use(key: string): Use {
    const now = this.now();
    let u = this.#map.get(key);
    if (u === undefined || u.resetAt <= now) {
      u = { conversations: 0, bytes: 0, attachmentBytes: 0, resetAt: now + DAY_MS };
      this.#map.set(key, u);
      if (this.#map.size % 1024 === 0) this.sweep();
    }
    return u;
  }

  sweep(): void {
    const now = this.now();
    for (const [k, u] of this.#map) if (u.resetAt <= now) this.#map.delete(k);
  }

  get size(): number {
    return this.#map.size;
  }
}

export class Quotas {
  readonly config: QuotaConfig;
  readonly #counters: DailyCounters;
  readonly #now: () => number;
  #addressKey = randomBytes(32);
  #keyDay = 0;

  constructor(config: Partial<QuotaConfig> = {}, now: () => number = Date.now) {
    this.config = { ...DEFAULT_QUOTAS, ...config };
    this.#now = now;
    this.#counters = new DailyCounters(now);
  }

  /** The address's counter key: an HMAC under a key that changes daily (the address itself is not kept). */
  #addr(address: string): string {
    const day = Math.floor(this.#now() / DAY_MS);
    if (day !== this.#keyDay) {
      // A new key orphans yesterday's entries; they expire with their window.
      this.#addressKey = randomBytes(32);
      this.#keyDay = day;
    }
    const group = addressGroup(canonical(address) ?? address);
    return `a:${createHmac("sha256", this.#addressKey).update(group).digest("base64url").slice(0, 22)}`;
  }

  /**
   * Charges a help-seeker's request to their session and address, or refuses it with `429
   * QUOTA_EXCEEDED` (with `Retry-After`) and charges nothing. Returns an undo for a request that then
   * fails, so a refused or retried request costs nothing.
   */
  charge(sessionKey: string, address: string | undefined, charge: Charge): () => void {
    const c = this.config;
    const files = charge.attachmentBytes ?? 0;
    // The last field names the attachment refusal: the app tells the person which quota ran out.
    const parts: [Use, number, number, number, ErrorCode][] = [
      [
        this.#counters.use(`s:${sessionKey}`),
        c.sessionConversations,
        c.sessionBytes,
        c.sessionAttachmentBytes,
        "ATTACHMENT_SESSION_QUOTA_EXCEEDED",
      ],
    ];
    if (address !== undefined) {
      parts.push([
        this.#counters.use(this.#addr(address)),
        c.addressConversations,
        c.addressBytes,
        c.addressAttachmentBytes,
        "ATTACHMENT_ADDRESS_QUOTA_EXCEEDED",
      ]);
    }
    for (const [u, maxConversations, maxBytes, maxFiles, filesCode] of parts) {
      if (u.attachmentBytes + files > maxFiles) {
        const wait = Math.max(1, Math.ceil((u.resetAt - this.#now()) / 1000));
        throw new AppError(filesCode, "too many attachment bytes today; try again later", {
          "Retry-After": String(wait),
        });
      }
      if (u.conversations + charge.conversations > maxConversations || u.bytes + charge.bytes > maxBytes) {
        const wait = Math.max(1, Math.ceil((u.resetAt - this.#now()) / 1000));
        throw new AppError(
          "QUOTA_EXCEEDED",
          charge.conversations > 0 && u.conversations + charge.conversations > maxConversations
            ? "too many new conversations today; try again later"
            : "too much text today; try again later",
          { "Retry-After": String(wait) },
        );
      }
    }
    for (const [u] of parts) {
      u.conversations += charge.conversations;
      u.bytes += charge.bytes;
      u.attachmentBytes += files;
    }
    let undone = false;
    return () => {
      if (undone) return;
      undone = true;
      for (const [u] of parts) {
        u.conversations -= charge.conversations;
        u.bytes -= charge.bytes;
        u.attachmentBytes -= files;
      }
    };
  }

  /** Keys held now (sessions and addresses); they expire after a day. */
  get tracked(): number {
    return this.#counters.size;
  }
}

/** A helpline's stored bytes (envelopes, epoch records, grants). */
export async function helplineStorageBytes(db: Db, helplineId: string): Promise<number> {
  const sum = async (q: Promise<{ n: number | null }[]>) => Number((await q)[0]?.n ?? 0);
  const env = sum(
    db
      .select({ n: sql<number>`sum(length(${envelopes.bytes}))` })
      .from(envelopes)
      .innerJoin(threads, eq(threads.id, envelopes.threadId))
      .where(eq(threads.helplineId, helplineId)),
  );
  const rec = sum(
    db
      .select({ n: sql<number>`sum(length(${epochRecords.bytes}))` })
      .from(epochRecords)
      .innerJoin(threads, eq(threads.id, epochRecords.threadId))
      .where(eq(threads.helplineId, helplineId)),
  );
  const gr = sum(
    db
      .select({ n: sql<number>`sum(length(${grants.bytes}))` })
      .from(grants)
      .innerJoin(threads, eq(threads.id, grants.threadId))
      .where(eq(threads.helplineId, helplineId)),
  );
  // Attachments count with their declared size from creation on, bound or not: an upload reserves its
  // bytes before the first chunk, so uploads begun together cannot pass the quota (a deleted upload's
  // ledger row holds no chunks and counts nothing).
  const att = sum(
    db
      .select({
        n: sql<number>`sum(${attachments.paddedSize} + ${attachments.chunkCount} * ${LIMITS.attachments.tagBytes})`,
      })
      .from(attachments)
      .where(and(eq(attachments.helplineId, helplineId), notDeleted)),
  );
  const [a, b, d, f] = await Promise.all([env, rec, gr, att]);
  return a + b + d + f;
}

export type StorageLevel = "ok" | "warning" | "full";

export function storageLevel(used: number, config: Pick<QuotaConfig, "helplineStorageBytes" | "warnAt">) {
  if (used >= config.helplineStorageBytes) return "full" as const;
  if (used >= config.helplineStorageBytes * config.warnAt) return "warning" as const;
  return "ok" as const;
}

/**
 * Each helpline's storage, measured at most once a minute per helpline (plus what was accepted since),
 * checked before a new conversation is stored: `507 STORAGE_FULL` at the quota. Crossing the warning
 * level or the quota logs `storage-warning` / `storage-full` once per crossing (helpline id, bytes, quota).
 */
export class HelplineStorage {
  readonly #cache = new Map<string, { used: number; at: number; level: StorageLevel }>();
  constructor(
    private readonly db: Db,
    private readonly config: Pick<QuotaConfig, "helplineStorageBytes" | "warnAt">,
    private readonly logger: Logger,
    private readonly now: () => number,
  ) {}

  async check(helplineId: string, adding: number): Promise<void> {
    let e = this.#cache.get(helplineId);
    if (e === undefined || this.now() - e.at >= 60_000) {
      const used = await helplineStorageBytes(this.db, helplineId);
      e = { used, at: this.now(), level: e?.level ?? "ok" };
      this.#cache.set(helplineId, e);
    }
    this.#note(helplineId, e);
    if (e.used + adding > this.config.helplineStorageBytes) {
      throw new AppError("STORAGE_FULL", "this helpline cannot take new conversations now; try again later");
    }
  }

  /**
   * Reserves `bytes` for an attachment upload being created: `507 STORAGE_FULL` when the figure (read
   * by `check` just before) plus them passes the quota, else they count at once. Synchronous, so
   * creations run one after another through the writer cannot both pass the last free bytes.
   */
  reserve(helplineId: string, bytes: number): void {
    const e = this.#cache.get(helplineId);
    if (e !== undefined && e.used + bytes > this.config.helplineStorageBytes) {
      throw new AppError("STORAGE_FULL", "this helpline cannot take new files now; try again later");
    }
    this.added(helplineId, bytes);
  }

  /** Adds accepted bytes to the cached figure (negative: bytes given back). */
  added(helplineId: string, bytes: number): void {
    const e = this.#cache.get(helplineId);
    if (e === undefined) return;
    e.used += bytes;
    this.#note(helplineId, e);
  }

  #note(helplineId: string, e: { used: number; level: StorageLevel }): void {
    const level = storageLevel(e.used, this.config);
    if (level === e.level) return;
    e.level = level;
    if (level === "ok") return;
    this.logger.warn({
      event: level === "full" ? "storage-full" : "storage-warning",
      helplineId,
      usedBytes: e.used,
      quotaBytes: this.config.helplineStorageBytes,
    });
  }
}
