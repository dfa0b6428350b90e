import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { helpline, NOW, person, rootKeys } from "../../test-support/thread-fixtures.js";
import type { MemberId, RosterBytes } from "../core/brand.js";
import { compareBytes } from "../core/byte-order.js";
import { idToBytes } from "../core/ids.js";

import type { Sodium } from "../core/sodium.js";
import { loadSodium } from "../core/sodium.js";
import type { RosterMember } from "../core/types.js";
import { encodeRoster, nextRoster, parseRoster, ROSTER_VERSION, signRoster } from "./roster.js";

let sodium: Sodium;
let h: ReturnType<typeof helpline>;
beforeAll(async () => {
  sodium = await loadSodium();
  h = helpline(sodium);
});

function draft(members: RosterMember[]) {
  return { helplineId: h.helplineId, version: 1, prevHash: new Uint8Array(32), issuedAt: NOW, members };
}

describe("roster encoding", () => {
  it("round-trips: encode(parse(bytes)) is bytes, and fields come back", () => {
    const parsed = parseRoster(sodium, h.rosterBytes);
    expect(encodeRoster(sodium, parsed)).toEqual(h.rosterBytes);
    expect(parsed.helplineId).toBe(h.helplineId);
    expect(parsed.version).toBe(1);
    expect(parsed.issuedAt).toBe(NOW);
    expect(parsed.rootPk).toEqual(h.root.publicKey);
    expect(parsed.members).toHaveLength(6);
    expect(parsed.hash).toHaveLength(32);
    const wim = parsed.members.find((m) => m.displayName === "Wim");
    expect(wim).toEqual(h.people.wim.member);
  });

  it("sorts members by memberId bytes, not by insertion or base64 order", () => {
    const ids = parseRoster(sodium, h.rosterBytes).members.map((m) => idToBytes(sodium, m.memberId));
    for (let i = 1; i < ids.length; i++) {
      expect(compareBytes(ids[i - 1]!, ids[i]!)).toBeLessThan(0);
    }
  });

  it("refuses another version, another type, truncation and trailing bytes", () => {
    const b = h.rosterBytes;
    const other = b.slice();
    other[0] = ROSTER_VERSION + 1;
    expect(codeOf(() => parseRoster(sodium, other as RosterBytes))).toBe("UNSUPPORTED_VERSION");
    // A protocol-1 roster is refused with a message that says so.
    const v1 = b.slice();
    v1[0] = 0x01;
    expect(() => parseRoster(sodium, v1 as RosterBytes)).toThrow(/made by protocol 1/);
    expect(codeOf(() => parseRoster(sodium, v1 as RosterBytes))).toBe("UNSUPPORTED_VERSION");
    const grantType = b.slice();
    grantType[1] = 0x03;
    expect(codeOf(() => parseRoster(sodium, grantType as RosterBytes))).toBe("WRONG_TYPE");
    expect(codeOf(() => parseRoster(sodium, b.slice(0, -1) as RosterBytes))).toBe("MALFORMED");
    const longer = new Uint8Array(b.length + 1);
    longer.set(b);
    expect(codeOf(() => parseRoster(sodium, longer as RosterBytes))).toBe("MALFORMED");
    expect(codeOf(() => parseRoster(sodium, new Uint8Array(0) as RosterBytes))).toBe("MALFORMED");
  });

  it("refuses an unknown role byte and unknown flag bits", () => {
    // The first member's role byte sits after the header (2+16+4+32+8+32+2 = 96) and its id (16).
    const role = h.rosterBytes.slice();
    role[112] = 3;
    expect(codeOf(() => parseRoster(sodium, role as RosterBytes))).toBe("MALFORMED");
    const flags = h.rosterBytes.slice();
    flags[113] = 0x02;
    expect(codeOf(() => parseRoster(sodium, flags as RosterBytes))).toBe("MALFORMED");
  });
});

describe("signRoster rules", () => {
  const invalid = (members: RosterMember[], extra: Partial<ReturnType<typeof draft>> = {}) =>
    codeOf(() => signRoster(sodium, { ...draft(members), ...extra }, h.root));

  it("accepts a minimal roster of one supervisor", () => {
    expect(invalid([h.people.vera.member])).toBeUndefined();
  });

  it("needs at least one supervisor", () => {
    expect(invalid([h.people.anna.member])).toBe("ROSTER_INVALID");
    expect(invalid([])).toBe("ROSTER_INVALID");
  });

  it("refuses duplicate member ids, signing keys and box keys", () => {
    const { vera, anna } = h.people;
    expect(invalid([vera.member, { ...anna.member, memberId: vera.member.memberId }])).toBe("ROSTER_INVALID");
    expect(invalid([vera.member, { ...anna.member, signPk: vera.member.signPk }])).toBe("ROSTER_INVALID");
    expect(invalid([vera.member, { ...anna.member, boxPk: vera.member.boxPk }])).toBe("ROSTER_INVALID");
  });

  it("checks display names: 1..64 bytes of well-formed UTF-8", () => {
    const v = h.people.vera.member;
    expect(invalid([{ ...v, displayName: "" }])).toBe("ROSTER_INVALID");
    expect(invalid([{ ...v, displayName: "x".repeat(65) }])).toBe("ROSTER_INVALID");
    expect(invalid([{ ...v, displayName: "é".repeat(33) }])).toBe("ROSTER_INVALID"); // 66 bytes
    expect(invalid([{ ...v, displayName: "é".repeat(32) }])).toBeUndefined(); // 64 bytes
    expect(invalid([{ ...v, displayName: "bad\ud800" }])).toBe("ROSTER_INVALID");
  });

  it("refuses an unknown role and the reserved zero member id", () => {
    const v = h.people.vera.member;
    expect(invalid([v, { ...h.people.anna.member, role: "admin" as RosterMember["role"] }])).toBe(
      "ROSTER_INVALID",
    );
    expect(invalid([v, { ...h.people.anna.member, memberId: "AAAAAAAAAAAAAAAAAAAAAA" as MemberId }])).toBe(
      "ROSTER_INVALID",
    );
  });

  it("ties the previous hash to the version", () => {
    const v = [h.people.vera.member];
    expect(invalid(v, { version: 0 })).toBe("ROSTER_INVALID");
    expect(invalid(v, { prevHash: new Uint8Array(32).fill(1) })).toBe("ROSTER_INVALID");
    expect(invalid(v, { version: 2 })).toBe("ROSTER_INVALID");
    expect(invalid(v, { version: 2, prevHash: new Uint8Array(32).fill(1) })).toBeUndefined();
  });

  it("refuses a version that is not a u32 of at least 1, whatever the previous hash", () => {
    const v = [h.people.vera.member];
    const linked = new Uint8Array(32).fill(1);
    for (const version of [0, -1, 1.5, 2 ** 32, Number.NaN]) {
      expect(invalid(v, { version, prevHash: linked })).toBe("ROSTER_INVALID");
    }
  });

  it("bounds: the largest u32 version and a one-byte name are fine; short hashes and keys are rule failures", () => {
    const v = h.people.vera.member;
    const linked = new Uint8Array(32).fill(1);
    expect(invalid([v], { version: 0xffffffff, prevHash: linked })).toBeUndefined();
    expect(invalid([{ ...v, displayName: "A" }])).toBeUndefined();
    expect(invalid([v], { version: 2, prevHash: linked.subarray(1) })).toBe("ROSTER_INVALID");
    expect(invalid([{ ...v, signPk: v.signPk.subarray(1) as typeof v.signPk }])).toBe("ROSTER_INVALID");
    expect(invalid([{ ...v, boxPk: v.boxPk.subarray(1) as typeof v.boxPk }])).toBe("ROSTER_INVALID");
  });

  it("refuses to encode a signature that is not 64 bytes", () => {
    const parsed = parseRoster(sodium, h.rosterBytes);
    expect(codeOf(() => encodeRoster(sodium, { ...parsed, signature: parsed.signature.subarray(1) }))).toBe(
      "MALFORMED",
    );
  });

  it("refuses a root secret key that does not match its public key", () => {
    const mixed = { publicKey: h.root.publicKey, secretKey: rootKeys(sodium, 2).secretKey };
    expect(codeOf(() => signRoster(sodium, draft([h.people.vera.member]), mixed))).toBe("ROSTER_WRONG_ROOT");
  });
});

describe("nextRoster", () => {
  it("increments the version, links the previous hash and applies changes", () => {
    const newcomer = person(sodium, 50, "counsellor", false, "Noor");
    const v2 = parseRoster(
      sodium,
      nextRoster(
        sodium,
        h.roster,
        {
          add: [newcomer.member],
          remove: [h.people.bram.member.memberId],
          replace: [{ ...h.people.anna.member, role: "supervisor" }],
        },
        h.root,
        NOW + 1,
      ),
    );
    expect(v2.version).toBe(2);
    expect(v2.prevHash).toEqual(h.roster.hash);
    expect(v2.issuedAt).toBe(NOW + 1);
    const names = v2.members.map((m) => m.displayName).sort();
    expect(names).toEqual(["Anna", "Cas", "Ines", "Noor", "Vera", "Wim"]);
    expect(v2.members.find((m) => m.displayName === "Anna")?.role).toBe("supervisor");
  });

  it("refuses adding a listed member and removing or replacing an unknown one", () => {
    const stranger = person(sodium, 51, "counsellor", false, "X").member;
    const next = (changes: Parameters<typeof nextRoster>[2]) =>
      codeOf(() => nextRoster(sodium, h.roster, changes, h.root, NOW));
    expect(next({ add: [h.people.anna.member] })).toBe("ROSTER_INVALID");
    expect(next({ remove: [stranger.memberId] })).toBe("ROSTER_INVALID");
    expect(next({ replace: [stranger] })).toBe("ROSTER_INVALID");
    expect(next({ remove: [h.people.vera.member.memberId, h.people.wim.member.memberId] })).toBe(
      "ROSTER_INVALID",
    );
  });
});
