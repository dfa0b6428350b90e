import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { BoxKeyPair, HelplineId, MemberId, SignSecretKey } from "../core/brand.js";
import { newId } from "../core/ids.js";
import { boxKeyPairFromSeed, signKeyPairFromSeed } from "../core/key-pair-from-seed.js";
import { TEAM_REPLIES } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { signWithLabel } from "../core/sign.js";
import { loadSodium } from "../core/sodium.js";
import type { Roster, RosterMember } from "../core/types.js";
import type { SavedReply } from "./saved-replies-payload.js";
import { parseTeamReplies, teamRepliesSigned } from "./team-replies.js";
import { openTeamReplies } from "./team-replies-open.js";
import { sealTeamReplies } from "./team-replies-seal.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(13));
const helplineId = newId<HelplineId>(sodium, random);

interface Person {
  readonly member: RosterMember;
  readonly secretKey: SignSecretKey;
  readonly box: BoxKeyPair;
}
function person(role: "supervisor" | "counsellor"): Person {
  const sign = signKeyPairFromSeed(sodium, random(32));
  const box = boxKeyPairFromSeed(sodium, random(32));
  const member = {
    memberId: newId<MemberId>(sodium, random),
    role,
    intakeReader: false,
    signPk: sign.publicKey,
    boxPk: box.publicKey,
    displayName: role,
  };
  return { member, secretKey: sign.secretKey, box };
}
const sup = person("supervisor");
const sup2 = person("supervisor");
const anna = person("counsellor");
const late = person("counsellor");
// Only version and members matter to these checks; the roster chain is verified by its own code.
const rosterOf = (version: number, people: readonly Person[]) =>
  ({ helplineId, version, members: people.map((p) => p.member) }) as unknown as Roster;
const v3 = rosterOf(3, [sup, sup2, anna]);
const replies: SavedReply[] = [
  { id: newId(sodium, random), title: "Crisis", body: "Bel 113 als het nu niet gaat." },
];
const sealBy = (p: Person, roster: Roster, revision = 4) =>
  sealTeamReplies(
    sodium,
    { helplineId, revision, roster, replies },
    { memberId: p.member.memberId, secretKey: p.secretKey },
    random,
  );
const me = (p: Person) => ({ memberId: p.member.memberId, box: p.box });

describe("team saved replies (type 0x0d)", () => {
  it("every member of the roster opens the set; its fields come back as signed", () => {
    const bytes = sealBy(sup, v3);
    expect([bytes[0], bytes[1]]).toEqual([TEAM_REPLIES.version, TEAM_REPLIES.type]);
    for (const p of [sup, sup2, anna]) {
      const opened = openTeamReplies(sodium, bytes, { helplineId, newest: v3, me: me(p) });
      expect(opened).toMatchObject({ revision: 4, rosterVersion: 3, signer: sup.member.memberId, replies });
      expect([...opened.wrappedFor].sort()).toEqual([sup, sup2, anna].map((x) => x.member.memberId).sort());
    }
    expect(Buffer.from(bytes).includes(Buffer.from("Bel 113"))).toBe(false);
  });

  it("a counsellor cannot seal one, and a set signed by a counsellor is refused: TEAM_REPLIES_SIGNER", () => {
    expect(codeOf(() => sealBy(anna, v3))).toBe("SIGNER_NOT_ALLOWED");
    // A supervisor's id with another signing key (one the roster does not list for them).
    const wrongKey = () =>
      sealTeamReplies(
        sodium,
        { helplineId, revision: 4, roster: v3, replies },
        { memberId: sup.member.memberId, secretKey: sup2.secretKey },
        random,
      );
    expect(codeOf(wrongKey)).toBe("SIGNER_NOT_ALLOWED");
    // Forge: the supervisor's structure re-signed by the counsellor under the counsellor's own id.
    const parsed = parseTeamReplies(sodium, sealBy(sup, v3));
    const signed = teamRepliesSigned(sodium, { ...parsed, signer: anna.member.memberId });
    const forged = new Uint8Array([
      ...signed,
      ...signWithLabel(sodium, TEAM_REPLIES.label, signed, anna.secretKey),
    ]);
    expect(codeOf(() => openTeamReplies(sodium, forged, { helplineId, newest: v3, me: me(anna) }))).toBe(
      "TEAM_REPLIES_SIGNER",
    );
  });

  it("a set of a supervisor who was removed (or demoted) since is refused: TEAM_REPLIES_SIGNER", () => {
    const bytes = sealBy(sup2, v3);
    const v4 = rosterOf(4, [sup, anna]);
    expect(codeOf(() => openTeamReplies(sodium, bytes, { helplineId, newest: v4, me: me(anna) }))).toBe(
      "TEAM_REPLIES_SIGNER",
    );
    const demoted = {
      ...v4,
      members: [sup.member, anna.member, { ...sup2.member, role: "counsellor" }],
    } as unknown as Roster;
    expect(codeOf(() => openTeamReplies(sodium, bytes, { helplineId, newest: demoted, me: me(anna) }))).toBe(
      "TEAM_REPLIES_SIGNER",
    );
  });

  it("a signature by another key under a supervisor's id, or any flipped byte: BAD_SIGNATURE", () => {
    const parsed = parseTeamReplies(sodium, sealBy(sup, v3));
    const signed = teamRepliesSigned(sodium, parsed);
    const forged = new Uint8Array([
      ...signed,
      ...signWithLabel(sodium, TEAM_REPLIES.label, signed, anna.secretKey),
    ]);
    expect(codeOf(() => openTeamReplies(sodium, forged, { helplineId, newest: v3, me: me(anna) }))).toBe(
      "BAD_SIGNATURE",
    );
    const bytes = sealBy(sup, v3);
    for (const at of [21, 60, bytes.length - 80, bytes.length - 1]) {
      const bad = bytes.slice();
      bad[at] = (bad[at] ?? 0) ^ 1;
      expect(codeOf(() => openTeamReplies(sodium, bad, { helplineId, newest: v3, me: me(anna) }))).toBe(
        "BAD_SIGNATURE",
      );
    }
  });

  it("a member admitted after the save has no wrap: TEAM_REPLIES_NOT_SHARED", () => {
    const bytes = sealBy(sup, v3);
    const v4 = rosterOf(4, [sup, sup2, anna, late]);
    expect(codeOf(() => openTeamReplies(sodium, bytes, { helplineId, newest: v4, me: me(late) }))).toBe(
      "TEAM_REPLIES_NOT_SHARED",
    );
  });

  it("a wrap for another member only does not open with this member's box key: DECRYPT_FAILED", () => {
    // The supervisor (or a server that got one signed) lists anna's id beside a key sealed to someone else.
    const swapped = { ...v3, members: [sup.member, { ...anna.member, boxPk: late.member.boxPk }] } as Roster;
    const bytes = sealBy(sup, swapped);
    expect(codeOf(() => openTeamReplies(sodium, bytes, { helplineId, newest: v3, me: me(anna) }))).toBe(
      "DECRYPT_FAILED",
    );
  });

  it("another helpline, a roster this reader has not verified, another type or version", () => {
    const bytes = sealBy(sup, v3);
    const other = newId<HelplineId>(sodium, random);
    expect(
      codeOf(() => openTeamReplies(sodium, bytes, { helplineId: other, newest: v3, me: me(anna) })),
    ).toBe("WRONG_CONTEXT");
    const ahead = sealBy(sup, rosterOf(5, [sup, anna]));
    expect(codeOf(() => openTeamReplies(sodium, ahead, { helplineId, newest: v3, me: me(anna) }))).toBe(
      "ROSTER_ROLLBACK",
    );
    const typed = bytes.slice();
    typed[1] = 0x0c;
    expect(codeOf(() => openTeamReplies(sodium, typed, { helplineId, newest: v3, me: me(anna) }))).toBe(
      "WRONG_TYPE",
    );
    const versioned = bytes.slice();
    versioned[0] = 0x01;
    expect(codeOf(() => openTeamReplies(sodium, versioned, { helplineId, newest: v3, me: me(anna) }))).toBe(
      "UNSUPPORTED_VERSION",
    );
    expect(
      codeOf(() => openTeamReplies(sodium, bytes.subarray(0, 100), { helplineId, newest: v3, me: me(anna) })),
    ).toBe("MALFORMED");
  });

  it("wraps are sorted and unique (one encoding per value)", () => {
    const parsed = parseTeamReplies(sodium, sealBy(sup, v3));
    const [a, b] = parsed.wraps;
    if (a === undefined || b === undefined) throw new Error("fixture");
    expect(
      codeOf(() => teamRepliesSigned(sodium, { ...parsed, wraps: [b, a, ...parsed.wraps.slice(2)] })),
    ).toBe("MALFORMED");
    expect(codeOf(() => teamRepliesSigned(sodium, { ...parsed, wraps: [a, a] }))).toBe("MALFORMED");
  });
});

// Mutation tests (issue 8, docs/PROTOCOL.md §12): what stays in memory after opening, and the error a
// supervisor's client that signs a ciphertext which does not open gets back.
describe("team saved replies: keys and plaintext wiped, failures named", () => {
  /** sodium, recording the AEAD key and every plaintext the AEAD returns. */
  function recording() {
    const seen: Uint8Array[] = [];
    const name = "crypto_aead_xchacha20poly1305_ietf_decrypt";
    const proxy = new Proxy(sodium, {
      get(target, prop, receiver) {
        const value = Reflect.get(target, prop, receiver);
        if (prop !== name || typeof value !== "function") return value;
        return (...args: unknown[]) => {
          seen.push(args.at(-1) as Uint8Array);
          const out = (value as (...a: unknown[]) => Uint8Array).apply(target, args);
          seen.push(out);
          return out;
        };
      },
    });
    return { s: proxy, seen, wiped: () => seen.length > 0 && seen.every((b) => b.every((x) => x === 0)) };
  }

  it("the team key and the padded plaintext are wiped once the replies are read", () => {
    const rec = recording();
    const opened = openTeamReplies(rec.s, sealBy(sup, v3), { helplineId, newest: v3, me: me(anna) });
    expect(opened.replies).toEqual(replies);
    expect(rec.seen).toHaveLength(2);
    expect(rec.wiped()).toBe(true);
  });

  it("a validly signed set whose ciphertext does not open: DECRYPT_FAILED, key wiped", () => {
    const parsed = parseTeamReplies(sodium, sealBy(sup, v3));
    const sealed = parsed.sealed.slice();
    sealed[sealed.length - 1]! ^= 1;
    const signed = teamRepliesSigned(sodium, { ...parsed, sealed });
    const bytes = new Uint8Array([
      ...signed,
      ...signWithLabel(sodium, TEAM_REPLIES.label, signed, sup.secretKey),
    ]);
    const rec = recording();
    expect(codeOf(() => openTeamReplies(rec.s, bytes, { helplineId, newest: v3, me: me(anna) }))).toBe(
      "DECRYPT_FAILED",
    );
    expect(rec.seen).toHaveLength(1);
    expect(rec.wiped()).toBe(true);
  });

  it("a team key sealed to another box key keeps the sealed box's failure as cause", () => {
    const other = { memberId: anna.member.memberId, box: late.box };
    expect(() => openTeamReplies(sodium, sealBy(sup, v3), { helplineId, newest: v3, me: other })).toThrow(
      expect.objectContaining({ code: "DECRYPT_FAILED", cause: expect.any(Error) }),
    );
  });
});
