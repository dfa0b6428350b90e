import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { testId, testRandom, threadStory } from "../../test-support/thread-fixtures.js";
import type { EpochKey, EpochRecordBytes, HelplineId, StaffEpochKey, ThreadId } from "../core/brand.js";
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
