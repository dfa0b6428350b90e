import { describe, expect, it } from "vitest";
import type { HelplineId, SignPublicKey, ThreadId } from "../core/brand.js";
import { loadSodium } from "../core/sodium.js";
import type { EnvelopeKind } from "../core/types.js";
import { envelopeStream } from "./envelope.js";
import { checkThreadLinks, type LinkEntry } from "./thread-links.js";

const sodium = await loadSodium();
const ZERO = new Uint8Array(32);
const alice = new Uint8Array(32).fill(0xa1) as SignPublicKey;
const bob = new Uint8Array(32).fill(0xb0) as SignPublicKey;

/** Synthetic entries: the link checks look only at sender, seq, epoch, kind and hashes. */
function entries(
  specs: ReadonlyArray<{
    id: number;
    from: SignPublicKey;
    seq: number;
    prev?: number;
    epoch?: number;
    kind?: EnvelopeKind;
  }>,
): LinkEntry[] {
  const hash = (id: number) => new Uint8Array(32).fill(id);
  return specs.map((s, index) => {
    const kind = s.kind ?? "message";
    return {
      index,
      stream: envelopeStream(kind),
      envelope: {
        helplineId: "h" as HelplineId,
        threadId: "t" as ThreadId,
        epoch: s.epoch ?? 1,
        kind,
        senderSignPk: s.from,
        seq: s.seq,
        prevEnvelopeHash: s.prev === undefined ? ZERO : hash(s.prev),
        createdAt: 0,
        sealed: new Uint8Array(0),
        signature: new Uint8Array(64),
        hash: hash(s.id),
      },
    };
  });
}
const reasons = (list: LinkEntry[]) => checkThreadLinks(sodium, list).map((p) => `${p.reason}@${p.index}`);

describe("checkThreadLinks", () => {
  it("accepts concurrent first posts and a later post linking past the sender's own", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: bob, seq: 1 }, // had not seen alice's post
      { id: 3, from: alice, seq: 2, prev: 2 }, // saw both; the last one is bob's
      { id: 4, from: bob, seq: 2, prev: 3 },
    ]);
    expect(reasons(list)).toEqual([]);
  });

  it("keeps the streams apart: a note cannot link into the main stream", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: alice, seq: 1, kind: "note", prev: 1 },
    ]);
    expect(reasons(list)).toEqual(["BROKEN_LINK@1"]);
  });

  it("reports a gap of several seqs once, at the post after the gap", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 4, from: alice, seq: 4, prev: 1 },
    ]);
    const problems = checkThreadLinks(sodium, list);
    expect(problems).toEqual([{ reason: "SEQ_GAP", index: 1, detail: "seq 2..3 missing" }]);
  });

  it("a post with seq > 1 that links to nothing is a fork", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: alice, seq: 2 },
    ]);
    expect(reasons(list)).toEqual(["SENDER_FORK@1"]);
  });

  it("a sender going back to an older epoch than its own previous post is stale", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1, epoch: 2 },
      { id: 2, from: alice, seq: 2, prev: 1, epoch: 1 },
    ]);
    expect(reasons(list)).toEqual(["STALE_EPOCH@1"]);
  });

  it("reports one REORDERED per post even when seq and link both show it", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 3, from: alice, seq: 3, prev: 2 },
      { id: 2, from: alice, seq: 2, prev: 1 },
    ]);
    expect(reasons(list)).toEqual(["REORDERED@1"]);
  });

  it("a second post with the same sender, stream and seq is a DUPLICATE; others may still link to it", () => {
    const list = entries([
      { id: 1, from: alice, seq: 1 },
      { id: 2, from: alice, seq: 1 },
      { id: 3, from: bob, seq: 1, prev: 2 },
    ]);
    expect(reasons(list)).toEqual(["DUPLICATE@1"]);
  });
});
