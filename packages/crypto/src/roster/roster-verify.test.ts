import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import {
  boxKeys,
  everySingleBitFlip,
  helpline,
  NOW,
  person,
  rootKeys,
  testId,
} from "../../test-support/thread-fixtures.js";
import type { HelplineId, RootPublicKey, RosterBytes } from "../core/brand.js";
import { concat } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { LABEL } from "../core/labels.js";
import { signWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import type { Roster } from "../core/types.js";
import { encodeRoster, nextRoster, parseRoster, signRoster } from "./roster.js";
import { findMember, findMemberById, rosterIntakeReaders, rosterSupervisors } from "./roster-members.js";
import { verifyRoster, verifyRosterChain } from "./roster-verify.js";

let sodium: Sodium;
let h: ReturnType<typeof helpline>;
let trust: { pinnedRoot: RootPublicKey; helplineId: HelplineId };
let v2: RosterBytes;
let v3: RosterBytes;
beforeAll(async () => {
  sodium = await loadSodium();
  h = helpline(sodium);
  trust = { pinnedRoot: h.root.publicKey, helplineId: h.helplineId };
  v2 = nextRoster(sodium, h.roster, { remove: [h.people.bram.member.memberId] }, h.root, NOW + 1);
  v3 = nextRoster(
    sodium,
    parseRoster(sodium, v2),
    { add: [person(sodium, 60, "counsellor", false, "Dirk").member] },
    h.root,
    NOW + 2,
  );
});

/** Signs arbitrary roster bytes with a root, bypassing signRoster's rules (an attacker or a buggy issuer). */
function resign(bytes: Uint8Array, root = h.root): RosterBytes {
  const body = bytes.slice(0, bytes.length - 64);
  return concat(body, signWithLabel(sodium, LABEL.roster, body, root.secretKey)) as RosterBytes;
}

describe("verifyRoster", () => {
  it("accepts the root's roster and returns it parsed", () => {
    const roster = verifyRoster(sodium, h.rosterBytes, trust);
    expect(roster.members).toHaveLength(6);
    expect(roster.hash).toEqual(h.roster.hash);
  });

  it("rejects every single-bit flip at every byte position", () => {
    const flips = everySingleBitFlip(h.rosterBytes);
    expect(flips.length).toBe(h.rosterBytes.length);
    for (const mutated of flips) {
      expect(() => verifyRoster(sodium, mutated as RosterBytes, trust)).toThrow(CryptoError);
    }
  });

  it("rejects any flipped bit (property)", () => {
    fc.assert(
      fc.property(fc.nat(h.rosterBytes.length - 1), fc.nat(7), (pos, bit) => {
        const mutated = h.rosterBytes.slice();
        mutated[pos] = mutated[pos]! ^ (1 << bit);
        expect(() => verifyRoster(sodium, mutated as RosterBytes, trust)).toThrow(CryptoError);
      }),
      { numRuns: 300 },
    );
  });

  it("refuses a substituted member key, re-signed by another root", () => {
    const attacker = rootKeys(sodium, 66);
    const evil = box(1);
    const members = h.roster.members.map((m) => (m.displayName === "Anna" ? { ...m, boxPk: evil } : m));
    const forged = signRoster(
      sodium,
      { helplineId: h.helplineId, version: 1, prevHash: new Uint8Array(32), issuedAt: NOW, members },
      attacker,
    );
    expect(codeOf(() => verifyRoster(sodium, forged, trust))).toBe("ROSTER_WRONG_ROOT");
    // Naming the real root as root and signer does not help: the signature fails.
    const claimed = encodeRoster(sodium, {
      ...parseRoster(sodium, forged),
      rootPk: h.root.publicKey,
      signerPk: h.root.publicKey,
    });
    expect(codeOf(() => verifyRoster(sodium, claimed, trust))).toBe("BAD_SIGNATURE");
  });

  it("refuses a member key swapped without re-signing", () => {
    const parsed = parseRoster(sodium, h.rosterBytes);
    const members = parsed.members.map((m) => (m.displayName === "Anna" ? { ...m, boxPk: box(2) } : m));
    const swapped = encodeRoster(sodium, { ...parsed, members });
    expect(codeOf(() => verifyRoster(sodium, swapped, trust))).toBe("BAD_SIGNATURE");
  });

  it("refuses a roster of another helpline", () => {
    const other = testId<HelplineId>(sodium, 2, "helpline");
    expect(codeOf(() => verifyRoster(sodium, h.rosterBytes, { ...trust, helplineId: other }))).toBe(
      "WRONG_CONTEXT",
    );
  });

  it("refuses a root-signed roster that breaks the rules", () => {
    const parsed = parseRoster(sodium, h.rosterBytes);
    const noSupervisor = parsed.members.filter((m) => m.role !== "supervisor");
    const bad = resign(encodeRoster(sodium, { ...parsed, members: noSupervisor }));
    expect(codeOf(() => verifyRoster(sodium, bad, trust))).toBe("ROSTER_INVALID");
    const unsorted = resign(encodeRoster(sodium, { ...parsed, members: [...parsed.members].reverse() }));
    expect(codeOf(() => verifyRoster(sodium, unsorted, trust))).toBe("ROSTER_INVALID");
    const dupKey = parsed.members.map((m, i) => (i === 1 ? { ...m, signPk: parsed.members[0]!.signPk } : m));
    const dup = resign(encodeRoster(sodium, { ...parsed, members: dupKey }));
    expect(codeOf(() => verifyRoster(sodium, dup, trust))).toBe("ROSTER_INVALID");
  });

  it("accepts the direct successor of the trusted roster", () => {
    const r2 = verifyRoster(sodium, v2, { ...trust, trusted: h.roster });
    expect(r2.version).toBe(2);
    expect(findMemberById(r2, h.people.bram.member.memberId)).toBeUndefined();
  });

  it("detects rollback: an older or the same version", () => {
    const r2 = verifyRoster(sodium, v2, { ...trust, trusted: h.roster });
    expect(codeOf(() => verifyRoster(sodium, h.rosterBytes, { ...trust, trusted: r2 }))).toBe(
      "ROSTER_ROLLBACK",
    );
    expect(codeOf(() => verifyRoster(sodium, v2, { ...trust, trusted: r2 }))).toBe("ROSTER_ROLLBACK");
  });

  it("detects a broken chain: a skipped version or a fork", () => {
    expect(codeOf(() => verifyRoster(sodium, v3, { ...trust, trusted: h.roster }))).toBe(
      "ROSTER_CHAIN_BROKEN",
    );
    // A second version 2 signed by the root but naming another predecessor.
    const fork = signRoster(
      sodium,
      {
        helplineId: h.helplineId,
        version: 2,
        prevHash: new Uint8Array(32).fill(7),
        issuedAt: NOW,
        members: h.roster.members,
      },
      h.root,
    );
    expect(codeOf(() => verifyRoster(sodium, fork, { ...trust, trusted: h.roster }))).toBe(
      "ROSTER_CHAIN_BROKEN",
    );
  });
});

describe("verifyRoster: each chain check on its own", () => {
  it("a version that skips ahead but names the trusted roster as predecessor is a broken chain", () => {
    const skip = signRoster(
      sodium,
      {
        helplineId: h.helplineId,
        version: 3,
        prevHash: h.roster.hash,
        issuedAt: NOW,
        members: h.roster.members,
      },
      h.root,
    );
    expect(codeOf(() => verifyRoster(sodium, skip, { ...trust, trusted: h.roster }))).toBe(
      "ROSTER_CHAIN_BROKEN",
    );
  });

  it("a trusted roster of another helpline is WRONG_CONTEXT, not a chain to follow", () => {
    const other = { ...h.roster, helplineId: testId<HelplineId>(sodium, 3, "helpline") };
    expect(codeOf(() => verifyRoster(sodium, v2, { ...trust, trusted: other }))).toBe("WRONG_CONTEXT");
  });
});

describe("verifyRosterChain", () => {
  it("verifies the full chain from version 1 without trusted state", () => {
    const chain = verifyRosterChain(sodium, [h.rosterBytes, v2, v3], trust);
    expect(chain.map((r) => r.version)).toEqual([1, 2, 3]);
  });

  it("refuses to start anywhere but version 1 without trusted state", () => {
    expect(codeOf(() => verifyRosterChain(sodium, [v2, v3], trust))).toBe("ROSTER_CHAIN_BROKEN");
    expect(codeOf(() => verifyRosterChain(sodium, [], trust))).toBe("ROSTER_CHAIN_BROKEN");
  });

  it("continues from trusted state, and an empty chain means no news", () => {
    const chain = verifyRosterChain(sodium, [v2, v3], { ...trust, trusted: h.roster });
    expect(chain.map((r) => r.version)).toEqual([2, 3]);
    expect(verifyRosterChain(sodium, [], { ...trust, trusted: h.roster })).toEqual([]);
  });

  it("refuses gaps, reordering and replays inside the chain", () => {
    expect(codeOf(() => verifyRosterChain(sodium, [h.rosterBytes, v3], trust))).toBe("ROSTER_CHAIN_BROKEN");
    expect(codeOf(() => verifyRosterChain(sodium, [h.rosterBytes, v3, v2], trust))).toBe(
      "ROSTER_CHAIN_BROKEN",
    );
    expect(codeOf(() => verifyRosterChain(sodium, [h.rosterBytes, v2, v2], trust))).toBe("ROSTER_ROLLBACK");
  });
});

describe("roster member helpers", () => {
  it("finds members by key and id, and lists supervisors and intake readers", () => {
    const roster: Roster = h.roster;
    expect(findMember(roster, h.people.anna.signing.publicKey)?.displayName).toBe("Anna");
    expect(findMember(roster, h.seeker.signing.publicKey)).toBeUndefined();
    expect(findMemberById(roster, h.people.cas.member.memberId)?.displayName).toBe("Cas");
    expect(
      rosterSupervisors(roster)
        .map((m) => m.displayName)
        .sort(),
    ).toEqual(["Vera", "Wim"]);
    expect(
      rosterIntakeReaders(roster)
        .map((m) => m.displayName)
        .sort(),
    ).toEqual(["Ines", "Wim"]);
  });
});

function box(n: number) {
  return boxKeys(sodium, 900 + n).publicKey;
}
