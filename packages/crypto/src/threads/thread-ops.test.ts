import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { grantFor, NOW, person, threadStory } from "../../test-support/thread-fixtures.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import type { Roster } from "../core/types.js";
import { nextRoster, parseRoster } from "../roster/roster.js";
import { openHistory } from "./epoch-history.js";
import { verifyEpochChain } from "./epoch-verify.js";
import { parseGrant } from "./grant.js";
import { openGrant } from "./grant-open.js";
import { applyRosterChange, reassignThread, removeReader } from "./thread-ops.js";
import { walkBackHistory } from "./walk-back-history.js";

let sodium: Sodium;
let s: ReturnType<typeof threadStory>;
beforeAll(async () => {
  sodium = await loadSodium();
  s = threadStory(sodium);
});

const names = (start: typeof s.e0) =>
  start.parsed.readers
    .map((r) =>
      r.kind === "seeker" ? "seeker" : s.h.roster.members.find((m) => m.memberId === r.memberId)!.displayName,
    )
    .sort();

function contains(haystack: Uint8Array, needle: Uint8Array): boolean {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

describe("claim and reassign", () => {
  it("a claim gives the thread to the claimer and the supervisors only", () => {
    expect(s.e1.parsed.reason).toBe("claim");
    expect(names(s.e1)).toEqual(["Ines", "Vera", "Wim", "seeker"]);
    expect(grantFor(sodium, s.e1, s.h.people.ines.box)).toEqual(s.e1.keys);
    expect(s.e1.keys.staffKey).toBeDefined();
  });

  it("a reassigned counsellor gets no grant and cannot reach the new keys from anything she holds", () => {
    expect(names(s.e2)).toEqual(["Anna", "Vera", "Wim", "seeker"]);
    const ines = s.h.people.ines;
    expect(grantFor(sodium, s.e2, ines.box)).toBeUndefined();
    for (const g of s.e2.grants) {
      expect(codeOf(() => openGrant(sodium, g, s.e2.parsed, ines.box))).toBe("NOT_A_READER");
      expect(() =>
        sodium.crypto_box_seal_open(parseGrant(sodium, g).sealed, ines.box.publicKey, ines.box.secretKey),
      ).toThrow();
    }
    // Everything Ines holds: her keys of epochs 0 and 1 and her box secret key.
    const k0 = grantFor(sodium, s.e0, ines.box)!;
    const k1 = grantFor(sodium, s.e1, ines.box)!;
    const material = [k0.key, k1.key, k1.staffKey!, ines.box.secretKey];
    const ctx = { helplineId: s.h.helplineId, threadId: s.threadId, epoch: 2 };
    for (const k of material) {
      expect(codeOf(() => openHistory(sodium, ctx, k, s.e2.parsed.history))).toBe("DECRYPT_FAILED");
      expect(codeOf(() => openHistory(sodium, ctx, k, s.e2.parsed.staffHistory))).toBe("DECRYPT_FAILED");
    }
    // Nor does K2 or S2 appear anywhere in the bytes she can see.
    const seen = [
      s.e0.record,
      s.e1.record,
      s.e2.record,
      ...s.e0.grants,
      ...s.e1.grants,
      ...s.e2.grants,
      ...material,
    ];
    for (const secret of [s.e2.keys.key, s.e2.keys.staffKey!]) {
      expect(seen.some((b) => contains(b, secret))).toBe(false);
    }
    // Walking from her newest keys stops at epoch 1.
    expect(walkBackHistory(sodium, [s.e0.parsed, s.e1.parsed, s.e2.parsed], k1).map((k) => k.epoch)).toEqual([
      0, 1,
    ]);
  });

  it("the new counsellor walks back to epoch 0, main and staff keys", () => {
    const anna = grantFor(sodium, s.e2, s.h.people.anna.box)!;
    const all = walkBackHistory(sodium, [s.e0.parsed, s.e1.parsed, s.e2.parsed], anna);
    expect(all).toEqual([s.e0.keys, s.e1.keys, s.e2.keys]);
  });

  it("the help-seeker opens every epoch's main key but never a staff key", () => {
    const seekerKeys = [s.e0, s.e1, s.e2].map((e) => grantFor(sodium, e, s.h.seeker.box)!);
    expect(seekerKeys).toEqual(
      [0, 1, 2].map((epoch) => ({ epoch, key: [s.e0, s.e1, s.e2][epoch]!.keys.key })),
    );
    const walked = walkBackHistory(sodium, [s.e0.parsed, s.e1.parsed, s.e2.parsed], seekerKeys[2]!);
    expect(walked).toEqual(seekerKeys);
    expect(walked.every((k) => k.staffKey === undefined)).toBe(true);
    const ctx = { helplineId: s.h.helplineId, threadId: s.threadId, epoch: 2 };
    for (const k of seekerKeys) {
      expect(codeOf(() => openHistory(sodium, ctx, k.key, s.e2.parsed.staffHistory))).toBe("DECRYPT_FAILED");
    }
  });
});

describe("removeReader", () => {
  it("removes one of two counsellors; the other keeps reading and walks back", () => {
    const { vera, wim, anna, bram } = s.h.people;
    const e3 = reassignThread(sodium, {
      prev: s.e2.parsed,
      prevKeys: grantFor(sodium, s.e2, vera.box)!,
      roster: s.h.roster,
      signer: vera.signing,
      to: [anna.member, bram.member],
      random: s.random,
      now: NOW + 3,
      heads: [],
    });
    expect(names(e3)).toEqual(["Anna", "Bram", "Vera", "Wim", "seeker"]);
    const e4 = removeReader(sodium, {
      prev: e3.parsed,
      prevKeys: grantFor(sodium, e3, wim.box)!,
      roster: s.h.roster,
      signer: wim.signing,
      member: bram.member.memberId,
      random: s.random,
      now: NOW + 4,
      heads: [],
    });
    expect(e4.parsed.reason).toBe("remove");
    expect(names(e4)).toEqual(["Anna", "Vera", "Wim", "seeker"]);
    expect(grantFor(sodium, e4, bram.box)).toBeUndefined();
    const bramKeys = grantFor(sodium, e3, bram.box)!;
    const ctx = { helplineId: s.h.helplineId, threadId: s.threadId, epoch: 4 };
    expect(codeOf(() => openHistory(sodium, ctx, bramKeys.key, e4.parsed.history))).toBe("DECRYPT_FAILED");
    expect(codeOf(() => openHistory(sodium, ctx, bramKeys.staffKey!, e4.parsed.staffHistory))).toBe(
      "DECRYPT_FAILED",
    );
    const records = verifyEpochChain(
      sodium,
      [s.e0, s.e1, s.e2, e3, e4].map((e) => e.record),
      {
        helplineId: s.h.helplineId,
        threadId: s.threadId,
        rosters: s.rosters,
      },
    );
    const annaAll = walkBackHistory(sodium, records, grantFor(sodium, e4, anna.box)!);
    expect(annaAll.map((k) => k.key)).toEqual([s.e0, s.e1, s.e2, e3, e4].map((e) => e.keys.key));
  });

  it("refuses a counsellor removing someone, and removing a non-reader", () => {
    const { anna, vera, bram } = s.h.people;
    const base = { prev: s.e2.parsed, roster: s.h.roster, random: s.random, now: NOW, heads: [] };
    const byAnna = () =>
      removeReader(sodium, {
        ...base,
        prevKeys: grantFor(sodium, s.e2, anna.box)!,
        signer: anna.signing,
        member: vera.member.memberId,
      });
    expect(codeOf(byAnna)).toBe("SIGNER_NOT_ALLOWED");
    const notReader = () =>
      removeReader(sodium, {
        ...base,
        prevKeys: grantFor(sodium, s.e2, vera.box)!,
        signer: vera.signing,
        member: bram.member.memberId,
      });
    expect(codeOf(notReader)).toBe("NOT_A_READER");
  });

  it("refuses prevKeys that do not belong to the previous epoch", () => {
    const { vera, anna } = s.h.people;
    const run = () =>
      reassignThread(sodium, {
        prev: s.e2.parsed,
        prevKeys: { ...s.e1.keys, epoch: 2 },
        roster: s.h.roster,
        signer: vera.signing,
        to: anna.member,
        random: s.random,
        now: NOW,
        heads: [],
      });
    expect(codeOf(run)).toBe("KEY_COMMITMENT_MISMATCH");
  });
});

describe("applyRosterChange", () => {
  it("drops readers who left the roster and adds new supervisors", () => {
    const zoe = person(sodium, 80, "supervisor", false, "Zoe");
    const v2: Roster = parseRoster(
      sodium,
      nextRoster(
        sodium,
        s.h.roster,
        { remove: [s.h.people.anna.member.memberId], add: [zoe.member] },
        s.h.root,
        NOW + 9,
      ),
    );
    const e3 = applyRosterChange(sodium, {
      prev: s.e2.parsed,
      prevKeys: grantFor(sodium, s.e2, s.h.people.vera.box)!,
      roster: v2,
      signer: s.h.people.vera.signing,
      random: s.random,
      now: NOW + 10,
      heads: [],
    });
    expect(e3.parsed.rosterVersion).toBe(2);
    expect(e3.parsed.reason).toBe("roster-change");
    const ids = e3.parsed.readers.map((r) => r.memberId);
    expect(ids).toContain(zoe.member.memberId);
    expect(ids).not.toContain(s.h.people.anna.member.memberId);
    expect(grantFor(sodium, e3, zoe.box)).toEqual(e3.keys);
  });
});
