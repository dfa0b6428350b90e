import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { testId, testRandom, threadStory } from "../../test-support/thread-fixtures.js";
import type { EpochKey, EpochRecordBytes, HelplineId, StaffEpochKey, ThreadId } from "../core/brand.js";
import { concat } from "../core/codec.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import { HISTORY_SEALED_BYTES, openHistory, sealHistory } from "./epoch-history.js";
import {
  encodeEpochRecord,
  keyCommit,
  parseEpochRecord,
  signEpochRecord,
  staffCommit,
} from "./epoch-record.js";

let sodium: Sodium;
let story: ReturnType<typeof threadStory>;
beforeAll(async () => {
  sodium = await loadSodium();
  story = threadStory(sodium);
});

describe("epoch record encoding", () => {
  it("round-trips epochs 0, 1 and 2", () => {
    for (const start of [story.e0, story.e1, story.e2]) {
      const parsed = parseEpochRecord(sodium, start.record);
      expect(encodeEpochRecord(sodium, parsed)).toEqual(start.record);
      expect(parsed).toEqual(start.parsed);
    }
  });

  it("lays out epoch 0 as the protocol says: no predecessor, no staff key, no history", () => {
    const r = story.e0.parsed;
    expect(r.epoch).toBe(0);
    expect(r.reason).toBe("open");
    expect(r.prevRecordHash).toEqual(new Uint8Array(32));
    expect(r.staffCommit).toEqual(new Uint8Array(32));
    expect(r.history).toHaveLength(0);
    expect(r.staffHistory).toHaveLength(0);
    expect(story.e1.parsed.history).toHaveLength(HISTORY_SEALED_BYTES);
    expect(story.e1.parsed.staffHistory).toHaveLength(0);
    expect(story.e2.parsed.staffHistory).toHaveLength(HISTORY_SEALED_BYTES);
    expect(story.e2.parsed.prevRecordHash).toEqual(story.e1.parsed.hash);
  });

  it("refuses another version or type, an unknown reason or reader kind, trailing bytes", () => {
    const b = story.e1.record;
    const mutate = (at: number, value: number) => {
      const c = b.slice();
      c[at] = value;
      return c as EpochRecordBytes;
    };
    expect(codeOf(() => parseEpochRecord(sodium, mutate(0, 3)))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => parseEpochRecord(sodium, mutate(0, 1)))).toBe("UNSUPPORTED_VERSION");
    expect(() => parseEpochRecord(sodium, mutate(0, 1))).toThrow(
      /made by protocol 1, which this version no longer reads/,
    );
    expect(codeOf(() => parseEpochRecord(sodium, mutate(1, 1)))).toBe("WRONG_TYPE");
    // rosterHash at 2+16+16+4+32+4 = 74; reason at 74+32 = 106; first reader kind at 106+1+8+32+32+2 = 181
    expect(b.subarray(74, 106)).toEqual(story.h.roster.hash);
    expect(codeOf(() => parseEpochRecord(sodium, mutate(106, 0)))).toBe("MALFORMED");
    expect(codeOf(() => parseEpochRecord(sodium, mutate(106, 7)))).toBe("MALFORMED");
    expect(codeOf(() => parseEpochRecord(sodium, mutate(181, 3)))).toBe("MALFORMED");
    const longer = new Uint8Array(b.length + 1);
    longer.set(b);
    expect(codeOf(() => parseEpochRecord(sodium, longer as EpochRecordBytes))).toBe("MALFORMED");
    expect(codeOf(() => parseEpochRecord(sodium, b.slice(0, -1) as EpochRecordBytes))).toBe("MALFORMED");
  });

  it("carries the signer's heads (sorted, both streams) from epoch 1 on, and none in epoch 0", () => {
    const r1 = story.e1.parsed;
    const signer = story.h.people.ines.signing;
    const seekerPk = story.h.seeker.signing.publicKey;
    const heads = [
      {
        stream: "staff" as const,
        signPk: signer.publicKey,
        seq: 2,
        hash: new Uint8Array(32).fill(2),
        pastDamaged: false,
      },
      {
        stream: "main" as const,
        signPk: seekerPk,
        seq: 1,
        hash: new Uint8Array(32).fill(1),
        pastDamaged: true,
      },
    ];
    const parsed = parseEpochRecord(sodium, signEpochRecord(sodium, { ...r1, heads }, signer));
    expect(parsed.heads).toEqual([heads[1], heads[0]]);
    const r0 = story.e0.parsed;
    expect(codeOf(() => signEpochRecord(sodium, { ...r0, heads }, story.h.seeker.signing))).toBe("MALFORMED");
  });

  it("refuses fields that do not fit the epoch, unsorted readers and a shared box key", () => {
    const r1 = story.e1.parsed;
    const signer = story.h.people.ines.signing;
    const sign = (patch: Partial<typeof r1>) =>
      codeOf(() => signEpochRecord(sodium, { ...r1, ...patch }, signer));
    expect(sign({})).toBeUndefined();
    expect(sign({ staffHistory: story.e2.parsed.staffHistory })).toBe("MALFORMED");
    expect(sign({ history: new Uint8Array(0) })).toBe("MALFORMED");
    expect(sign({ epoch: 0 })).toBe("MALFORMED");
    const [a, b] = r1.readers;
    expect(sign({ readers: [a!, { ...b!, boxPk: a!.boxPk }] })).toBe("MALFORMED");
    expect(sign({ readers: [a!, { ...b!, kind: b!.kind === "seeker" ? "staff" : "seeker" }] })).toBe(
      "MALFORMED",
    );
    // encodeEpochRecord keeps the given order, so unsorted readers reach the shape check.
    const reversed = { ...story.e1.parsed, readers: [...r1.readers].reverse() };
    expect(codeOf(() => encodeEpochRecord(sodium, reversed))).toBe("MALFORMED");
  });
});

describe("epoch record shape: what a hostile server may hand over", () => {
  // Layout offsets (see the reason/reader comment above): epoch at 34, prevRecordHash at 38,
  // staffCommit at 147, the first reader at 181 (81 bytes each: kind, memberId, signPk at +17,
  // boxPk at +49). Records with no heads end with u32 len | history | u32 len | staffHistory |
  // signerPk (32) | signature (64).
  const parse = (bytes: Uint8Array) => codeOf(() => parseEpochRecord(sodium, bytes as EpochRecordBytes));
  const u32 = (n: number) => new Uint8Array([n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255]);

  /** Epoch 1 (history, no staff history, no heads) relabelled as epoch 0 with the chosen leftovers. */
  function asEpoch0(keep: { prev?: boolean; staffCommit?: boolean; history: "none" | "main" | "staff" }) {
    const b = story.e1.record;
    expect(story.e1.parsed.heads).toHaveLength(0);
    const n = b.length;
    const h = HISTORY_SEALED_BYTES;
    const history = b.slice(n - 100 - h, n - 100);
    expect(history).toEqual(story.e1.parsed.history);
    const tail = b.slice(n - 96);
    const histories =
      keep.history === "none"
        ? concat(u32(0), u32(0))
        : keep.history === "main"
          ? concat(u32(HISTORY_SEALED_BYTES), history, u32(0))
          : concat(u32(0), u32(HISTORY_SEALED_BYTES), history);
    const out = concat(b.slice(0, n - 104 - h), histories, tail);
    out.set(u32(0), 34);
    if (!keep.prev) out.fill(0, 38, 70);
    if (!keep.staffCommit) out.fill(0, 147, 179);
    return out;
  }

  it("refuses an epoch 0 that carries a previous hash, a staff commitment or either history", () => {
    expect(parse(asEpoch0({ history: "none" }))).toBeUndefined();
    expect(parse(asEpoch0({ prev: true, history: "none" }))).toBe("MALFORMED");
    expect(parse(asEpoch0({ staffCommit: true, history: "none" }))).toBe("MALFORMED");
    expect(parse(asEpoch0({ history: "main" }))).toBe("MALFORMED");
    expect(parse(asEpoch0({ history: "staff" }))).toBe("MALFORMED");
    // The same for a signer building one: its client refuses to sign it.
    const r0 = story.e0.parsed;
    const seeker = story.h.seeker.signing;
    const staffHistory = story.e2.parsed.staffHistory;
    expect(codeOf(() => signEpochRecord(sodium, { ...r0, staffHistory }, seeker))).toBe("MALFORMED");
  });

  it("refuses a signing key listed twice, even with two different box keys", () => {
    const b = story.e1.record.slice();
    const first = 181 + 17;
    const second = 181 + 81 + 17;
    expect(parse(b)).toBeUndefined();
    b.set(b.slice(first, first + 32), second);
    const readers = story.e1.parsed.readers;
    expect(readers[0]!.boxPk).not.toEqual(readers[1]!.boxPk);
    expect(parse(b)).toBe("MALFORMED");
  });

  it("tells box keys apart whose bytes would read alike run together (1,23 and 12,3)", () => {
    const b = story.e1.record.slice();
    const boxA = new Uint8Array(32);
    boxA.set([1, 23]);
    const boxB = new Uint8Array(32);
    boxB.set([12, 3]);
    b.set(boxA, 181 + 49);
    b.set(boxB, 181 + 81 + 49);
    const parsed = parseEpochRecord(sodium, b as EpochRecordBytes);
    expect(parsed.readers[0]!.boxPk).toEqual(boxA);
    expect(parsed.readers[1]!.boxPk).toEqual(boxB);
  });

  it("refuses to encode a 63-byte signature", () => {
    const r1 = story.e1.parsed;
    expect(codeOf(() => encodeEpochRecord(sodium, { ...r1, signature: r1.signature.slice(0, 63) }))).toBe(
      "MALFORMED",
    );
  });
});

describe("key commitments", () => {
  it("bind the key to the thread and the epoch, and separate main from staff keys", () => {
    const thread = story.threadId;
    const other = testId<ThreadId>(sodium, 99, "thread");
    const key = new Uint8Array(32).fill(5) as EpochKey;
    const c = keyCommit(sodium, thread, 3, key);
    expect(c).toHaveLength(32);
    expect(keyCommit(sodium, thread, 3, key)).toEqual(c);
    expect(keyCommit(sodium, other, 3, key)).not.toEqual(c);
    expect(keyCommit(sodium, thread, 4, key)).not.toEqual(c);
    expect(keyCommit(sodium, thread, 3, new Uint8Array(32).fill(6) as EpochKey)).not.toEqual(c);
    expect(staffCommit(sodium, thread, 3, key as Uint8Array as StaffEpochKey)).not.toEqual(c);
  });
});

describe("epoch history", () => {
  it("opens only with the newer key and in its own helpline, thread and epoch", () => {
    const random = testRandom(sodium, 5);
    const ctx = { helplineId: story.h.helplineId, threadId: story.threadId, epoch: 3 };
    const newer = random(32);
    const older = random(32);
    const sealed = sealHistory(sodium, ctx, newer, older, random);
    expect(sealed).toHaveLength(HISTORY_SEALED_BYTES);
    expect(openHistory(sodium, ctx, newer, sealed)).toEqual(older);
    expect(codeOf(() => openHistory(sodium, ctx, older, sealed))).toBe("DECRYPT_FAILED");
    expect(codeOf(() => openHistory(sodium, { ...ctx, epoch: 2 }, newer, sealed))).toBe("DECRYPT_FAILED");
    const otherThread = { ...ctx, threadId: testId<ThreadId>(sodium, 9, "thread") };
    expect(codeOf(() => openHistory(sodium, otherThread, newer, sealed))).toBe("DECRYPT_FAILED");
    const otherHelpline = { ...ctx, helplineId: testId<HelplineId>(sodium, 9, "helpline") };
    expect(codeOf(() => openHistory(sodium, otherHelpline, newer, sealed))).toBe("DECRYPT_FAILED");
  });
});
