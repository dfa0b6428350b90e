import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { NOW, threadStory } from "../../test-support/thread-fixtures.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import { checkEpochKeys } from "./epoch-keys-check.js";
import { reassignThread } from "./thread-ops.js";

let sodium: Sodium;
let s: ReturnType<typeof threadStory>;
beforeAll(async () => {
  sodium = await loadSodium();
  s = threadStory(sodium);
});

describe("checkEpochKeys", () => {
  it("accepts the keys a record commits to", () => {
    expect(codeOf(() => checkEpochKeys(sodium, s.e2.parsed, s.e2.keys))).toBeUndefined();
    expect(codeOf(() => checkEpochKeys(sodium, s.e0.parsed, s.e0.keys))).toBeUndefined();
  });

  it("refuses keys labelled with another epoch, even when the bytes are the record's", () => {
    // The right key under another epoch's label: the commitment alone would pass, the label must not.
    expect(codeOf(() => checkEpochKeys(sodium, s.e2.parsed, { ...s.e2.keys, epoch: 1 }))).toBe(
      "WRONG_CONTEXT",
    );
    // Keys of epoch 1 handed in for epoch 2 are named as the wrong epoch, not as a bad key.
    expect(codeOf(() => checkEpochKeys(sodium, s.e2.parsed, s.e1.keys))).toBe("WRONG_CONTEXT");
    // A client starting the next epoch with the keys of an older one is stopped before it signs.
    const attempt = () =>
      reassignThread(sodium, {
        prev: s.e2.parsed,
        prevKeys: s.e1.keys,
        roster: s.h.roster,
        signer: s.h.people.vera.signing,
        to: s.h.people.bram.member,
        random: s.random,
        now: NOW + 3,
        heads: [],
      });
    expect(codeOf(attempt)).toBe("WRONG_CONTEXT");
  });
});
