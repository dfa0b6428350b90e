import { describe, expect, it } from "vitest";
import { alice, bob, entries, head, runLinks } from "../../test-support/link-fixtures.js";
import { loadSodium } from "../core/sodium.js";
import type { LinkEntry, LinkInput } from "./thread-links.js";

const sodium = await loadSodium();
const run = (trusted: LinkEntry[], more: Partial<LinkInput> = {}) => runLinks(sodium, trusted, more);
const reasons = (list: LinkEntry[], more: Partial<LinkInput> = {}) =>
  run(list, more).problems.map((p) => `${p.reason}@${p.index}`);

describe("checkThreadLinks", () => {
  it("accepts concurrent first posts and later posts naming every sender's newest", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: bob, seq: 1 }, // had not seen alice's post
      {
        id: 3,
        from: alice,
        seq: 2,
        heads: [
          [alice, 1, 1],
          [bob, 1, 2],
        ],
      },
      {
        id: 4,
        from: bob,
        seq: 2,
        heads: [
          [alice, 2, 3],
          [bob, 1, 2],
        ],
      },
    ]);
    expect(reasons(list)).toEqual([]);
  });

  it("a sender's deleted newest envelope is MISSING when the sender writes again, with the seq gap", () => {
    // alice wrote seq 1 (id 1) and seq 2 (id 2); the server dropped id 2; alice remembers it.
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 3, from: alice, seq: 3, heads: [[alice, 2, 2]] },
    ]);
    expect(reasons(list)).toEqual(["SEQ_GAP@1", "MISSING@1"]);
  });

  it("an envelope another sender had seen is MISSING once that sender names it", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 5, from: bob, seq: 1, heads: [[alice, 2, 2]] },
    ]);
    expect(reasons(list)).toEqual(["MISSING@1"]);
  });

  it("an envelope remembered by this device and no longer served is WITHHELD", () => {
    const list = entries([{ id: 1, from: alice, seq: 1 }]);
    const found = run(list, { remembered: [head(alice, 2, 2)] }).problems;
    expect(found.map((p) => `${p.reason}@${p.index}`)).toEqual(["WITHHELD@-1"]);
    // What it saw and still gets is fine.
    expect(reasons(list, { remembered: [head(alice, 1, 1)] })).toEqual([]);
    // Two senders' envelopes of the same seq gone are two problems, each naming its sender.
    const two = run(list, { remembered: [head(alice, 2, 2), head(bob, 2, 7)] }).problems;
    expect(two.map((p) => p.detail)).toEqual([
      `seq 2 of the main sender ${"a1".repeat(8)} was seen on this device and is gone`,
      `seq 2 of the main sender ${"b0".repeat(8)} was seen on this device and is gone`,
    ]);
  });

  it("another envelope under a seq this device or an author saw is a SENDER_FORK", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 5, from: bob, seq: 1, heads: [[alice, 1, 9]] },
    ]);
    expect(reasons(list)).toEqual(["SENDER_FORK@1"]);
    expect(reasons(list.slice(0, 1), { remembered: [head(alice, 1, 9)] })).toEqual(["SENDER_FORK@0"]);
  });

  it("a seq above 1 must name the sender's own previous envelope", () => {
    const none = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: alice, seq: 2 },
    ]);
    expect(reasons(none)).toEqual(["SENDER_FORK@1"]);
    const older = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: alice, seq: 2, heads: [[alice, 1, 1]] },
      { id: 3, from: alice, seq: 3, heads: [[alice, 1, 1]] },
    ]);
    expect(reasons(older)).toEqual(["SENDER_FORK@2"]);
    const selfAtOne = entries([{ id: 1, from: alice, seq: 1, heads: [[alice, 1, 1]] }]);
    expect(reasons(selfAtOne)).toEqual(["SENDER_FORK@0"]);
  });

  it("keeps the streams apart: a note's own head is in the staff stream", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1, kind: "note" },
      { id: 2, from: alice, seq: 1 },
      { id: 3, from: alice, seq: 2, kind: "note", heads: [[alice, 1, 2]] }, // main-stream head only
    ]);
    expect(reasons(list)).toEqual(["SENDER_FORK@2"]);
  });

  it("reports a gap of several seqs once, and REORDERED for a lower seq served later", () => {
    const gap = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 4, from: alice, seq: 4, heads: [[alice, 3, 3]] },
    ]);
    expect(run(gap).problems.find((p) => p.reason === "SEQ_GAP")?.detail).toBe("seq 2..3 missing");
    const swapped = entries([
      { id: 2, from: alice, seq: 2, heads: [[alice, 1, 1]] },
      { id: 1, from: alice, seq: 1 },
    ]);
    expect(reasons(swapped)).toEqual(["REORDERED@0"]);
  });

  it("an envelope naming a newer epoch's envelope while in an older epoch is STALE_EPOCH", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1, epoch: 2 },
      { id: 2, from: bob, seq: 1, epoch: 1, heads: [[alice, 1, 1]] },
    ]);
    expect(reasons(list)).toEqual(["STALE_EPOCH@1"]);
  });

  it("flags an old-epoch post beyond what the next epoch's record names (AFTER_EPOCH_CHANGE)", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1, epoch: 0 },
      { id: 2, from: bob, seq: 1, epoch: 0, heads: [[alice, 1, 1]] },
      {
        id: 3,
        from: bob,
        seq: 2,
        epoch: 0,
        heads: [
          [alice, 1, 1],
          [bob, 1, 2],
        ],
      },
      {
        id: 4,
        from: alice,
        seq: 2,
        epoch: 1,
        heads: [
          [alice, 1, 1],
          [bob, 1, 2],
        ],
      },
    ]);
    const epochHeads = new Map([[1, [head(alice, 1, 1), head(bob, 1, 2)]]]);
    expect(reasons(list, { epochHeads })).toEqual(["AFTER_EPOCH_CHANGE@2"]);
    // A sender the record does not name at all wrote after the change too.
    expect(reasons(list.slice(0, 1), { epochHeads: new Map([[1, []]]) })).toEqual(["AFTER_EPOCH_CHANGE@0"]);
  });

  it("does not check heads in a stream the reader is not served (a help-seeker and the notes)", () => {
    const list = entries([{ id: 5, from: bob, seq: 1, heads: [[alice, 3, 3]] }]);
    list[0] = {
      ...list[0]!,
      envelope: { ...list[0]!.envelope, heads: [head(alice, 3, 3, "staff")] },
    };
    expect(reasons(list)).toEqual(["MISSING@0"]);
    expect(reasons(list, { streams: ["main"] })).toEqual([]);
    const epochHeads = new Map([[1, [head(alice, 3, 3, "staff")]]]);
    expect(reasons([], { epochHeads, streams: ["main"] })).toEqual([]);
    expect(reasons([], { epochHeads })).toEqual(["MISSING@-1"]);
  });

  it("an epoch record naming an envelope that is gone is MISSING for the thread", () => {
    const list = entries([{ id: 1, from: alice, seq: 1, epoch: 0 }]);
    const epochHeads = new Map([[1, [head(alice, 2, 2)]]]);
    const found = run(list, { epochHeads }).problems;
    expect(found.map((p) => `${p.reason}@${p.index}`)).toEqual(["MISSING@-1"]);
    expect(found[0]!.detail).toMatch(/record of epoch 1/);
  });

  it("a damaged envelope stops nothing: its seq is no gap, naming it is no MISSING, the flag is reported", () => {
    const all = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: alice, seq: 2, heads: [[alice, 1, 1]] }, // damaged in transit
      { id: 3, from: bob, seq: 1, heads: [[alice, 1, 1, true]] }, // bob saw it damaged: names seq 1, flag
      {
        id: 4,
        from: alice,
        seq: 3,
        heads: [
          [alice, 2, 2],
          [bob, 1, 3],
        ],
      }, // alice had the good copy
    ]);
    const damaged = [all[1]!];
    const trusted = [all[0]!, all[2]!, all[3]!];
    const result = run(trusted, { damaged });
    expect(result.problems).toEqual([]);
    expect([...result.continuesPastDamaged]).toEqual([2]);
  });

  it("a head of seq 0 (everything seen of that sender was damaged) names nothing", () => {
    const list = entries([{ id: 3, from: bob, seq: 1, heads: [[alice, 0, 0, true]] }]);
    const result = run(list);
    expect(result.problems).toEqual([]);
    expect(result.continuesPastDamaged.has(0)).toBe(true);
  });

  it("reports one REORDERED per post even when seq and heads both show it", () => {
    const list = entries([
      { id: 2, from: alice, seq: 2, heads: [[alice, 1, 1]] },
      { id: 1, from: alice, seq: 1 },
    ]);
    expect(run(list).problems.filter((p) => p.reason === "REORDERED")).toHaveLength(1);
  });
});
