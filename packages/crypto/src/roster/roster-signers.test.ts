import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { helpline, NOW, person, rootKeys } from "../../test-support/thread-fixtures.js";
import type { HelplineId, RootPublicKey, RosterBytes } from "../core/brand.js";
import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import { nextRoster, parseRoster, signRoster } from "./roster.js";
import { verifyRoster, verifyRosterChain } from "./roster-verify.js";

// Roster v2 signer rules (PROTOCOL.md §3): version 1 by the pinned root; later versions by the current
// root or a supervisor of the roster before; the root changes only by the old root's signature.

let sodium: Sodium;
let h: ReturnType<typeof helpline>;
let trust: { pinnedRoot: RootPublicKey; helplineId: HelplineId };
beforeAll(async () => {
  sodium = await loadSodium();
  h = helpline(sodium);
  trust = { pinnedRoot: h.root.publicKey, helplineId: h.helplineId };
});

describe("who may sign a roster", () => {
  it("a supervisor of the previous roster signs the next one; the root is kept", () => {
    const v2 = nextRoster(
      sodium,
      h.roster,
      { remove: [h.people.cas.member.memberId] },
      h.people.vera.signing,
      NOW,
    );
    const r2 = verifyRoster(sodium, v2, { ...trust, trusted: h.roster });
    expect(r2.signerPk).toEqual(h.people.vera.signing.publicKey);
    expect(r2.rootPk).toEqual(h.root.publicKey);
  });

  it("a counsellor, or any key not a supervisor on the previous roster, is ROSTER_SIGNER_NOT_ALLOWED", () => {
    const byCounsellor = nextRoster(
      sodium,
      h.roster,
      { remove: [h.people.cas.member.memberId] },
      h.people.anna.signing,
      NOW,
    );
    expect(codeOf(() => verifyRoster(sodium, byCounsellor, { ...trust, trusted: h.roster }))).toBe(
      "ROSTER_SIGNER_NOT_ALLOWED",
    );
    const stranger = person(sodium, 77, "supervisor", false, "Server");
    const byStranger = nextRoster(sodium, h.roster, { add: [stranger.member] }, stranger.signing, NOW);
    expect(codeOf(() => verifyRoster(sodium, byStranger, { ...trust, trusted: h.roster }))).toBe(
      "ROSTER_SIGNER_NOT_ALLOWED",
    );
  });

  it("a removed supervisor cannot sign the roster after their removal (with the server's help or not)", () => {
    const v2 = nextRoster(
      sodium,
      h.roster,
      { remove: [h.people.wim.member.memberId] },
      h.people.vera.signing,
      NOW,
    );
    const r2 = verifyRoster(sodium, v2, { ...trust, trusted: h.roster });
    // Wim, removed in v2, signs a v3 that brings himself back.
    const comeback = nextRoster(sodium, r2, { add: [h.people.wim.member] }, h.people.wim.signing, NOW + 1);
    expect(codeOf(() => verifyRosterChain(sodium, [h.rosterBytes, v2, comeback], trust))).toBe(
      "ROSTER_SIGNER_NOT_ALLOWED",
    );
    // His key only validates a roster that forks off before his removal: a second v2, which a
    // device that remembers the real v2 reports as a fork (client) and the server refuses (conflict).
    const fork = nextRoster(
      sodium,
      h.roster,
      { add: [], remove: [h.people.vera.member.memberId] },
      h.people.wim.signing,
      NOW,
    );
    expect(verifyRoster(sodium, fork, { ...trust, trusted: h.roster }).version).toBe(2);
  });

  it("version 1 must be founded by the pinned root, not by a supervisor", () => {
    const bySupervisor = signRoster(
      sodium,
      {
        helplineId: h.helplineId,
        version: 1,
        prevHash: new Uint8Array(32),
        issuedAt: NOW,
        members: h.roster.members,
      },
      h.people.vera.signing,
      h.root.publicKey,
    );
    expect(codeOf(() => verifyRoster(sodium, bySupervisor, trust))).toBe("ROSTER_WRONG_ROOT");
  });

  it("a roster after version 1 cannot be judged without the one before it", () => {
    const v2 = nextRoster(sodium, h.roster, { remove: [h.people.cas.member.memberId] }, h.root, NOW);
    expect(codeOf(() => verifyRoster(sodium, v2, trust))).toBe("ROSTER_CHAIN_BROKEN");
  });
});

describe("root succession", () => {
  it("the old root hands over to a new root; from then on only the new root is the root", () => {
    const newRoot = rootKeys(sodium, 2);
    const v2 = nextRoster(sodium, h.roster, {}, h.root, NOW, newRoot.publicKey);
    const r2 = verifyRoster(sodium, v2, { ...trust, trusted: h.roster });
    expect(r2.rootPk).toEqual(newRoot.publicKey);
    // The new root signs v3 (an emergency roster); the old root no longer may.
    const byNew = nextRoster(sodium, r2, { remove: [h.people.cas.member.memberId] }, newRoot, NOW + 1);
    expect(verifyRosterChain(sodium, [h.rosterBytes, v2, byNew], trust).at(-1)?.version).toBe(3);
    const byOld = nextRoster(sodium, r2, { remove: [h.people.cas.member.memberId] }, h.root, NOW + 1);
    expect(codeOf(() => verifyRoster(sodium, byOld, { ...trust, trusted: r2 }))).toBe(
      "ROSTER_SIGNER_NOT_ALLOWED",
    );
  });

  it("a supervisor (or the server) cannot replace the root: ROSTER_INVALID", () => {
    const attackerRoot = rootKeys(sodium, 66);
    const bySupervisor = nextRoster(sodium, h.roster, {}, h.people.vera.signing, NOW, attackerRoot.publicKey);
    expect(codeOf(() => verifyRoster(sodium, bySupervisor, { ...trust, trusted: h.roster }))).toBe(
      "ROSTER_INVALID",
    );
    // Signed by the would-be new root itself: not a signer the previous roster allows.
    const selfAppointed = nextRoster(sodium, h.roster, {}, attackerRoot, NOW);
    expect(codeOf(() => verifyRoster(sodium, selfAppointed, { ...trust, trusted: h.roster }))).toBe(
      "ROSTER_SIGNER_NOT_ALLOWED",
    );
  });

  it("the signer key is signed: swapping it in the bytes breaks the signature", () => {
    const v2 = nextRoster(
      sodium,
      h.roster,
      { remove: [h.people.cas.member.memberId] },
      h.people.vera.signing,
      NOW,
    );
    const parsed = parseRoster(sodium, v2);
    const at = v2.length - 64 - 32;
    const swapped = v2.slice() as RosterBytes;
    swapped.set(h.people.wim.signing.publicKey, at);
    expect(parsed.signerPk).toEqual(v2.subarray(at, at + 32));
    expect(codeOf(() => verifyRoster(sodium, swapped, { ...trust, trusted: h.roster }))).toBe(
      "BAD_SIGNATURE",
    );
  });
});
