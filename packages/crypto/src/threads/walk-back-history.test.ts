import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { threadStory } from "../../test-support/thread-fixtures.js";
import type { EpochKey } from "../core/brand.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import { sealHistory } from "./epoch-history.js";
import { walkBackHistory } from "./walk-back-history.js";

let sodium: Sodium;
let s: ReturnType<typeof threadStory>;
beforeAll(async () => {
  sodium = await loadSodium();
  s = threadStory(sodium);
});

describe("walkBackHistory", () => {
  it("returns only the given keys at epoch 0", () => {
    expect(walkBackHistory(sodium, [s.e0.parsed], s.e0.keys)).toEqual([s.e0.keys]);
  });

  it("walks from epoch 1 to K0 (no staff key in epoch 0)", () => {
    expect(walkBackHistory(sodium, [s.e0.parsed, s.e1.parsed], s.e1.keys)).toEqual([s.e0.keys, s.e1.keys]);
  });

  it("refuses keys that are not the record's, and missing or misplaced records", () => {
    const records = [s.e0.parsed, s.e1.parsed, s.e2.parsed];
    expect(codeOf(() => walkBackHistory(sodium, records, { ...s.e2.keys, key: s.e1.keys.key }))).toBe(
      "KEY_COMMITMENT_MISMATCH",
    );
    expect(
      codeOf(() => walkBackHistory(sodium, records, { ...s.e2.keys, staffKey: s.e1.keys.staffKey })),
    ).toBe("KEY_COMMITMENT_MISMATCH");
    expect(codeOf(() => walkBackHistory(sodium, [s.e0.parsed, s.e2.parsed], s.e2.keys))).toBe(
      "EPOCH_CHAIN_BROKEN",
    );
    expect(codeOf(() => walkBackHistory(sodium, [s.e1.parsed, s.e2.parsed], s.e1.keys))).toBe(
      "EPOCH_CHAIN_BROKEN",
    );
  });

  it("detects a history that holds another key than the predecessor committed to", () => {
    const ctx = { helplineId: s.h.helplineId, threadId: s.threadId, epoch: 2 };
    const wrong = sealHistory(sodium, ctx, s.e2.keys.key, new Uint8Array(32).fill(3) as EpochKey, s.random);
    const records = [s.e0.parsed, s.e1.parsed, { ...s.e2.parsed, history: wrong }];
    expect(codeOf(() => walkBackHistory(sodium, records, s.e2.keys))).toBe("KEY_COMMITMENT_MISMATCH");
    const garbage = s.e2.parsed.history.slice();
    garbage[30] = garbage[30]! ^ 1;
    const tampered = [s.e0.parsed, s.e1.parsed, { ...s.e2.parsed, history: garbage }];
    expect(codeOf(() => walkBackHistory(sodium, tampered, s.e2.keys))).toBe("DECRYPT_FAILED");
  });
});
