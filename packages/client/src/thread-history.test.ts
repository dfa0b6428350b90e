/**
 * The pure parts of incremental reads (issue 14): when a short page may be appended to what this tab
 * verified (`pageDoubt`), and what a full read reports against it (`historyChanged`). The hostile
 * server against the whole read is tests/malicious-server/incremental-reads.test.ts.
 */
import type { Envelope, ThreadItem, ThreadProblem, ThreadVerification } from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import { describe, expect, it } from "vitest";
import type { CachedListing } from "./thread-cache.js";
import {
  type HistoryLedger,
  historyChanged,
  ledgerOf,
  MAX_DAMAGED_PLACES,
  pageDoubt,
  problemKey,
} from "./thread-history.js";

const at = (position: number, envelope = `env-${position}`): StoredEnvelope => ({
  id: `id-${envelope}`,
  position,
  envelope,
  receivedAt: 0,
});

const listing = (stored: StoredEnvelope[]): CachedListing => ({
  stored,
  problems: new Set(),
  incremental: 0,
});

/** Sender, seq, hash and named hashes of an envelope, by its bytes' name (default: its own sender). */
type Spec = { sender?: number; seq?: number; hash?: number; names?: number[] };

/** A verification whose items are `stored`, with the envelope fields these checks read. */
function verified(
  stored: readonly StoredEnvelope[],
  damagedAt: number[] = [],
  specs: Record<string, Spec> = {},
): ThreadVerification {
  const items: ThreadItem[] = stored.map((s, index) => {
    const problems: ThreadProblem[] = damagedAt.includes(index) ? [{ reason: "BAD_SIGNATURE", index }] : [];
    const spec = specs[s.envelope] ?? {};
    const envelope = {
      senderSignPk: new Uint8Array([spec.sender ?? 100 + index]),
      seq: spec.seq ?? 1,
      // The same bytes have the same hash wherever they are served.
      hash: spec.hash === undefined ? new TextEncoder().encode(s.envelope) : new Uint8Array([spec.hash]),
      heads: (spec.names ?? []).map((h) => ({ hash: new Uint8Array([h]) })),
    } as unknown as Envelope;
    return {
      index,
      envelope,
      stream: "main",
      ok: problems.length === 0,
      problems,
      continuesPastDamaged: false,
    };
  });
  const problems = items.flatMap((i) => i.problems);
  return { items, problems, ok: problems.length === 0 };
}

describe("pageDoubt: may a short page be appended to the verified listing?", () => {
  const cached = listing([at(1), at(2), at(3)]);

  it("the anchor again, then the next positions one by one: yes", () => {
    expect(pageDoubt(cached, [at(3), at(4), at(5)])).toBeUndefined();
    expect(pageDoubt(cached, [at(3)])).toBeUndefined();
  });

  it("the anchor missing, at another position, with other bytes or another id: ANCHOR_CHANGED", () => {
    expect(pageDoubt(cached, [])).toBe("ANCHOR_CHANGED");
    expect(pageDoubt(cached, [at(4)])).toBe("ANCHOR_CHANGED");
    expect(pageDoubt(cached, [{ ...at(3), position: 2 }])).toBe("ANCHOR_CHANGED");
    expect(pageDoubt(cached, [{ ...at(3), envelope: "other" }])).toBe("ANCHOR_CHANGED");
    expect(pageDoubt(cached, [{ ...at(3), id: "other" }])).toBe("ANCHOR_CHANGED");
  });

  it("a gap, a repeated or a lower position after the anchor: POSITIONS", () => {
    expect(pageDoubt(cached, [at(3), at(5)])).toBe("POSITIONS");
    expect(pageDoubt(cached, [at(3), at(4), at(4, "again")])).toBe("POSITIONS");
    expect(pageDoubt(cached, [at(3), at(2, "past")])).toBe("POSITIONS");
  });
});

/** The ledger a read of `stored` leaves (all genuine unless `damagedAt`). */
const ledger = (
  stored: StoredEnvelope[],
  damagedAt: number[] = [],
  specs: Record<string, Spec> = {},
): HistoryLedger => ledgerOf(stored, verified(stored, damagedAt, specs), new Map());

describe("historyChanged: a full read against the listing this tab verified", () => {
  const cached = ledger([at(1), at(2), at(3)]);

  it("the same listing, or only new envelopes after it: nothing changes", () => {
    const same = verified([at(1), at(2), at(3)]);
    expect(historyChanged(cached, [at(1), at(2), at(3)], same, true).verification).toBe(same);
    const longer = [at(1), at(2), at(3), at(4), at(5)];
    const v = verified(longer);
    expect(historyChanged(cached, longer, v, true).verification).toBe(v);
    expect(historyChanged(undefined, longer, v, true).verification).toBe(v);
  });

  it("a genuine envelope the tab never saw, served before one it had: HISTORY_CHANGED on it, kept", () => {
    const stored = [at(1), at(9, "past"), at(2), at(3), at(4)];
    const { verification, ledger: after } = historyChanged(cached, stored, verified(stored), true);
    expect(verification.ok).toBe(false);
    expect(verification.problems.map((p) => [p.reason, p.index])).toEqual([["HISTORY_CHANGED", 1]]);
    expect(verification.items[1]!.ok).toBe(false);
    expect(verification.items.filter((i) => !i.ok)).toHaveLength(1);
    expect(after.history.size).toBe(1);
    // Later reads, short ones too, flag it again wherever it stands now.
    const again = historyChanged(after, [...stored, at(5)], verified([...stored, at(5)]), false);
    expect(again.verification.problems.map(problemKey)).toEqual([
      "HISTORY_CHANGED:1:served before messages this tab had read",
    ]);
  });

  it("a short read checks nothing new against the ledger (its page was appended after it)", () => {
    const stored = [at(1), at(9, "past"), at(2), at(3)];
    const v = verified(stored);
    expect(historyChanged(cached, stored, v, false).verification).toBe(v);
  });

  it("one the tab was told was missing (its sender's higher seq, or a head naming it): not flagged", () => {
    const stored = [at(1), at(9, "late"), at(2), at(3)];
    // Seq 2 of sender 7 served late; the tab had read sender 7's seq 3: it showed SEQ_GAP then.
    const gap = { late: { sender: 7, seq: 2 }, "env-2": { sender: 7, seq: 3 } };
    const v = verified(stored, [], gap);
    expect(historyChanged(ledger([at(1), at(2), at(3)], [], gap), stored, v, true).verification).toBe(v);
    // Named by a head of an envelope the tab had read: it showed MISSING then.
    const head = { late: { hash: 42 }, "env-3": { names: [42] } };
    const w = verified(stored, [], head);
    expect(historyChanged(cached, stored, w, true).verification).toBe(w);
    // A lower seq of that sender among what the tab read, or a head naming another: flagged.
    const lower = verified(stored, [], { late: { sender: 7, seq: 2 }, "env-2": { sender: 7, seq: 1 } });
    expect(historyChanged(cached, stored, lower, true).verification.ok).toBe(false);
    const other = verified(stored, [], { late: { hash: 42 }, "env-3": { names: [43] } });
    expect(historyChanged(cached, stored, other, true).verification.ok).toBe(false);
  });

  it("the genuine envelope in a damaged one's gap, once, with the sender and seq it claimed: not flagged", () => {
    const claim = {
      forged: { sender: 5, seq: 2 },
      genuine: { sender: 5, seq: 2 },
      other: { sender: 5, seq: 3 },
    };
    const withForged = ledger([at(1), at(2, "forged"), at(3)], [1], claim);
    const stored = [at(1), at(7, "genuine"), at(3)];
    const v = verified(stored, [], claim);
    expect(historyChanged(withForged, stored, v, true).verification).toBe(v);
    // The position plays no part: another gap, a second envelope, or another seq is flagged.
    const moved = [at(1), at(3), at(2, "genuine"), at(4)];
    const lateLedger = ledger([at(1), at(2, "forged"), at(3), at(4)], [1], claim);
    expect(historyChanged(lateLedger, moved, verified(moved, [], claim), true).verification.ok).toBe(false);
    const two = [at(1), at(2, "genuine"), at(2, "other"), at(3)];
    const flagged = historyChanged(withForged, two, verified(two, [], claim), true).verification;
    expect(flagged.problems.map((p) => [p.reason, p.index])).toEqual([["HISTORY_CHANGED", 2]]);
    const seq = [at(1), at(2, "other"), at(3)];
    expect(historyChanged(withForged, seq, verified(seq, [], claim), true).verification.ok).toBe(false);
  });

  it("a ledger keeps at most MAX_DAMAGED_PLACES damaged places; past them, nothing is excused", () => {
    const junk = Array.from({ length: MAX_DAMAGED_PLACES + 5 }, (_, i) => at(10 + i, `junk-${i}`));
    const stored = [at(1), ...junk, at(2)];
    const damagedAt = junk.map((_, i) => i + 1);
    expect(ledger(stored, damagedAt).damaged).toHaveLength(MAX_DAMAGED_PLACES);
    const many = Array.from({ length: MAX_DAMAGED_PLACES + 1 }, (_, i) => at(500 + i, `new-${i}`));
    const later = [at(1), ...many, at(2)];
    const v = historyChanged(ledger(stored, damagedAt), later, verified(later), true).verification;
    expect(v.problems.map((p) => [p.reason, p.index])).toEqual([["HISTORY_CHANGED", MAX_DAMAGED_PLACES + 1]]);
  });

  it("a damaged envelope served into the past is flagged as damaged only", () => {
    const stored = [at(1), at(9, "forged"), at(2), at(3)];
    const v = verified(stored, [1]);
    expect(historyChanged(cached, stored, v, true).verification.problems.map((p) => p.reason)).toEqual([
      "BAD_SIGNATURE",
    ]);
  });

  it("envelopes the tab read, served in another order: HISTORY_CHANGED on the one now after one it preceded", () => {
    const stored = [at(1), at(3), at(2)];
    const v = historyChanged(cached, stored, verified(stored), true).verification;
    expect(v.problems.map(problemKey)).toEqual([
      "HISTORY_CHANGED:2:served in another order than this tab read it",
    ]);
  });

  it("an order read with a problem (REORDERED) is not held to: the honest order served again is no change", () => {
    const reordered = [at(1), at(3), at(2)];
    const shown = verified(reordered);
    const doubted = {
      ...shown,
      items: shown.items.map((i) =>
        i.index === 1 ? { ...i, problems: [{ reason: "REORDERED" as const, index: 1 }] } : i,
      ),
    };
    const after = historyChanged(cached, reordered, doubted, true);
    expect(after.verification.problems.map((p) => p.reason)).toEqual([]); // the test's verification lists none
    const honest = [at(1), at(2), at(3)];
    const v = verified(honest);
    expect(historyChanged(after.ledger, honest, v, true).verification).toBe(v);
    // Without the problem, the same reorder is flagged (and the way back then is no second change).
    const silent = historyChanged(cached, reordered, shown, true);
    expect(silent.verification.problems.map((p) => [p.reason, p.index])).toEqual([["HISTORY_CHANGED", 2]]);
  });

  it("a replayed copy counts as nothing the tab read: new envelopes before it are not 'past'", () => {
    const stored = [at(1), at(2), at(3), at(4), at(5, "env-1")];
    const v = verified(stored, [4]);
    expect(historyChanged(cached, stored, v, true).verification).toBe(v);
  });
});
