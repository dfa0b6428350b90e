import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { helpline, NOW } from "../../test-support/thread-fixtures.js";
import type { MemberId, SignPublicKey } from "../core/brand.js";
import { loadSodium, type Sodium } from "../core/sodium.js";
import type { RosterMember } from "../core/types.js";
import { signRoster } from "./roster.js";
import { checkRosterRules, ROSTER_MAX_MEMBERS } from "./roster-rules.js";

// Mutation tests (issue 8, docs/PROTOCOL.md §12): a supervisor's client (or anyone holding a signing
// key) that submits a roster at the edges of the rules; the verifier runs the same rules on parse.
let sodium: Sodium;
let h: ReturnType<typeof helpline>;
beforeAll(async () => {
  sodium = await loadSodium();
  h = helpline(sodium);
});

const rules = (members: readonly RosterMember[]) =>
  codeOf(() => checkRosterRules(sodium, { version: 1, prevHash: new Uint8Array(32), members }));

describe("roster rules at their edges", () => {
  it("two different keys are never taken for one key used twice (hex without padding would collide)", () => {
    const { vera, anna } = h.people;
    const tail = new Uint8Array(30).fill(0x55);
    // 01 23 … and 12 03 … differ, but read "123…" alike if a byte's leading zero were dropped.
    const a = Uint8Array.of(0x01, 0x23, ...tail) as SignPublicKey;
    const b = Uint8Array.of(0x12, 0x03, ...tail) as SignPublicKey;
    const members = [vera.member, anna.member].sort((x, y) => (x.memberId < y.memberId ? -1 : 1));
    const sorted = checkSortedPair(members);
    expect(
      rules([
        { ...sorted[0]!, signPk: a },
        { ...sorted[1]!, signPk: b },
      ]),
    ).toBeUndefined();
    expect(
      rules([
        { ...sorted[0]!, boxPk: a as unknown as RosterMember["boxPk"] },
        { ...sorted[1]!, boxPk: b as unknown as RosterMember["boxPk"] },
      ]),
    ).toBeUndefined();
    // The same key twice is still caught.
    expect(
      rules([
        { ...sorted[0]!, signPk: a },
        { ...sorted[1]!, signPk: a },
      ]),
    ).toBe("ROSTER_INVALID");
  });

  it("the member limit: a roster of 65,536 members is ROSTER_INVALID before any member is looked at", () => {
    // Members 2.. carry an id that is no id: looking at them would be MALFORMED, not the limit.
    const bogus = { ...h.people.anna.member, memberId: "not an id" as MemberId };
    const members = [h.people.vera.member, ...new Array<RosterMember>(ROSTER_MAX_MEMBERS).fill(bogus)];
    expect(rules(members)).toBe("ROSTER_INVALID");
    expect(rules(members.slice(0, ROSTER_MAX_MEMBERS))).toBe("MALFORMED");
  });

  it("a signer whose secret key is not 64 bytes: ROSTER_WRONG_ROOT, before any use of it; a short root key: MALFORMED", () => {
    const draft = { helplineId: h.helplineId, version: 1, prevHash: new Uint8Array(32), issuedAt: NOW };
    const short = { publicKey: h.root.publicKey, secretKey: h.root.secretKey.subarray(1) };
    expect(codeOf(() => signRoster(sodium, { ...draft, members: [h.people.vera.member] }, short))).toBe(
      "ROSTER_WRONG_ROOT",
    );
    // A supervisor signing under a root public key that is not 32 bytes: MALFORMED.
    const rootPk = h.root.publicKey.subarray(1) as typeof h.root.publicKey;
    expect(
      codeOf(() => signRoster(sodium, { ...draft, members: [h.people.vera.member] }, h.root, rootPk)),
    ).toBe("MALFORMED");
  });
});

/** The rules want members sorted by id bytes; the fixture ids sort alike as text and bytes here. */
function checkSortedPair(members: RosterMember[]): RosterMember[] {
  if (rules(members) !== undefined) members.reverse();
  expect(rules(members)).toBeUndefined();
  return members;
}
