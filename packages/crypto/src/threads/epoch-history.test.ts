import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { aeadSeal } from "../core/aead.js";
import type { HelplineId, ThreadId } from "../core/brand.js";
import { newId } from "../core/ids.js";
import { KDF_CONTEXT } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { historyAd, openHistory, sealHistory } from "./epoch-history.js";

// Mutation tests (issue 8, docs/PROTOCOL.md §12): a history field (the newer epoch's key unlocking the
// previous one) whose keys are not 32 bytes, as a hostile record signer would write it.
const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(61));
const ctx = {
  helplineId: newId<HelplineId>(sodium, random),
  threadId: newId<ThreadId>(sodium, random),
  epoch: 2,
};
const newKey = random(32);
const previousKey = random(32);

describe("epoch history: 32-byte keys only", () => {
  it("round-trips a 32-byte previous key", () => {
    expect(openHistory(sodium, ctx, newKey, sealHistory(sodium, ctx, newKey, previousKey, random))).toEqual(
      previousKey,
    );
  });

  it("refuses to seal a previous key that is not 32 bytes, or under a new key that is not: MALFORMED", () => {
    expect(codeOf(() => sealHistory(sodium, ctx, newKey, previousKey.subarray(1), random))).toBe("MALFORMED");
    expect(codeOf(() => sealHistory(sodium, ctx, newKey.subarray(1), previousKey, random))).toBe("MALFORMED");
    const sealed = sealHistory(sodium, ctx, newKey, previousKey, random);
    expect(codeOf(() => openHistory(sodium, ctx, newKey.subarray(1), sealed))).toBe("MALFORMED");
  });

  it("a history that a hostile signer sealed around 31 bytes opens as MALFORMED, never as a key", () => {
    const historyKey = sodium.crypto_kdf_derive_from_key(32, 1, KDF_CONTEXT.epoch, newKey);
    const short = aeadSeal(sodium, historyKey, previousKey.subarray(1), historyAd(sodium, ctx), random);
    expect(codeOf(() => openHistory(sodium, ctx, newKey, short))).toBe("MALFORMED");
  });
});
