import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { threadStory } from "../../test-support/thread-fixtures.js";
import type { EpochRecordBytes } from "../core/brand.js";
import { loadSodium } from "../core/sodium.js";
import { readRecordForCounting } from "./record-for-counting.js";

const sodium = await loadSodium();
const s = threadStory(sodium, 22);

describe("readRecordForCounting", () => {
  it("reads the same context, commitments and hash as parseEpochRecord, in every epoch", () => {
    for (const e of [s.e0, s.e1, s.e2]) {
      const { helplineId, threadId, epoch, keyCommit, staffCommit, hash } = e.parsed;
      expect(readRecordForCounting(sodium, e.record)).toEqual({
        helplineId,
        threadId,
        epoch,
        keyCommit,
        staffCommit,
        hash,
      });
    }
  });

  it("refuses another version or type and a record cut inside its head; a changed tail changes the hash", () => {
    const other = s.e0.record.slice() as EpochRecordBytes;
    other[0] = 0x01;
    expect(codeOf(() => readRecordForCounting(sodium, other))).toBe("UNSUPPORTED_VERSION");
    other[0] = s.e0.record[0]!;
    other[1] = 0x09;
    expect(codeOf(() => readRecordForCounting(sodium, other))).toBe("WRONG_TYPE");
    const cut = s.e0.record.slice(0, 2 + 16 + 16 + 4 + 32 + 4 + 32 + 1 + 8 + 32 + 31) as EpochRecordBytes;
    expect(codeOf(() => readRecordForCounting(sodium, cut))).toBe("MALFORMED");
    // A grant names the record by this hash: a byte changed after the head is not a record it names.
    const tail = s.e0.record.slice() as EpochRecordBytes;
    tail[tail.length - 1]! ^= 1;
    expect(readRecordForCounting(sodium, tail).hash).not.toEqual(s.e0.parsed.hash);
  });
});
