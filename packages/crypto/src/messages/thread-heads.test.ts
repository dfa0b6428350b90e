import { describe, expect, it } from "vitest";
import type { HelplineId, SignPublicKey, ThreadId } from "../core/brand.js";
import { loadSodium } from "../core/sodium.js";
import type { EnvelopeHead, EnvelopeStream } from "../core/types.js";
import { threadHeads } from "./thread-heads.js";
import type { ThreadItem, ThreadProblemReason } from "./verify-thread.js";

const sodium = await loadSodium();
const alice = new Uint8Array(32).fill(0xa1) as SignPublicKey;
const bob = new Uint8Array(32).fill(0xb0) as SignPublicKey;
const hash = (n: number) => new Uint8Array(32).fill(n);

/** A verified (or, with reasons, flagged) item: threadHeads reads only stream, sender, seq, hash, problems. */
function item(
  index: number,
  from: SignPublicKey,
  seq: number,
  reasons: ThreadProblemReason[] = [],
  stream: EnvelopeStream = "main",
): ThreadItem {
  return {
    index,
    stream,
    envelope: {
      helplineId: "h" as HelplineId,
      threadId: "t" as ThreadId,
      epoch: 1,
      kind: stream === "main" ? "message" : "note",
      senderSignPk: from,
      seq,
      createdAt: 0,
      heads: [],
      sealed: new Uint8Array(0),
      signature: new Uint8Array(64),
      hash: hash(index + 1),
    },
    ok: reasons.length === 0,
    problems: reasons.map((reason) => ({ reason, index })),
    continuesPastDamaged: false,
  };
}
const summary = (heads: EnvelopeHead[]) =>
  heads.map((h) => [h.stream, h.signPk[0], h.seq, h.hash[0], h.pastDamaged]);

describe("threadHeads", () => {
  it("names every sender's newest genuine envelope per stream, sorted; a help-seeker only the main stream", () => {
    const items = [item(0, alice, 1), item(1, bob, 1), item(2, alice, 2), item(3, bob, 1, [], "staff")];
    expect(summary(threadHeads(sodium, items, { streams: ["main", "staff"] }))).toEqual([
      ["main", 0xa1, 2, 3, false],
      ["main", 0xb0, 1, 2, false],
      ["staff", 0xb0, 1, 4, false],
    ]);
    expect(threadHeads(sodium, items, { streams: ["main"] })).toHaveLength(2);
  });

  it("still names an envelope with a problem around it (MISSING, SEQ_GAP): it is genuine and was seen", () => {
    const items = [item(0, alice, 1), item(1, alice, 3, ["SEQ_GAP", "MISSING"])];
    expect(summary(threadHeads(sodium, items, { streams: ["main"] }))).toEqual([["main", 0xa1, 3, 2, false]]);
  });

  it("names a remembered envelope the server no longer serves, never a lower one", () => {
    const remembered: EnvelopeHead[] = [
      { stream: "main", signPk: alice, seq: 4, hash: hash(9), pastDamaged: false },
      { stream: "main", signPk: bob, seq: 1, hash: hash(8), pastDamaged: false },
    ];
    const items = [item(0, alice, 3), item(1, bob, 2)];
    expect(summary(threadHeads(sodium, items, { streams: ["main"], remembered }))).toEqual([
      ["main", 0xa1, 4, 9, false],
      ["main", 0xb0, 2, 2, false],
    ]);
  });

  it("sets the continues-past flag when a newer (or the named) envelope of that sender is damaged", () => {
    const items = [
      item(0, alice, 1),
      item(1, alice, 2, ["BAD_SIGNATURE"]),
      item(2, bob, 1, ["UNKNOWN_SENDER"]),
    ];
    expect(summary(threadHeads(sodium, items, { streams: ["main"] }))).toEqual([
      ["main", 0xa1, 1, 1, true],
      ["main", 0xb0, 0, 0, true], // nothing genuine seen of bob: seq 0, zero hash, flag
    ]);
    const remembered: EnvelopeHead[] = [
      { stream: "main", signPk: alice, seq: 2, hash: hash(7), pastDamaged: false },
    ];
    expect(summary(threadHeads(sodium, items, { streams: ["main"], remembered }))[0]).toEqual([
      "main",
      0xa1,
      2,
      7,
      true,
    ]);
    // A damaged envelope below the newest genuine one is past already: no flag.
    const older = [item(0, alice, 1, ["BAD_SIGNATURE"]), item(1, alice, 2)];
    expect(summary(threadHeads(sodium, older, { streams: ["main"] }))).toEqual([["main", 0xa1, 2, 2, false]]);
  });

  it("an envelope moved in, from an unknown epoch or replayed is no head: the author goes on past it", () => {
    for (const reason of ["WRONG_THREAD", "UNKNOWN_EPOCH", "DUPLICATE"] as const) {
      const items = [item(0, alice, 1), item(1, alice, 2, [reason])];
      expect(summary(threadHeads(sodium, items, { streams: ["main"] }))).toEqual([
        ["main", 0xa1, 1, 1, true],
      ]);
    }
  });

  it("the highest damaged seq of a sender sets the flag, whatever order the server serves them in", () => {
    // Alice's seq 2 and 4 tampered with; her seq 3 is genuine: the author goes on past seq 4.
    const served = [
      item(0, alice, 3),
      item(1, alice, 4, ["BAD_SIGNATURE"]),
      item(2, alice, 2, ["BAD_SIGNATURE"]),
    ];
    const swapped = [
      item(0, alice, 3),
      item(1, alice, 2, ["BAD_SIGNATURE"]),
      item(2, alice, 4, ["BAD_SIGNATURE"]),
    ];
    for (const items of [served, swapped]) {
      expect(summary(threadHeads(sodium, items, { streams: ["main"] }))).toEqual([
        ["main", 0xa1, 3, 1, true],
      ]);
    }
  });

  it("a served genuine envelope wins over another remembered copy under the same seq", () => {
    const remembered: EnvelopeHead[] = [
      { stream: "main", signPk: alice, seq: 2, hash: hash(9), pastDamaged: false },
    ];
    const items = [item(0, alice, 1), item(1, alice, 2)];
    expect(summary(threadHeads(sodium, items, { streams: ["main"], remembered }))).toEqual([
      ["main", 0xa1, 2, 2, false],
    ]);
  });

  it("a remembered seq-0 head or a note the help-seeker cannot read is never named", () => {
    const remembered: EnvelopeHead[] = [
      { stream: "main", signPk: alice, seq: 0, hash: new Uint8Array(32), pastDamaged: true },
      { stream: "staff", signPk: bob, seq: 3, hash: hash(9), pastDamaged: false },
    ];
    expect(threadHeads(sodium, [], { streams: ["main"], remembered })).toEqual([]);
    expect(summary(threadHeads(sodium, [], { streams: ["main", "staff"], remembered }))).toEqual([
      ["staff", 0xb0, 3, 9, false],
    ]);
  });
});
