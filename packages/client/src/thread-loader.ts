import {
  type BoxKeyPair,
  type EnvelopeHead,
  type EnvelopeStream,
  type EpochKeys,
  type EpochRecord,
  type EpochRecordBytes,
  fromBase64,
  type HelplineId,
  parseEpochRecord,
  type Roster,
  type SignKeyPair,
  type ThreadId,
  type ThreadProblem,
  type ThreadVerification,
} from "@briefgeheim/crypto";
import type { StoredEnvelope, ThreadDetail, ThreadSummary } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { ClientError } from "./errors.js";
import type { ThreadCache } from "./thread-cache.js";
import { fetchEnvelopes } from "./thread-fetch.js";
import {
  FULL_READ_EVERY,
  type FullReadReason,
  historyChanged,
  pageDoubt,
  problemKey,
  type ReadKind,
} from "./thread-history.js";
import { checkRememberedRecord, recallHeads, rememberHeads } from "./thread-memory.js";
import {
  asTampered,
  type CheckedEnvelopes,
  checkEnvelopes,
  type OpenedEpochs,
  openEpochs,
} from "./thread-open.js";
import { notRekeyed } from "./thread-rekey-check.js";
import { readJson } from "./transport.js";
import type { WorkRunner } from "./work-pool.js";

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
  /**
   * `cache.generation` when this context was made: a read that ends after a wipe (`cache.clear()`)
   * fails with `WIPED` instead of filling the emptied cache and returning what it decrypted.
   */
  readonly generation?: number;
  /** Where batch reads run their cryptographic checks (a pool of workers); the calling thread if absent. */
  readonly work?: WorkRunner;
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
  /** Whether only what followed this tab's verified listing was fetched, or why the whole listing was. */
  readonly read: ReadKind;
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
  const rosters = await prepareEpochs(ctx, threadId, detail);
  const opened = openEpochs(ctx.client.sodium, {
    helplineId: ctx.helplineId,
    threadId,
    records: detail.records,
    grants: detail.grants,
    rosters,
    reader: { signPk: ctx.me.signing.publicKey, box: ctx.me.box },
  });
  return finishEpochs(ctx, threadId, detail.thread, opened);
}

/**
 * The part of `verifyEpochs` before the cryptographic checks (`openEpochs`, which a worker may run):
 * the detail must be of this thread and helpline, and every roster its records rely on is verified
 * (fetching the newest chain when a record names a version beyond it). Returns those rosters by
 * version; a version still unknown is left out, and `openEpochs` refuses it (`ROSTER_ROLLBACK`).
 *
 * @example
 * const rosters = await prepareEpochs(ctx, threadId, detail);
 */
export async function prepareEpochs(
  ctx: ThreadContext,
  threadId: ThreadId,
  detail: ThreadDetail,
): Promise<Map<number, Roster>> {
  const { client, helplineId } = ctx;
  const { sodium } = client;
  if (detail.thread.id !== threadId || detail.thread.helplineId !== helplineId) {
    throw new ClientError("THREAD_TAMPERED", "the server answered with another thread");
  }
  const versions = await tamperedAsync("epoch chain", async () => {
    const bytes = detail.records.map((t) => fromBase64(sodium, t) as EpochRecordBytes);
    const found = bytes.map((b) => parseEpochRecord(sodium, b).rosterVersion);
    await ensureRosters(ctx, Math.max(0, ...found));
    return found;
  });
  const rosters = new Map<number, Roster>();
  for (const v of versions) {
    const roster = client.helplines.roster(helplineId, v);
    if (roster !== undefined) rosters.set(v, roster);
  }
  return rosters;
}

/**
 * The part of `verifyEpochs` after the cryptographic checks: the problems this device can see from
 * what it remembers (`WITHHELD`) and from the newest verified roster (`NOT_REKEYED`).
 *
 * @example
 * const epochs = finishEpochs(ctx, threadId, detail.thread, openEpochs(sodium, input));
 */
export function finishEpochs(
  ctx: ThreadContext,
  threadId: ThreadId,
  summary: ThreadSummary,
  opened: OpenedEpochs,
): LoadedEpochs {
  const { records, keys } = opened;
  const current = records.at(-1)!;
  const problems = [
    ...checkRememberedRecord(ctx.client.memory, ctx.client.sodium, threadId, records),
    ...notRekeyed(ctx, current),
  ];
  return { threadId, summary, records, current, keys, problems };
}

/**
 * `loadEpochs`, then every envelope (all pages, server order) verified with `verifyThread`: bad
 * signatures, unknown senders, moved, dropped, replayed or reordered envelopes come back as typed
 * problems, never as content.
 *
 * With `incremental` (replying, refreshing an open conversation) and a listing this tab verified
 * (`ThreadCache`), only the envelopes from that listing's newest one on are fetched (it is the
 * anchor: served again, unchanged, at its position), appended to the cached listing and checked with
 * it by every check of a full read (records and grants are fetched and verified in full each time).
 * Any doubt (`FullReadReason`) and every `FULL_READ_EVERY`-th read make it a full read, which also
 * reports `HISTORY_CHANGED` against the thread's ledger (`ThreadCache.ledger`). THREAT-MODEL §3.20.
 *
 * @example
 * const thread = await loadThread(ctx, threadId);
 * if (!thread.verification.ok) warn(thread.verification.problems);
 * const again = await loadThread(ctx, threadId, { incremental: true }); // again.read.incremental
 */
export async function loadThread(
  ctx: ThreadContext,
  threadId: ThreadId,
  options: { readonly incremental?: boolean } = {},
): Promise<LoadedThread> {
  const { client, helplineId } = ctx;
  // The newest roster first, so that a member removed since this session began is NOT_REKEYED here
  // (a help-seeker's tab may be open for hours); a rollback or broken chain fails as everywhere.
  await client.helplines.latestRoster(helplineId);
  const epochs = await loadEpochs(ctx, threadId);
  const cached = ctx.cache?.listing(threadId);
  const anchor = cached?.stored.at(-1);
  let reason: FullReadReason = "REQUESTED";
  if (options.incremental === true) {
    if (cached === undefined || anchor === undefined) reason = "NOT_CACHED";
    else if (!Number.isSafeInteger(anchor.position) || anchor.position < 1) reason = "POSITIONS";
    else if (cached.incremental >= FULL_READ_EVERY) reason = "SCHEDULED";
    else {
      // From the anchor on: `after` is the position before it (positions start at 1).
      const page = await fetchEnvelopes(ctx, threadId, [], anchor.position - 1);
      const doubt = pageDoubt(cached, page);
      if (doubt !== undefined) reason = doubt;
      else {
        const stored = [...cached.stored, ...page.slice(1)];
        const checked = checkListing(ctx, epochs, stored);
        const known = (p: ThreadProblem) => cached.problems.has(problemKey(p));
        if (checked.verification.problems.every(known)) {
          const read: ReadKind = { incremental: true, after: anchor.position };
          return finishEnvelopes(ctx, epochs, stored, checked, read, cached.incremental + 1);
        }
        reason = "NEW_PROBLEMS";
      }
    }
  }
  return verifyEnvelopes(ctx, epochs, await fetchEnvelopes(ctx, threadId, []), reason);
}

/** Every envelope of a thread from a position on (`thread-fetch.ts`; the batch read uses it too). */
export { fetchEnvelopes } from "./thread-fetch.js";

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
  reason?: FullReadReason,
): LoadedThread {
  return finishEnvelopes(ctx, epochs, stored, checkListing(ctx, epochs, stored), reason);
}

/** `checkEnvelopes` over `stored` with this context's rosters, memory, streams and cached prefix. */
function checkListing(
  ctx: ThreadContext,
  epochs: LoadedEpochs,
  stored: readonly StoredEnvelope[],
): CheckedEnvelopes {
  const { client, helplineId } = ctx;
  const { threadId } = epochs;
  const rosters = new Map<number, Roster>();
  for (const record of epochs.records) {
    const roster = client.helplines.roster(helplineId, record.rosterVersion);
    if (roster !== undefined) rosters.set(record.rosterVersion, roster);
  }
  // Every check of verifyThread runs on the whole listing; signatures and decryption of envelopes
  // this session verified before (same bytes at the same place, same epoch) are not repeated.
  return checkEnvelopes(client.sodium, {
    helplineId,
    threadId,
    records: epochs.records,
    keys: epochs.keys,
    stored,
    rosters,
    remembered: envelopeMemory(ctx, threadId),
    streams: readerStreams(ctx.me),
    prefix: ctx.cache?.get(threadId),
  });
}

/** What this device remembers of a thread's heads, as the reader (for `checkEnvelopes`). */
export function envelopeMemory(ctx: ThreadContext, threadId: ThreadId): EnvelopeHead[] {
  return recallHeads(ctx.client.memory, ctx.client.sodium, threadId, ctx.me.signing.publicKey);
}

/**
 * The part of `verifyEnvelopes` after the cryptographic checks: a full read (`read` a reason) is
 * compared with the ledger of what this tab verified before (`HISTORY_CHANGED`), the session cache takes the
 * new prefix and listing, the device remembers the heads seen (an envelope of it that stops being
 * served is `WITHHELD` next time), and the thread's problems join the envelopes' problems.
 * `incremental` counts the incremental reads since the last full one (0 after a full read).
 *
 * @example
 * const thread = finishEnvelopes(ctx, epochs, stored, checkEnvelopes(sodium, input));
 */
export function finishEnvelopes(
  ctx: ThreadContext,
  epochs: LoadedEpochs,
  stored: readonly StoredEnvelope[],
  checked: CheckedEnvelopes,
  read: ReadKind | FullReadReason = "REQUESTED",
  incremental = 0,
): LoadedThread {
  const { client } = ctx;
  const { threadId } = epochs;
  if (ctx.generation !== undefined && ctx.cache?.generation !== ctx.generation) {
    throw new ClientError("WIPED", "the session was wiped while the thread was read");
  }
  const { prefix, heads } = checked;
  const how: ReadKind = typeof read === "string" ? { incremental: false, reason: read } : read;
  const previous = ctx.cache?.ledger(threadId);
  const { verification, ledger } = historyChanged(previous, stored, checked.verification, !how.incremental);
  rememberHeads(client.memory, client.sodium, threadId, ctx.me.signing.publicKey, heads);
  const withEpochs: ThreadVerification =
    epochs.problems.length === 0
      ? verification
      : { ...verification, problems: [...epochs.problems, ...verification.problems], ok: false };
  const problems = new Set(withEpochs.problems.map(problemKey));
  const count = how.incremental ? incremental : 0;
  ctx.cache?.set(threadId, prefix, { stored, problems, incremental: count }, ledger);
  return { ...epochs, stored, verification: withEpochs, heads, read: how };
}

/** Overwrites every epoch key held in `keys` (after use); defined beside `openEpochs`, which uses it too. */
export { wipeEpochKeys } from "./thread-open.js";

/** Makes sure every roster up to `version` is verified (fetching newer ones if needed). */
async function ensureRosters(ctx: ThreadContext, version: number): Promise<void> {
  const { client, helplineId } = ctx;
  if (version === 0 || client.helplines.roster(helplineId, version) !== undefined) return;
  await client.helplines.latestRoster(helplineId);
}

async function tamperedAsync<T>(what: string, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (e) {
    throw asTampered(what, e);
  }
}
