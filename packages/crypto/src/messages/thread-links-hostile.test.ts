import { describe, expect, it } from "vitest";
import { alice, bob, entries, head, runLinks } from "../../test-support/link-fixtures.js";
import { loadSodium } from "../core/sodium.js";
import type { LinkEntry, LinkInput } from "./thread-links.js";

const sodium = await loadSodium();
const reasons = (list: LinkEntry[], more: Partial<LinkInput> = {}) =>
  runLinks(sodium, list, more).problems.map((p) => `${p.reason}@${p.index}`);

/** What a hostile server does to the order and the set of envelopes, and what the link checks name. */
describe("checkThreadLinks against a hostile server", () => {
  it("moves a sender's seq 1 after her seq 3 and 4 (seq 2 damaged): both are REORDERED, by seq alone", () => {
    const all = entries([
      { id: 3, from: alice, seq: 3, heads: [[alice, 2, 2]] }, // names the damaged seq 2: no head check
      { id: 4, from: alice, seq: 4, heads: [[alice, 3, 3]] },
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: alice, seq: 2, heads: [[alice, 1, 1]] }, // damaged in transit
    ]);
    const trusted = all.slice(0, 3);
    const damaged = [all[3]!];
    expect(reasons(trusted, { damaged })).toEqual(["REORDERED@0", "REORDERED@1"]);
  });

  it("the entries may come in any order: positions decide, and problems come out by position", () => {
    const all = entries([
      { id: 3, from: alice, seq: 3, heads: [[alice, 2, 2]] },
      { id: 4, from: alice, seq: 4, heads: [[alice, 3, 3]] },
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: alice, seq: 2, heads: [[alice, 1, 1]] },
    ]);
    const trusted = all.slice(0, 3).reverse();
    const damaged = [all[3]!];
    expect(reasons(trusted, { damaged })).toEqual(["REORDERED@0", "REORDERED@1"]);
  });

  it("two damaged posts of one sender (seq 2 and 3) are no gap before her seq 4", () => {
    const all = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: alice, seq: 2, heads: [[alice, 1, 1]] },
      { id: 3, from: alice, seq: 3, heads: [[alice, 2, 2]] },
      { id: 4, from: alice, seq: 4, heads: [[alice, 3, 3]] },
    ]);
    expect(reasons([all[0]!, all[3]!], { damaged: [all[1]!, all[2]!] })).toEqual([]);
  });

  it("an envelope naming a forged copy that comes later is a SENDER_FORK only, not also REORDERED", () => {
    const list = entries([
      { id: 2, from: bob, seq: 1, heads: [[alice, 1, 9]] }, // names alice's seq 1 with another hash
      { id: 1, from: alice, seq: 1 },
    ]);
    expect(reasons(list)).toEqual(["SENDER_FORK@0"]);
  });

  it("a first post may name its own sender at seq 0 (all she saw of herself was damaged)", () => {
    const list = entries([{ id: 1, from: alice, seq: 1, heads: [[alice, 0, 0, true]] }]);
    expect(reasons(list)).toEqual([]);
  });

  it("an epoch record naming another copy of a served envelope: SENDER_FORK at that envelope", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: bob, seq: 1, heads: [[alice, 1, 1]] },
    ]);
    const epochHeads = new Map([[2, [head(bob, 1, 2), head(alice, 1, 9)]]]);
    expect(reasons(list, { epochHeads })).toEqual(["SENDER_FORK@0"]);
  });

  it("AFTER_EPOCH_CHANGE compares with the record's head of the same sender in the same stream", () => {
    // The record of epoch 2 names alice's note (staff stream), bob's seq 1 and alice's seq 2, in that
    // order: only the last is alice's head in the main stream, and her seq 2 is not beyond it.
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: bob, seq: 1, heads: [[alice, 1, 1]] },
      { id: 3, from: alice, seq: 1, kind: "note" },
      { id: 4, from: alice, seq: 2, heads: [[alice, 1, 1]] },
    ]);
    const epochHeads = new Map([[2, [head(alice, 1, 3, "staff"), head(bob, 1, 2), head(alice, 2, 4)]]]);
    expect(reasons(list, { epochHeads })).toEqual([]);
    // The same record naming alice's seq 1 instead: her seq 2 was written after the change.
    const earlier = new Map([[2, [head(alice, 1, 3, "staff"), head(bob, 1, 2), head(alice, 1, 1)]]]);
    expect(reasons(list, { epochHeads: earlier })).toEqual(["AFTER_EPOCH_CHANGE@3"]);
  });

  it("every remembered envelope that is gone is its own WITHHELD, listed before the envelopes' problems", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: bob, seq: 1, heads: [[alice, 1, 1]] },
      {
        id: 3,
        from: alice,
        seq: 2,
        heads: [
          [alice, 1, 1],
          [bob, 7, 7],
        ],
      }, // bob's seq 7 is gone
    ]);
    const remembered = [head(alice, 5, 5), head(bob, 6, 6)];
    const found = runLinks(sodium, list, { remembered }).problems;
    expect(found.map((p) => `${p.reason}@${p.index}`)).toEqual(["WITHHELD@-1", "WITHHELD@-1", "MISSING@2"]);
    expect(found[0]!.detail).not.toBe(found[1]!.detail);
  });
});
