import { z } from "zod";
import { idSchema, intQuerySchema, limitQuerySchema, timestampSchema } from "./common.js";

export const auditActionSchema = z.enum([
  "sign-in",
  "claim",
  "assign",
  "reassign",
  "remove-reader",
  "roster-change",
  "invite-created",
  "invite-accepted",
  "thread-deleted",
  "audit-pruned",
  "profile-published",
  /** Retention or lock minutes changed, or the operator proposed new profile fields (slice D). */
  "settings-changed",
  /** A staff reader printed or exported a conversation (slice F): who and which thread, no content. */
  "thread-exported",
  /** A staff reader raised the help flag (issue 10, staff item 3); details.note: the note's envelope id. */
  "flag-raised",
  /** The help flag was resolved (cleared); details.note: the note it was raised with, if any. */
  "flag-resolved",
]);
export type AuditAction = z.infer<typeof auditActionSchema>;

/** POST /api/threads/:threadId/exported: recorded in the audit log (issue 10, staff item 5). */
export const threadExportedResponseSchema = z.object({ exported: z.literal(true), at: timestampSchema });

const detailValue = z.union([z.string(), z.number(), z.boolean(), z.null(), z.array(z.string())]);

/** The hashed content of an audit entry: metadata only, never content. */
export const auditContentSchema = z.object({
  helplineId: idSchema,
  /** 1, 2, 3, ... per helpline. */
  seq: z.number().int().positive(),
  at: timestampSchema,
  actorKind: z.enum(["staff", "seeker", "operator"]),
  /** Member id for staff; null for help-seekers and the operator. */
  actorId: idSchema.nullable(),
  action: auditActionSchema,
  threadId: idSchema.nullable(),
  /** The member the action is about (invited, added, removed, assigned), if any. */
  subjectId: idSchema.nullable(),
  details: z.record(z.string(), detailValue),
});
export type AuditContent = z.infer<typeof auditContentSchema>;

export const auditEntrySchema = auditContentSchema.extend({
  /** Base64url SHA-256 of the previous entry (32 zero bytes before the first). */
  prevHash: z.string(),
  /** Base64url SHA-256(prevHash bytes || UTF-8 canonical JSON of the content). */
  hash: z.string(),
});
export type AuditEntry = z.infer<typeof auditEntrySchema>;

export const auditQuerySchema = z.object({ after: intQuerySchema, limit: limitQuerySchema });
export const auditResponseSchema = z.object({
  entries: z.array(auditEntrySchema),
  nextAfter: z.number().int().nullable(),
});
export type AuditResponse = z.infer<typeof auditResponseSchema>;

/**
 * Canonical JSON: object keys sorted by UTF-16 code units, no whitespace, arrays in order. Only
 * plain JSON values (strings, finite numbers, booleans, null, arrays, objects) are allowed.
 *
 * @example
 * canonicalJson({ b: 1, a: [true, null] }); // '{"a":[true,null],"b":1}'
 */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value === "boolean" || typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new TypeError("canonical JSON has no NaN or Infinity");
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (typeof value === "object") {
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj)
      .filter((k) => obj[k] !== undefined)
      .sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(",")}}`;
  }
  throw new TypeError(`canonical JSON cannot encode ${typeof value}`);
}

/** The exact content that is hashed (the fields of `auditContentSchema`, nothing else). */
export function auditContentOf(entry: AuditContent): AuditContent {
  const { helplineId, seq, at, actorKind, actorId, action, threadId, subjectId, details } = entry;
  return { helplineId, seq, at, actorKind, actorId, action, threadId, subjectId, details };
}

/** The bytes hashed for an entry: `prevHash (32 bytes) || UTF-8(canonicalJson(content))`. */
export function auditHashInput(prevHash: Uint8Array, entry: AuditContent): Uint8Array {
  const json = new TextEncoder().encode(canonicalJson(auditContentOf(entry)));
  const out = new Uint8Array(prevHash.length + json.length);
  out.set(prevHash, 0);
  out.set(json, prevHash.length);
  return out;
}

export const AUDIT_GENESIS_HASH = new Uint8Array(32);

/** SHA-256 with Web Crypto (browsers and Node >= 20). */
export async function sha256(data: Uint8Array): Promise<Uint8Array> {
  const copy = new Uint8Array(data); // a plain ArrayBuffer-backed copy for SubtleCrypto
  return new Uint8Array(await globalThis.crypto.subtle.digest("SHA-256", copy));
}

/** Unpadded base64url, pure (no Buffer). */
export function bytesToBase64Url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/** Unpadded base64url to bytes; throws on anything else. */
export function base64UrlToBytes(text: string): Uint8Array {
  if (!/^[A-Za-z0-9_-]*$/.test(text) || text.length % 4 === 1) throw new TypeError("not base64url");
  const bin = atob(text.replace(/-/g, "+").replace(/_/g, "/") + "=".repeat((4 - (text.length % 4)) % 4));
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

/**
 * A pruning checkpoint: the entry the server appends (action `audit-pruned`) when it deletes the
 * entries older than the helpline's retention. It is chained like every entry and names the pruned
 * prefix, so the remaining log can start there: `prunedThrough` is the seq of the last deleted entry,
 * `prunedHeadHash` its hash (the `prevHash` of the first remaining entry), `prunedCount` how many
 * entries this pruning deleted and `before` the retention cut-off it applied.
 */
export interface AuditCheckpointDetails {
  readonly prunedThrough: number;
  readonly prunedHeadHash: string;
  readonly prunedCount: number;
  readonly before: number;
}

/** The checkpoint details of an `audit-pruned` entry, or `undefined` when they are not well formed. */
export function auditCheckpointOf(entry: AuditContent): AuditCheckpointDetails | undefined {
  if (entry.action !== "audit-pruned") return undefined;
  const { prunedThrough, prunedHeadHash, prunedCount, before } = entry.details;
  if (
    typeof prunedThrough !== "number" ||
    !Number.isSafeInteger(prunedThrough) ||
    prunedThrough < 1 ||
    prunedThrough >= entry.seq ||
    typeof prunedHeadHash !== "string" ||
    typeof prunedCount !== "number" ||
    !Number.isSafeInteger(prunedCount) ||
    prunedCount < 1 ||
    typeof before !== "number"
  ) {
    return undefined;
  }
  return { prunedThrough, prunedHeadHash, prunedCount, before };
}

/**
 * Why a chain fails: `UNANCHORED_START` when the log does not start at seq 1 from the zero hash and
 * its newest pruning checkpoint does not name exactly the entry it starts after (a prefix removed
 * without a checkpoint, or a checkpoint that was altered and re-hashed); `BAD_CHECKPOINT` when an
 * `audit-pruned` entry's details are not a well-formed checkpoint.
 */
export type AuditChainFailure =
  | "SEQ_GAP"
  | "WRONG_HELPLINE"
  | "BROKEN_LINK"
  | "BAD_HASH"
  | "UNANCHORED_START"
  | "BAD_CHECKPOINT";

export type AuditChainResult =
  | {
      ok: true;
      lastHash: string;
      count: number;
      /** The seq the log starts after because of pruning (0 when nothing was pruned). */
      prunedThrough: number;
    }
  | { ok: false; index: number; reason: AuditChainFailure };

/**
 * Verifies a helpline's audit log: consecutive `seq`, one helpline, each `prevHash` equal to the
 * previous entry's `hash`, and each `hash` recomputed. Pass `after` (the last verified entry's hash
 * and seq) to verify a later page. Without it the log starts at seq 1 from the zero hash, or, after
 * pruning, at seq k + 1 where the newest `audit-pruned` checkpoint in the log names k and the hash
 * of entry k (which is the first remaining entry's `prevHash`).
 *
 * @example
 * const result = await verifyAuditChain(entries);
 * if (!result.ok) warn(`audit log broken at ${result.index}: ${result.reason}`);
 */
export async function verifyAuditChain(
  entries: readonly AuditEntry[],
  options: { after?: { hash: string; seq: number }; digest?: (data: Uint8Array) => Promise<Uint8Array> } = {},
): Promise<AuditChainResult> {
  const digest = options.digest ?? sha256;
  let prevHash = options.after?.hash ?? bytesToBase64Url(AUDIT_GENESIS_HASH);
  let prevSeq = options.after?.seq ?? 0;
  let prunedThrough = 0;
  const first = entries[0];
  if (options.after === undefined && first !== undefined && first.seq !== 1) {
    // A pruned log: it must start exactly where its newest checkpoint says the pruning ended.
    const checkpoints = entries.filter((e) => e.action === "audit-pruned");
    const newest = checkpoints.at(-1);
    const checkpoint = newest === undefined ? undefined : auditCheckpointOf(newest);
    if (newest !== undefined && checkpoint === undefined) {
      return { ok: false, index: entries.indexOf(newest), reason: "BAD_CHECKPOINT" };
    }
    if (
      checkpoint === undefined ||
      checkpoint.prunedThrough !== first.seq - 1 ||
      checkpoint.prunedHeadHash !== first.prevHash
    ) {
      return { ok: false, index: 0, reason: "UNANCHORED_START" };
    }
    prevHash = checkpoint.prunedHeadHash;
    prevSeq = checkpoint.prunedThrough;
    prunedThrough = checkpoint.prunedThrough;
  }
  const helplineId = entries[0]?.helplineId;
  for (const [index, entry] of entries.entries()) {
    if (entry.helplineId !== helplineId) return { ok: false, index, reason: "WRONG_HELPLINE" };
    if (entry.seq !== prevSeq + 1) return { ok: false, index, reason: "SEQ_GAP" };
    if (entry.prevHash !== prevHash) return { ok: false, index, reason: "BROKEN_LINK" };
    if (entry.action === "audit-pruned" && auditCheckpointOf(entry) === undefined) {
      return { ok: false, index, reason: "BAD_CHECKPOINT" };
    }
    let prevBytes: Uint8Array;
    try {
      prevBytes = base64UrlToBytes(entry.prevHash);
    } catch {
      return { ok: false, index, reason: "BROKEN_LINK" };
    }
    const hash = bytesToBase64Url(await digest(auditHashInput(prevBytes, entry)));
    if (hash !== entry.hash) return { ok: false, index, reason: "BAD_HASH" };
    prevHash = hash;
    prevSeq = entry.seq;
  }
  return { ok: true, lastHash: prevHash, count: entries.length, prunedThrough };
}
