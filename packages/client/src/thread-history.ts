import type { ThreadItem, ThreadProblem, ThreadProblemReason, ThreadVerification } from "@briefgeheim/crypto";
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

/** A problem as a set key: the same reason at the same place (and, thread-wide, the same detail). */
export function problemKey(p: ThreadProblem): string {
  return `${p.reason}:${p.index}:${p.index === -1 ? (p.detail ?? "") : ""}`;
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

/** Envelopes that do not make an item genuine: being served "into the past" is moot for them. */
const DAMAGED: ReadonlySet<ThreadProblemReason> = new Set([
  "BAD_SIGNATURE",
  "UNKNOWN_SENDER",
  "WRONG_THREAD",
  "UNKNOWN_EPOCH",
  "DUPLICATE",
]);

/** Positions of the envelopes of `stored` that are not genuine in `verification`. */
export function damagedPositions(
  stored: readonly StoredEnvelope[],
  verification: ThreadVerification,
): Set<number> {
  const out = new Set<number>();
  for (const item of verification.items) {
    const s = stored[item.index];
    if (s !== undefined && item.problems.some((p) => DAMAGED.has(p.reason))) out.add(s.position);
  }
  // Bytes that do not parse have no item, only a problem at their index.
  for (const p of verification.problems) {
    const s = stored[p.index];
    if (s !== undefined && DAMAGED.has(p.reason)) out.add(s.position);
  }
  return out;
}

/**
 * `HISTORY_CHANGED` against the listing this tab verified before. On a full read (`full`): a genuine
 * envelope the tab had not seen, served before one it had (put "into the past", below where the tab
 * had read), when nothing told the tab it was missing. A full read alone cannot tell it from an
 * honest listing. Not flagged, because the tab warned about that place already: one served where the
 * tab had a damaged envelope at the same position (the genuine one replacing garbage), one whose
 * sender has a higher seq among the envelopes the tab had read (the tab showed `SEQ_GAP`), and one a
 * head of those envelopes names (the tab showed `MISSING`). Envelopes that are gone are `WITHHELD`,
 * `MISSING` or `SEQ_GAP` already, and envelopes the tab had read served in another order `REORDERED`
 * where the order matters (a head named later); neither is counted again. On every read, an envelope
 * flagged so before (`cached.history`, by its bytes) stays flagged for the session.
 *
 * @example
 * const { verification, history } = historyChanged(cached, stored, checked.verification, true);
 */
export function historyChanged(
  cached: CachedListing | undefined,
  stored: readonly StoredEnvelope[],
  verification: ThreadVerification,
  full: boolean,
): { verification: ThreadVerification; history: ReadonlyMap<string, string> } {
  const history = new Map(cached?.history ?? []);
  const before = new Map<string, number>();
  if (full) {
    for (const [i, s] of (cached?.stored ?? []).entries()) before.set(s.envelope, i);
  }
  // The last place in `stored` of an envelope the tab had seen: anything new before it is "past".
  let lastSeen = -1;
  stored.forEach((s, i) => {
    if (before.has(s.envelope)) lastSeen = i;
  });
  const items = new Map(verification.items.map((item) => [item.index, item]));
  const genuine = (item: ThreadItem | undefined): item is ThreadItem =>
    item !== undefined && !item.problems.some((p) => DAMAGED.has(p.reason));
  // What the envelopes the tab had read say of others: each sender's highest seq, the hashes named.
  const topSeq = new Map<string, number>();
  const named = new Set<string>();
  if (lastSeen > 0) {
    for (const [i, s] of stored.entries()) {
      const item = items.get(i);
      if (!before.has(s.envelope) || !genuine(item)) continue;
      const group = `${item.stream}:${hex(item.envelope.senderSignPk)}`;
      topSeq.set(group, Math.max(topSeq.get(group) ?? 0, item.envelope.seq));
      for (const h of item.envelope.heads) named.add(hex(h.hash));
    }
  }
  for (let i = 0; i < lastSeen; i++) {
    const { envelope, position } = stored[i]!;
    const item = items.get(i);
    if (before.has(envelope) || cached?.damaged.has(position) === true || !genuine(item)) continue;
    const group = `${item.stream}:${hex(item.envelope.senderSignPk)}`;
    if ((topSeq.get(group) ?? 0) > item.envelope.seq || named.has(hex(item.envelope.hash))) continue;
    history.set(envelope, "served before messages this tab had read");
  }
  const at = new Map<number, ThreadProblem>();
  stored.forEach((s, index) => {
    const detail = history.get(s.envelope);
    if (detail !== undefined) at.set(index, { reason: "HISTORY_CHANGED", index, detail });
  });
  if (at.size === 0) return { verification, history };
  const added: ThreadProblem[] = [];
  const flagged = verification.items.map((item) => {
    const own = at.get(item.index);
    if (own === undefined || !genuine(item)) return item;
    added.push(own);
    return { ...item, ok: false, problems: [...item.problems, own] };
  });
  if (added.length === 0) return { verification, history };
  const problems = [...verification.problems, ...added].sort((a, b) => a.index - b.index);
  return { verification: { items: flagged, problems, ok: false }, history };
}

function hex(bytes: Uint8Array): string {
  let out = "";
  for (const b of bytes) out += b.toString(16).padStart(2, "0");
  return out;
}
