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
  type HelplineId,
  parseEpochRecord,
  type Roster,
  type SignKeyPair,
  type SignPublicKey,
  type ThreadId,
  type ThreadProblem,
  type ThreadVerification,
} from "@briefgeheim/crypto";
import { LIMITS, type StoredEnvelope, type ThreadDetail, type ThreadSummary } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { ClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import type { ThreadCache } from "./thread-cache.js";
import { checkRememberedRecord, recallHeads, rememberHeads } from "./thread-memory.js";
import {
  asTampered,
  type CheckedEnvelopes,
  checkEnvelopes,
  type OpenedEpochs,
  openEpochs,
} from "./thread-open.js";
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
  const rosters = new Map<number, Roster>();
  for (const record of epochs.records) {
    const roster = client.helplines.roster(helplineId, record.rosterVersion);
    if (roster !== undefined) rosters.set(record.rosterVersion, roster);
  }
  // Every check of verifyThread runs on the whole listing; signatures and decryption of envelopes
  // this session verified before (same bytes at the same place, same epoch) are not repeated.
  const checked = checkEnvelopes(client.sodium, {
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
  return finishEnvelopes(ctx, epochs, stored, checked);
}

/** What this device remembers of a thread's heads, as the reader (for `checkEnvelopes`). */
export function envelopeMemory(ctx: ThreadContext, threadId: ThreadId): EnvelopeHead[] {
  return recallHeads(ctx.client.memory, ctx.client.sodium, threadId, ctx.me.signing.publicKey);
}

/**
 * The part of `verifyEnvelopes` after the cryptographic checks: the session cache takes the new
 * prefix, the device remembers the heads seen (an envelope of it that stops being served is
 * `WITHHELD` next time), and the thread's problems join the envelopes' problems.
 *
 * @example
 * const thread = finishEnvelopes(ctx, epochs, stored, checkEnvelopes(sodium, input));
 */
export function finishEnvelopes(
  ctx: ThreadContext,
  epochs: LoadedEpochs,
  stored: readonly StoredEnvelope[],
  checked: CheckedEnvelopes,
): LoadedThread {
  const { client } = ctx;
  const { verification, prefix, heads } = checked;
  ctx.cache?.set(epochs.threadId, prefix);
  rememberHeads(client.memory, client.sodium, epochs.threadId, ctx.me.signing.publicKey, heads);
  const withEpochs: ThreadVerification =
    epochs.problems.length === 0
      ? verification
      : { ...verification, problems: [...epochs.problems, ...verification.problems], ok: false };
  return { ...epochs, stored, verification: withEpochs, heads };
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
