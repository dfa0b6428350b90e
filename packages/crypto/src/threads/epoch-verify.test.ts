import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import {
  everySingleBitFlip,
  grantFor,
  NOW,
  testId,
  threadStory,
} from "../../test-support/thread-fixtures.js";
import type { EpochRecordBytes, HelplineId, SignKeyPair, ThreadId } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import type { EpochRecord, Roster } from "../core/types.js";
import { parseEpochRecord, signEpochRecord } from "./epoch-record.js";
import { verifyEpochChain, verifyEpochRecord } from "./epoch-verify.js";
import { assignThread } from "./thread-ops.js";

let sodium: Sodium;
let s: ReturnType<typeof threadStory>;
let ctx: { helplineId: HelplineId; threadId: ThreadId; rosters: (v: number) => Roster | undefined };
beforeAll(async () => {
  sodium = await loadSodium();
  s = threadStory(sodium);
  ctx = { helplineId: s.h.helplineId, threadId: s.threadId, rosters: s.rosters };
});

/** A record like `base` with some fields changed, signed by `signer` (a forger or a confused client). */
function forge(base: EpochRecord, patch: Partial<EpochRecord>, signer: SignKeyPair): EpochRecordBytes {
  return signEpochRecord(sodium, { ...base, ...patch }, signer);
}

function verifyAfter(prev: EpochRecord | undefined, bytes: EpochRecordBytes, rosters = ctx.rosters) {
  return codeOf(() => verifyEpochRecord(sodium, bytes, { ...ctx, rosters, prev }));
}

describe("verifyEpochChain", () => {
  it("accepts open, claim, reassign and returns the records", () => {
    const records = verifyEpochChain(sodium, [s.e0.record, s.e1.record, s.e2.record], ctx);
    expect(records).toEqual([s.e0.parsed, s.e1.parsed, s.e2.parsed]);
    expect(records.map((r) => r.reason)).toEqual(["open", "claim", "reassign"]);
  });

  it("needs epochs 0..n in order, with nothing missing", () => {
    const chain = (...starts: (typeof s.e0)[]) =>
      codeOf(() =>
        verifyEpochChain(
          sodium,
          starts.map((x) => x.record),
          ctx,
        ),
      );
    expect(chain()).toBe("EPOCH_CHAIN_BROKEN");
    expect(chain(s.e1, s.e2)).toBe("EPOCH_CHAIN_BROKEN");
    expect(chain(s.e0, s.e2)).toBe("EPOCH_CHAIN_BROKEN");
    expect(chain(s.e0, s.e2, s.e1)).toBe("EPOCH_CHAIN_BROKEN");
    expect(chain(s.e0, s.e1, s.e1)).toBe("EPOCH_CHAIN_BROKEN");
  });
});

describe("verifyEpochRecord: tampering", () => {
  it("rejects every single-bit flip of epoch 0 and of epoch 2", () => {
    for (const [prev, start] of [
      [undefined, s.e0],
      [s.e1.parsed, s.e2],
    ] as const) {
      for (const mutated of everySingleBitFlip(start.record)) {
        expect(() => verifyEpochRecord(sodium, mutated as EpochRecordBytes, { ...ctx, prev })).toThrow(
          CryptoError,
        );
      }
    }
  });

  it("rejects any flipped bit of a claim record (property)", () => {
    const bytes = s.e1.record;
    fc.assert(
      fc.property(fc.nat(bytes.length - 1), fc.nat(7), (pos, bit) => {
        const mutated = bytes.slice();
        mutated[pos] = mutated[pos]! ^ (1 << bit);
        expect(() =>
          verifyEpochRecord(sodium, mutated as EpochRecordBytes, { ...ctx, prev: s.e0.parsed }),
        ).toThrow(CryptoError);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a record of another thread or helpline", () => {
    const otherThread = testId<ThreadId>(sodium, 77, "thread");
    expect(codeOf(() => verifyEpochRecord(sodium, s.e0.record, { ...ctx, threadId: otherThread }))).toBe(
      "WRONG_CONTEXT",
    );
    const otherHelpline = testId<HelplineId>(sodium, 77, "helpline");
    expect(codeOf(() => verifyEpochRecord(sodium, s.e0.record, { ...ctx, helplineId: otherHelpline }))).toBe(
      "WRONG_CONTEXT",
    );
  });

  it("detects a broken chain: wrong predecessor, fork, missing predecessor", () => {
    expect(verifyAfter(s.e0.parsed, s.e2.record)).toBe("EPOCH_CHAIN_BROKEN");
    expect(verifyAfter(undefined, s.e1.record)).toBe("EPOCH_CHAIN_BROKEN");
    // Another epoch 1 (a supervisor assigning instead of Ines claiming): e2 does not descend from it.
    const fork = assignThread(sodium, {
      prev: s.e0.parsed,
      prevKeys: grantFor(sodium, s.e0, s.h.people.vera.box)!,
      roster: s.h.roster,
      signer: s.h.people.vera.signing,
      to: s.h.people.bram.member,
      random: s.random,
      now: NOW,
      heads: [],
    });
    expect(verifyAfter(fork.parsed, s.e2.record)).toBe("EPOCH_CHAIN_BROKEN");
    expect(
      verifyAfter(
        s.e1.parsed,
        forge(s.e2.parsed, { prevRecordHash: fork.parsed.hash }, s.h.people.vera.signing),
      ),
    ).toBe("EPOCH_CHAIN_BROKEN");
  });

  it("needs the roster the record relies on", () => {
    // A roster beyond the caller's verified chain (the server withholds it): the caller is behind.
    expect(verifyAfter(s.e0.parsed, s.e1.record, () => undefined)).toBe("ROSTER_ROLLBACK");
    const wrong = { ...s.h.roster, version: 9 };
    // A record naming another roster under the same version than the caller's verified chain holds:
    // the signer (say, a help-seeker shown a forked roster) relied on a fork.
    const forked = { ...s.h.roster, hash: new Uint8Array(32).fill(7) };
    expect(verifyAfter(s.e0.parsed, s.e1.record, () => forked)).toBe("ROSTER_FORK");
    expect(verifyAfter(s.e0.parsed, s.e1.record, () => wrong)).toBe("WRONG_CONTEXT");
  });
});

describe("verifyEpochRecord: context and chain a hostile server might bend", () => {
  const otherHelpline = () => testId<HelplineId>(sodium, 78, "helpline");

  it("refuses a record of another helpline even when our own roster is looked up for it", () => {
    // The help-seeker's signature is genuine; only the helpline id says it belongs elsewhere.
    const moved = forge(s.e0.parsed, { helplineId: otherHelpline() }, s.h.seeker.signing);
    expect(verifyAfter(undefined, moved)).toBe("WRONG_CONTEXT");
  });

  it("refuses a roster of another helpline under the same version and hash", () => {
    const foreign = { ...s.h.roster, helplineId: otherHelpline() };
    expect(verifyAfter(s.e0.parsed, s.e1.record, () => foreign)).toBe("WRONG_CONTEXT");
  });

  it("refuses a predecessor of another helpline or thread, even when the link hash matches it", () => {
    const claimAfter = (prev: EpochRecord) =>
      verifyAfter(prev, forge(s.e1.parsed, { prevRecordHash: prev.hash }, s.h.people.ines.signing));
    const sameThreadElsewhere = parseEpochRecord(
      sodium,
      forge(s.e0.parsed, { helplineId: otherHelpline() }, s.h.seeker.signing),
    );
    expect(claimAfter(sameThreadElsewhere)).toBe("WRONG_CONTEXT");
    const otherThread = parseEpochRecord(
      sodium,
      forge(s.e0.parsed, { threadId: testId<ThreadId>(sodium, 78, "thread") }, s.h.seeker.signing),
    );
    expect(claimAfter(otherThread)).toBe("WRONG_CONTEXT");
    // The same claim linked to our own epoch 0 is fine, so only the predecessor's context differs.
    expect(claimAfter(s.e0.parsed)).toBeUndefined();
  });

  it("refuses an epoch that skips one while linking to the record it skips from", () => {
    const skipping = forge(s.e2.parsed, { prevRecordHash: s.e0.parsed.hash }, s.h.people.vera.signing);
    expect(verifyAfter(s.e0.parsed, skipping)).toBe("EPOCH_CHAIN_BROKEN");
  });

  it("names a missing predecessor before looking up the roster", () => {
    // Epoch 1 alone, relying on a roster the server also withholds: the missing epoch 0 is the reason.
    expect(verifyAfter(undefined, s.e1.record, () => undefined)).toBe("EPOCH_CHAIN_BROKEN");
  });
});
