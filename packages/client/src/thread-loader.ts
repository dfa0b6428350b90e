import {
  type BoxKeyPair,
  bytesEqual,
  type EnvelopeHead,
  type EnvelopeStream,
  type EpochKeys,
  type EpochRecord,
  type EpochRecordBytes,
  findMember,
  fromBase64,
  type GrantBytes,
  type HelplineId,
  isCryptoError,
  openGrant,
  parseEnvelope,
  parseEpochRecord,
  parseGrant,
  type SignKeyPair,
  type SignPublicKey,
  type ThreadEpoch,
  type ThreadId,
  type ThreadProblem,
  type ThreadVerification,
  threadHeads,
  verifyEnvelopeSignature,
  verifyEpochChain,
  verifyThreadFrom,
  walkBackHistory,
} from "@briefgeheim/crypto";
import { LIMITS, type StoredEnvelope, type ThreadDetail, type ThreadSummary } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { ClientError, isClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import type { ThreadCache } from "./thread-cache.js";
import { checkRememberedRecord, recallHeads, rememberHeads } from "./thread-memory.js";
import { readJson } from "./transport.js";

/** Whose eyes a thread is loaded for: the keys that sign posts and open grants. */
export interface ReaderIdentity {
  readonly kind: "seeker" | "staff";
  /** The help-seeker's message-signing key, or the staff member's roster signing key. */
  readonly signing: SignKeyPair;
  readonly box: BoxKeyPair;
}

export interface ThreadContext {
  readonly client: BriefgeheimClient;
  readonly helplineId: HelplineId;
  readonly me: ReaderIdentity;
  /** What this session verified before: only new or changed envelopes are checked again (slice H). */
  readonly cache?: ThreadCache;
}

/** A thread's verified epoch chain and the epoch keys the caller holds. */
export interface LoadedEpochs {
  readonly threadId: ThreadId;
  /** The server's metadata (status, times, assignees): not signed, used for display and routing only. */
  readonly summary: ThreadSummary;
  /** Verified records, `records[e].epoch === e`. */
  readonly records: readonly EpochRecord[];
  /** The newest record: who reads the thread now. */
  readonly current: EpochRecord;
  /** The caller's keys by epoch (opened grants, then walked back through history). */
  readonly keys: ReadonlyMap<number, EpochKeys>;
  /**
   * Problems of the whole thread found with its records (index -1): `NOT_REKEYED` (the current epoch's
   * signer or a staff reader is not on the newest verified roster) and `WITHHELD` (a record this device
   * verified or signed is gone or replaced). Warnings: the thread still reads, and posting is allowed.
   */
  readonly problems: readonly ThreadProblem[];
}

/** A thread with its envelopes verified (`verifyThread`) and decrypted where the caller holds keys. */
export interface LoadedThread extends LoadedEpochs {
  /** The server's listing, in server order; `verification.items[i].index` points into it. */
  readonly stored: readonly StoredEnvelope[];
  readonly verification: ThreadVerification;
  /**
   * What the caller names in its next envelope or epoch record (PROTOCOL.md §5): per (stream, sender)
   * the newest verified envelope, or the one this device remembers when that is newer.
   */
  readonly heads: readonly EnvelopeHead[];
}

/** The streams a reader names heads of: a help-seeker reads no notes. */
export function readerStreams(me: ReaderIdentity): EnvelopeStream[] {
  return me.kind === "seeker" ? ["main"] : ["main", "staff"];
}

/**
 * Loads a thread's records and the caller's grants, verifies the epoch chain against the verified
 * rosters (every record's signer and readers checked by the rules of PROTOCOL.md §4), opens the
 * caller's grants (commitments checked) and walks back through history. Anything that does not
 * verify is `THREAD_TAMPERED` (with the crypto failure as `cause`): nothing of such a thread is shown.
 *
 * @example
 * const epochs = await loadEpochs(ctx, threadId);
 * epochs.keys.get(epochs.current.epoch); // undefined when the caller no longer reads the thread
 */
export async function loadEpochs(ctx: ThreadContext, threadId: ThreadId): Promise<LoadedEpochs> {
  const detail = await readJson(await ctx.client.api.threads[":threadId"].$get({ param: { threadId } }));
  return verifyEpochs(ctx, threadId, detail);
}

/**
 * The checks of `loadEpochs` over a thread's detail fetched already (one thread of a batch read,
 * `fetchThreads`): the same chain, grant, withheld-record and NOT_REKEYED checks, nothing skipped.
 *
 * @example
 * const epochs = await verifyEpochs(ctx, threadId, detail);
 */
export async function verifyEpochs(
  ctx: ThreadContext,
  threadId: ThreadId,
  detail: ThreadDetail,
): Promise<LoadedEpochs> {
  const { client, helplineId, me } = ctx;
  const { sodium } = client;
  if (detail.thread.id !== threadId || detail.thread.helplineId !== helplineId) {
    throw new ClientError("THREAD_TAMPERED", "the server answered with another thread");
  }
  const records = await tampered("epoch chain", async () => {
    const bytes = detail.records.map((t) => fromBase64(sodium, t) as EpochRecordBytes);
    await ensureRosters(ctx, bytes.length === 0 ? 0 : maxRosterVersion(ctx, bytes));
    return verifyEpochChain(sodium, bytes, {
      helplineId,
      threadId,
      rosters: (v) => client.helplines.roster(helplineId, v),
    });
  });
  const current = records.at(-1)!;
  const keys = await tampered("grants", async () => openAllGrants(ctx, records, detail.grants));
  // Every epoch the caller reads must be openable: a withheld grant is tampering, not "no access".
  for (const record of records) {
    const reads = record.readers.some((r) => bytesEqual(sodium, r.signPk, me.signing.publicKey));
    if (reads && !keys.has(record.epoch)) {
      throw new ClientError(
        "THREAD_TAMPERED",
        `the grant of epoch ${record.epoch} for this reader is missing`,
      );
    }
  }
  const problems = [
    ...checkRememberedRecord(client.memory, sodium, threadId, records),
    ...notRekeyed(ctx, current),
  ];
  return { threadId, summary: detail.thread, records, current, keys, problems };
}

/**
 * `NOT_REKEYED` (PROTOCOL.md §4): who signed the current epoch, and every staff reader of it, must be
 * on the newest roster this client has verified (its chain, refreshed at sign-in and whenever a
 * record relies on a newer roster), with the same member id and keys. Anyone else was removed (or
 * got new keys) after the epoch began and may still hold its key until a supervisor's client moves
 * the thread to the new roster. A warning, not a refusal: posting stays possible in that window.
 */
function notRekeyed(ctx: ThreadContext, current: EpochRecord): ThreadProblem[] {
  const { client, helplineId } = ctx;
  const { sodium } = client;
  const newest = client.helplines.cachedRoster(helplineId);
  if (newest === undefined || newest.version <= current.rosterVersion) return [];
  const onNewest = (signPk: SignPublicKey, memberId?: string, boxPk?: Uint8Array) => {
    const m = findMember(newest, signPk);
    return (
      m !== undefined &&
      (memberId === undefined || m.memberId === memberId) &&
      (boxPk === undefined || bytesEqual(sodium, m.boxPk, boxPk))
    );
  };
  const problems: ThreadProblem[] = [];
  const seekerSigned = current.readers.some(
    (r) => r.kind === "seeker" && bytesEqual(sodium, r.signPk, current.signerPk),
  );
  if (!seekerSigned && !onNewest(current.signerPk)) {
    problems.push({
      reason: "NOT_REKEYED",
      index: -1,
      detail: `epoch ${current.epoch} was signed by someone no longer on roster ${newest.version}`,
    });
  }
  for (const r of current.readers) {
    if (r.kind !== "staff" || onNewest(r.signPk, r.memberId, r.boxPk)) continue;
    problems.push({
      reason: "NOT_REKEYED",
      index: -1,
      detail: `${r.memberId} reads epoch ${current.epoch} and is not on roster ${newest.version}`,
    });
  }
  return problems;
}

/**
 * `loadEpochs`, then every envelope (all pages, server order) verified with `verifyThread`: bad
 * signatures, unknown senders, moved, dropped, replayed or reordered envelopes come back as typed
 * problems, never as content.
 *
 * @example
 * const thread = await loadThread(ctx, threadId);
 * if (!thread.verification.ok) warn(thread.verification.problems);
 */
export async function loadThread(ctx: ThreadContext, threadId: ThreadId): Promise<LoadedThread> {
  const { client, helplineId } = ctx;
  // The newest roster first, so that a member removed since this session began is NOT_REKEYED here
  // (a help-seeker's tab may be open for hours); a rollback or broken chain fails as everywhere.
  await client.helplines.latestRoster(helplineId);
  const epochs = await loadEpochs(ctx, threadId);
  return verifyEnvelopes(ctx, epochs, await fetchEnvelopes(ctx, threadId, []));
}

/**
 * Every envelope of a thread from `first` on (those already fetched, e.g. by a batch read, with
 * `nextAfter` where to page on), through the paged envelopes route. A server listing more than
 * `LIMITS.threadMaxEnvelopes` is refused with `THREAD_TOO_LARGE` before anything is verified.
 *
 * @example
 * const stored = await fetchEnvelopes(ctx, threadId, []);
 */
export async function fetchEnvelopes(
  ctx: ThreadContext,
  threadId: ThreadId,
  first: readonly StoredEnvelope[],
  nextAfter: number | null | undefined = undefined,
): Promise<StoredEnvelope[]> {
  const { client } = ctx;
  if (nextAfter === null) return tooLarge([...first]);
  let listed = first.length;
  const rest = await collectPages<StoredEnvelope, number>(async (after) => {
    const from = after ?? nextAfter;
    if (listed > LIMITS.threadMaxEnvelopes) {
      // More than any honest server stores: refused before anything is verified (review finding 11).
      throw new ClientError(
        "THREAD_TOO_LARGE",
        `the server lists more than ${LIMITS.threadMaxEnvelopes} envelopes for this thread`,
        { source: "server" },
      );
    }
    const page = await readJson(
      await client.api.threads[":threadId"].envelopes.$get({
        param: { threadId },
        query: { limit: String(PAGE_SIZE), ...(from === undefined ? {} : { after: String(from) }) },
      }),
    );
    listed += page.envelopes.length;
    return { items: page.envelopes, next: page.nextAfter };
  });
  return tooLarge([...first, ...rest]);
}

function tooLarge(stored: StoredEnvelope[]): StoredEnvelope[] {
  if (stored.length > LIMITS.threadMaxEnvelopes) {
    throw new ClientError(
      "THREAD_TOO_LARGE",
      `the server lists more than ${LIMITS.threadMaxEnvelopes} envelopes for this thread`,
      { source: "server" },
    );
  }
  return stored;
}

/**
 * The envelope checks of `loadThread` (`verifyThread` over every envelope, in server order, with the
 * epochs, remembered heads and streams), on envelopes fetched already; remembers the heads seen.
 *
 * @example
 * const thread = verifyEnvelopes(ctx, await verifyEpochs(ctx, id, detail), stored);
 */
export function verifyEnvelopes(
  ctx: ThreadContext,
  epochs: LoadedEpochs,
  stored: readonly StoredEnvelope[],
): LoadedThread {
  const { client, helplineId } = ctx;
  const { threadId } = epochs;
  tooLarge([...stored]);
  const epochMap = new Map<number, ThreadEpoch>();
  for (const record of epochs.records) {
    const k = epochs.keys.get(record.epoch);
    // The roster the record relied on (verified with the chain): handover events are checked against it.
    const roster = client.helplines.roster(helplineId, record.rosterVersion)?.members;
    const epoch = {
      readers: record.readers,
      heads: record.heads,
      signerPk: record.signerPk,
      ...(roster === undefined ? {} : { roster }),
    };
    epochMap.set(record.epoch, k === undefined ? epoch : { ...epoch, keys: k });
  }
  const envelopes = stored.map((s) => {
    try {
      return fromBase64(client.sodium, s.envelope);
    } catch {
      return new Uint8Array(0); // reported by verifyThread as a problem, like any bytes that do not parse
    }
  });
  const viewer = ctx.me.signing.publicKey;
  const remembered = recallHeads(client.memory, client.sodium, threadId, viewer);
  const streams = readerStreams(ctx.me);
  // Every check of verifyThread runs on the whole listing; signatures and decryption of envelopes
  // this session verified before (same bytes at the same place, same epoch) are not repeated.
  const { verification, prefix } = verifyThreadFrom(
    client.sodium,
    { helplineId, threadId, envelopes, epochs: epochMap, remembered, streams },
    ctx.cache?.get(threadId),
  );
  ctx.cache?.set(threadId, prefix);
  const heads = threadHeads(client.sodium, verification.items, { streams, remembered });
  // What this device has now seen: an envelope of it that stops being served is WITHHELD next time.
  rememberHeads(client.memory, client.sodium, threadId, viewer, heads);
  const withEpochs: ThreadVerification =
    epochs.problems.length === 0
      ? verification
      : { ...verification, problems: [...epochs.problems, ...verification.problems], ok: false };
  return { ...epochs, stored, verification: withEpochs, heads };
}

/**
 * The heads of a thread for an epoch record, from the light heads endpoint (the newest envelope per
 * (stream, sender)) instead of every envelope: each is parsed, its signature verified, and it must
 * belong to this thread, be in a verified epoch and be signed by a reader of that epoch. If any fails,
 * the whole thread is loaded and verified instead (`loadThread`), so a damaged newest envelope is
 * handled as there (named lower, flag set). Bulk re-keying uses this; a stale result is refused by the
 * server (`STALE_VIEW`).
 *
 * @example
 * const heads = await loadHeads(ctx, epochs);
 */
export async function loadHeads(ctx: ThreadContext, epochs: LoadedEpochs): Promise<EnvelopeHead[]> {
  const { client, helplineId } = ctx;
  const { sodium } = client;
  const { threadId } = epochs;
  const res = await readJson(await client.api.threads[":threadId"].heads.$get({ param: { threadId } }));
  const streams = readerStreams(ctx.me);
  const heads: EnvelopeHead[] = [];
  try {
    for (const stored of res.envelopes) {
      const bytes = fromBase64(sodium, stored.envelope);
      const env = parseEnvelope(sodium, bytes);
      verifyEnvelopeSignature(sodium, bytes, env);
      const record = epochs.records[env.epoch];
      const reader = record?.readers.find((r) => bytesEqual(sodium, r.signPk, env.senderSignPk));
      if (env.helplineId !== helplineId || env.threadId !== threadId || reader === undefined) {
        throw new ClientError("THREAD_TAMPERED", "a head is not an envelope of this thread");
      }
      const stream: EnvelopeStream = env.kind === "note" ? "staff" : "main";
      if (!streams.includes(stream)) continue;
      if (heads.some((h) => h.stream === stream && bytesEqual(sodium, h.signPk, env.senderSignPk))) {
        throw new ClientError("THREAD_TAMPERED", "two heads for one sender");
      }
      heads.push({ stream, signPk: env.senderSignPk, seq: env.seq, hash: env.hash, pastDamaged: false });
    }
  } catch (e) {
    if (!isCryptoError(e) && !isClientError(e, "THREAD_TAMPERED")) throw e;
    const thread = await loadThread(ctx, threadId);
    wipeEpochKeys(thread.keys);
    return [...thread.heads];
  }
  const remembered = recallHeads(client.memory, sodium, threadId, ctx.me.signing.publicKey);
  return threadHeads(sodium, [], { streams, remembered: [...remembered, ...heads] });
}

/** Overwrites every epoch key held in `keys` (after use). */
export function wipeEpochKeys(keys: ReadonlyMap<number, EpochKeys>): void {
  for (const k of keys.values()) {
    k.key.fill(0);
    k.staffKey?.fill(0);
  }
}

function maxRosterVersion(ctx: ThreadContext, bytes: readonly EpochRecordBytes[]): number {
  return Math.max(0, ...bytes.map((b) => parseEpochRecord(ctx.client.sodium, b).rosterVersion));
}

/** Makes sure every roster up to `version` is verified (fetching newer ones if needed). */
async function ensureRosters(ctx: ThreadContext, version: number): Promise<void> {
  const { client, helplineId } = ctx;
  if (version === 0 || client.helplines.roster(helplineId, version) !== undefined) return;
  await client.helplines.latestRoster(helplineId);
}

/**
 * Opens every grant the server returned for the caller (each must verify and match its record's
 * commitments), then walks back from the newest to the keys of every earlier epoch.
 */
function openAllGrants(
  ctx: ThreadContext,
  records: readonly EpochRecord[],
  grantTexts: readonly string[],
): Map<number, EpochKeys> {
  const { sodium } = ctx.client;
  const opened = new Map<number, EpochKeys>();
  for (const text of grantTexts) {
    const bytes = fromBase64(sodium, text) as GrantBytes;
    const epoch = parseGrant(sodium, bytes).epoch;
    const record = records[epoch];
    if (record === undefined)
      throw new ClientError("THREAD_TAMPERED", `a grant names epoch ${epoch}, which has no record`);
    opened.set(epoch, openGrant(sodium, bytes, record, ctx.me.box));
  }
  const newest = [...opened.keys()].sort((a, b) => b - a)[0];
  if (newest === undefined) return opened;
  const all = new Map<number, EpochKeys>();
  for (const k of walkBackHistory(sodium, records, opened.get(newest)!)) all.set(k.epoch, k);
  // A directly granted epoch may carry a staff key the walk does not reach (epoch 1 from a later epoch 1 grant).
  for (const [epoch, k] of opened) {
    const walked = all.get(epoch);
    if (walked === undefined || (walked.staffKey === undefined && k.staffKey !== undefined))
      all.set(epoch, k);
  }
  return all;
}

async function tampered<T>(what: string, fn: () => Promise<T> | T): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    if (isCryptoError(e, "ROSTER_FORK") || isCryptoError(e, "ROSTER_ROLLBACK")) {
      // The thread was made on another roster than this device's verified chain holds under that
      // version (a fork), or on one beyond it (rosters withheld): said as such, not as mere tampering.
      throw new ClientError(e.code, `the thread's ${what} did not verify: ${e.message}`, {
        source: "crypto",
        cause: e,
        details: { code: e.code },
      });
    }
    if (isCryptoError(e)) {
      throw new ClientError("THREAD_TAMPERED", `the thread's ${what} did not verify: ${e.code}`, {
        source: "crypto",
        cause: e,
        details: { code: e.code },
      });
    }
    throw e;
  }
}
