import { beforeAll, describe, expect, it } from "vitest";
import { grantFor, helpline, NOW, testId, testRandom } from "../../test-support/thread-fixtures.js";
import type { ThreadId } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import { openThread } from "./open-thread.js";
import { regrantCaseload } from "./regrant-caseload.js";
import { claimThread } from "./thread-ops.js";

let sodium: Sodium;
beforeAll(async () => {
  sodium = await loadSodium();
});

describe("regrantCaseload", () => {
  it("moves 50 threads of a leaving counsellor round-robin, reporting progress in order", () => {
    const h = helpline(sodium);
    const random = testRandom(sodium, 42);
    const { ines, vera, anna, bram } = h.people;
    // Ines claimed 50 threads from intake.
    const claimed = Array.from({ length: 50 }, (_, i) => {
      const threadId = testId<ThreadId>(sodium, 1000 + i, "thread");
      const e0 = openThread(sodium, {
        helplineId: h.helplineId,
        threadId,
        roster: h.roster,
        seeker: h.seeker,
        random,
        now: NOW,
      });
      const e1 = claimThread(sodium, {
        prev: e0.parsed,
        prevKeys: grantFor(sodium, e0, ines.box)!,
        roster: h.roster,
        signer: ines.signing,
        random,
        now: NOW + 1,
        heads: [],
      });
      return { e1, prevKeys: grantFor(sodium, e1, vera.box)! };
    });
    const threads = claimed.map((c) => ({ prev: c.e1.parsed, prevKeys: c.prevKeys, heads: [] }));
    // One thread with keys that do not fit: reported, and the others go on.
    threads[7] = { ...threads[7]!, prevKeys: threads[8]!.prevKeys };
    const progress: [number, number][] = [];
    const results = regrantCaseload(sodium, {
      threads,
      to: [anna.member, bram.member],
      roster: h.roster,
      signer: vera.signing,
      random,
      now: NOW + 2,
      onProgress: (done, total) => progress.push([done, total]),
    });
    expect(progress).toEqual(Array.from({ length: 50 }, (_, i) => [i + 1, 50]));
    expect(results).toHaveLength(50);
    results.forEach((r, i) => {
      expect(r.threadId).toBe(threads[i]!.prev.threadId);
      const target = i % 2 === 0 ? anna : bram;
      const other = i % 2 === 0 ? bram : anna;
      expect(r.to.memberId).toBe(target.member.memberId);
      if (i === 7) {
        expect(r.ok).toBe(false);
        if (!r.ok) {
          expect(r.error).toBeInstanceOf(CryptoError);
          expect(r.error.code).toBe("KEY_COMMITMENT_MISMATCH");
        }
        return;
      }
      expect(r.ok).toBe(true);
      if (!r.ok) return;
      expect(r.start.parsed.reason).toBe("reassign");
      expect(grantFor(sodium, r.start, target.box)).toEqual(r.start.keys);
      expect(grantFor(sodium, r.start, other.box)).toBeUndefined();
      expect(grantFor(sodium, r.start, ines.box)).toBeUndefined();
    });
  });

  it("refuses an empty target list", () => {
    const h = helpline(sodium);
    const run = () =>
      regrantCaseload(sodium, {
        threads: [],
        to: [],
        roster: h.roster,
        signer: h.people.vera.signing,
        random: testRandom(sodium),
        now: NOW,
      });
    expect(run).toThrow(CryptoError);
  });
});
