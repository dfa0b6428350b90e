import {
  NOT_GENUINE,
  type ThreadItem,
  type ThreadProblem,
  type ThreadVerification,
} from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import type { CachedListing } from "./thread-cache.js";

/**
 * Why a read of a thread fetched the whole listing rather than only what follows the envelopes this
 * tab verified (issue 14; docs/THREAT-MODEL.md "Incremental reads"):
 * - `REQUESTED`: the caller asked for a full read (opening a conversation does);
 * - `NOT_CACHED`: this tab holds no verified listing of the thread;
 * - `SCHEDULED`: `FULL_READ_EVERY` incremental reads in a row were made;
 * - `ANCHOR_CHANGED`: the newest envelope this tab verified is not served again at its position
 *   with the same bytes (the first item of every incremental page);
 * - `POSITIONS`: the page's positions do not go on one by one from the anchor (a gap, a repeat, a
 *   position going back: something was put in or taken out below or between them);
 * - `NEW_PROBLEMS`: checked together with what this tab verified, the new envelopes show a problem
 *   the verified listing did not have (a replay, a gap, a missing head, a reorder, an epoch change).
 */
export type FullReadReason =
  | "REQUESTED"
  | "NOT_CACHED"
  | "SCHEDULED"
  | "ANCHOR_CHANGED"
  | "POSITIONS"
  | "NEW_PROBLEMS";

/** How a read was made: only what follows position `after`, or the whole listing, and why. */
export type ReadKind =
  | { readonly incremental: true; readonly after: number }
  | { readonly incremental: false; readonly reason: FullReadReason };

/** Incremental reads of one thread after which the next read is a full one. */
export const FULL_READ_EVERY = 32;

/** A problem as a set key: the same reason at the same place with the same detail. */
export function problemKey(p: ThreadProblem): string {
  return `${p.reason}:${p.index}:${p.detail ?? ""}`;
}

/**
 * Why the page of an incremental read (asked for after the position before the anchor) cannot be
 * appended to the cached listing, or `undefined` when it can: its first item must be the anchor
 * (the newest cached envelope: same id, position and bytes), and every later item the next position.
 *
 * @example
 * const doubt = pageDoubt(cached, page); // "ANCHOR_CHANGED" | "POSITIONS" | undefined
 */
export function pageDoubt(
  cached: CachedListing,
  page: readonly StoredEnvelope[],
): "ANCHOR_CHANGED" | "POSITIONS" | undefined {
  const anchor = cached.stored.at(-1);
  if (anchor === undefined) return undefined;
  const first = page[0];
  if (
    first === undefined ||
    first.position !== anchor.position ||
    first.id !== anchor.id ||
    first.envelope !== anchor.envelope
  ) {
    return "ANCHOR_CHANGED";
  }
  for (let i = 1; i < page.length; i++) {
    if (page[i]!.position !== anchor.position + i) return "POSITIONS";
  }
  return undefined;
}

/** Envelopes that are not genuine (`NOT_GENUINE`): being served "into the past" is moot for them. */
const DAMAGED = NOT_GENUINE;

/**
 * What a full read is compared with (`HISTORY_CHANGED`): a small fingerprint of the last listing this
 * tab verified of a thread, kept by `ThreadCache` apart from the listing for the whole session (never
 * evicted, however large the listing or however many threads are read; cleared only on wipe). Keys
 * are envelope hashes (hex), never the server's positions or ids.
 */
export interface HistoryLedger {
  /** The genuine envelopes of that listing, in its order, each once. */
  readonly seen: readonly string[];
  /**
   * Those of them that showed no problem at all (nor `HISTORY_CHANGED`), in order: the order a later
   * full read is held to. One shown `REORDERED` (or otherwise doubted) sets no order to keep.
   */
  readonly ordered: readonly string[];
  /** Where that listing held an envelope that was not genuine (bad signature, replay, ...). */
  readonly damaged: readonly DamagedPlace[];
  /** Envelopes found served "into the past" or out of order this session, with why. */
  readonly history: ReadonlyMap<string, string>;
}

/**
 * A damaged envelope's place by its genuine neighbours in that listing (`undefined`: the start or the
 * end), and the stream, sender and seq it claimed when its bytes parsed: the one genuine envelope that
 * may later appear there without `HISTORY_CHANGED` (the genuine one replacing garbage).
 */
export interface DamagedPlace {
  readonly after: string | undefined;
  readonly before: string | undefined;
  readonly claim: string | undefined;
}

/**
 * Damaged places a ledger keeps at most: it lives for the session, and junk costs the server nothing.
 * One left out only excuses nothing (a genuine envelope in its gap is flagged): never less is flagged.
 */
export const MAX_DAMAGED_PLACES = 100;

const damagedItem = (item: ThreadItem) => item.problems.some((p) => DAMAGED.has(p.reason));
const claimOf = (item: ThreadItem) =>
  `${item.stream}:${hex(item.envelope.senderSignPk)}:${item.envelope.seq}`;

/**
 * The ledger of a verified listing: its genuine envelopes (first occurrence only: a replayed copy is
 * `DUPLICATE`), its damaged envelopes' places, and `history` carried on.
 *
 * @example
 * const ledger = ledgerOf(stored, verification, previous.history);
 */
export function ledgerOf(
  stored: readonly StoredEnvelope[],
  verification: ThreadVerification,
  history: ReadonlyMap<string, string>,
): HistoryLedger {
  const items = new Map(verification.items.map((item) => [item.index, item]));
  // Bytes that do not parse have no item, only a damaged-kind problem at their index.
  const unparsed = new Set(verification.problems.filter((p) => DAMAGED.has(p.reason)).map((p) => p.index));
  const seen: string[] = [];
  const ordered: string[] = [];
  const once = new Set<string>();
  const damaged: DamagedPlace[] = [];
  let open: { claim: string | undefined }[] = [];
  let after: string | undefined;
  for (let i = 0; i < stored.length; i++) {
    const item = items.get(i);
    if (item === undefined || damagedItem(item)) {
      if (item !== undefined || unparsed.has(i))
        open.push({ claim: item === undefined ? undefined : claimOf(item) });
      continue;
    }
    const key = hex(item.envelope.hash);
    if (once.has(key)) continue;
    once.add(key);
    seen.push(key);
    if (item.problems.length === 0 && !history.has(key)) ordered.push(key);
    for (const d of open) damaged.push({ after, before: key, claim: d.claim });
    open = [];
    after = key;
  }
  for (const d of open) damaged.push({ after, before: undefined, claim: d.claim });
  damaged.length = Math.min(damaged.length, MAX_DAMAGED_PLACES);
  return { seen, ordered, damaged, history };
}

/**
 * `HISTORY_CHANGED` against the ledger of what this tab verified before (`previous`). On a full read:
 * - a genuine envelope the tab had not seen, served before one it had (put "into the past", below
 *   where the tab had read), when nothing told the tab it was missing. A full read alone cannot tell
 *   it from an honest listing. Not flagged, because the tab warned about that place already: one
 *   whose sender has a higher seq among the envelopes the tab had read (the tab showed `SEQ_GAP`),
 *   one a head of those envelopes names (the tab showed `MISSING`), and one per damaged envelope the
 *   tab had, in that damaged envelope's gap between the same genuine neighbours, with the stream,
 *   sender and seq it claimed (the genuine one replacing garbage). Positions play no part;
 * - an envelope the tab had read, now served after one it came before (its order changed), where
 *   both were read without a problem and show none now (else the reader was told: `REORDERED`).
 * Envelopes that are gone are `WITHHELD`, `MISSING` or `SEQ_GAP` already. On every read, an envelope flagged so before (by its hash)
 * stays flagged for the session (the ledger outlives the cached listing).
 *
 * @example
 * const { verification, ledger } = historyChanged(cache.ledger(id), stored, checked.verification, true);
 */
export function historyChanged(
  previous: HistoryLedger | undefined,
  stored: readonly StoredEnvelope[],
  verification: ThreadVerification,
  full: boolean,
): { verification: ThreadVerification; ledger: HistoryLedger } {
  const history = new Map(previous?.history ?? []);
  const items = new Map(verification.items.map((item) => [item.index, item]));
  const genuine = (item: ThreadItem | undefined): item is ThreadItem =>
    item !== undefined && !damagedItem(item);
  if (full && previous !== undefined) compare(previous, stored, items, genuine, history);
  const ledger = ledgerOf(stored, verification, history);
  const at = new Map<number, ThreadProblem>();
  for (const item of verification.items) {
    const detail = genuine(item) ? history.get(hex(item.envelope.hash)) : undefined;
    if (detail !== undefined) at.set(item.index, { reason: "HISTORY_CHANGED", index: item.index, detail });
  }
  if (at.size === 0) return { verification, ledger };
  const added: ThreadProblem[] = [];
  const flagged = verification.items.map((item) => {
    const own = at.get(item.index);
    if (own === undefined) return item;
    added.push(own);
    return { ...item, ok: false, problems: [...item.problems, own] };
  });
  const problems = [...verification.problems, ...added].sort((a, b) => a.index - b.index);
  return { verification: { items: flagged, problems, ok: false }, ledger };
}

/** The full read's part of `historyChanged`: adds to `history` what the listing changed. */
function compare(
  previous: HistoryLedger,
  stored: readonly StoredEnvelope[],
  items: ReadonlyMap<number, ThreadItem>,
  genuine: (item: ThreadItem | undefined) => item is ThreadItem,
  history: Map<string, string>,
): void {
  const place = new Map(previous.seen.map((key, i) => [key, i]));
  const rank = new Map(previous.ordered.map((key, i) => [key, i]));
  // The genuine envelopes of this listing in order, each once (a replayed copy says nothing).
  const order: { item: ThreadItem; key: string }[] = [];
  const once = new Set<string>();
  for (let i = 0; i < stored.length; i++) {
    const item = items.get(i);
    if (!genuine(item)) continue;
    const key = hex(item.envelope.hash);
    if (once.has(key)) continue;
    once.add(key);
    order.push({ item, key });
  }
  // What the envelopes the tab had read say of others: each sender's highest seq, the hashes named.
  const topSeq = new Map<string, number>();
  const named = new Set<string>();
  let lastSeen = -1;
  order.forEach(({ item, key }, i) => {
    if (!place.has(key)) return;
    lastSeen = i;
    const group = `${item.stream}:${hex(item.envelope.senderSignPk)}`;
    topSeq.set(group, Math.max(topSeq.get(group) ?? 0, item.envelope.seq));
    for (const h of item.envelope.heads) named.add(hex(h.hash));
  });
  // For each place in `order`, the next envelope the tab had read (a damaged one's right neighbour).
  const next: (string | undefined)[] = [];
  for (let i = order.length - 1, key: string | undefined; i >= 0; i--) {
    next[i] = key;
    if (place.has(order[i]!.key)) key = order[i]!.key;
  }
  const unused = [...previous.damaged];
  let after: string | undefined;
  let highest = -1;
  order.forEach(({ item, key }, i) => {
    if (place.has(key)) {
      // Read without a problem before and now: served after one it came before (which also shows
      // none) is a changed order. Where either shows a problem (`REORDERED` where a head makes the
      // order matter) the reader was told already.
      after = key;
      const was = rank.get(key);
      if (was === undefined || item.problems.length > 0) return;
      if (was < highest) history.set(key, "served in another order than this tab read it");
      highest = Math.max(highest, was);
      return;
    }
    if (i > lastSeen) return;
    const group = `${item.stream}:${hex(item.envelope.senderSignPk)}`;
    if ((topSeq.get(group) ?? 0) > item.envelope.seq || named.has(key)) return;
    const claim = claimOf(item);
    const excuse = unused.findIndex(
      (d) => d.after === after && d.before === next[i] && (d.claim === undefined || d.claim === claim),
    );
    if (excuse !== -1) {
      unused.splice(excuse, 1);
      return;
    }
    history.set(key, "served before messages this tab had read");
  });
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}
