import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { everySingleBitFlip, helpline, NOW, person, testId } from "../../test-support/thread-fixtures.js";
import type { HelplineId } from "../core/brand.js";
import { concat } from "../core/codec.js";
import { HELPLINE_PROFILE } from "../core/labels.js";
import { signWithLabel } from "../core/sign.js";
import { loadSodium, type Sodium } from "../core/sodium.js";
import type { Roster } from "../core/types.js";
import {
  type HelplineProfileDraft,
  parseHelplineProfile,
  signHelplineProfile,
  verifyHelplineProfile,
} from "./helpline-profile.js";

let sodium: Sodium;
let h: ReturnType<typeof helpline>;
let draft: HelplineProfileDraft;
let signed: Uint8Array;
beforeAll(async () => {
  sodium = await loadSodium();
  h = helpline(sodium);
  draft = {
    helplineId: h.helplineId,
    tag: 7,
    profileVersion: 3,
    issuedAt: NOW,
    name: "De Hulplijn",
    descriptionNl: "Voor iedereen die even niet verder weet.",
    descriptionEn: "For anyone who is stuck for a while.",
    replyWithinHours: 72,
  };
  signed = signHelplineProfile(sodium, draft, h.people.vera.signing);
});

const trust = () => ({ helplineId: h.helplineId, roster: h.roster });

describe("helpline profile", () => {
  it("round-trips: a supervisor's profile verifies and parses to what was signed", () => {
    const profile = verifyHelplineProfile(sodium, signed, { ...trust(), tag: 7, rememberedVersion: 3 });
    expect(profile).toMatchObject(draft);
    expect(profile.signerPk).toEqual(h.people.vera.signing.publicKey);
    expect(signed[0]).toBe(0x02);
    expect(signed[1]).toBe(0x0b); // the layout with safety options (helpline-safety.test.ts)
  });

  it("accepts the current root as signer (an emergency edit)", () => {
    const byRoot = signHelplineProfile(sodium, draft, h.root);
    expect(verifyHelplineProfile(sodium, byRoot, trust()).name).toBe("De Hulplijn");
  });

  it("refuses every single-bit flip (an altered profile)", () => {
    for (const mutated of everySingleBitFlip(signed)) {
      expect(() => verifyHelplineProfile(sodium, mutated, { ...trust(), tag: 7 })).toThrow();
    }
  });

  it("refuses a profile whose text was altered and that kept its signature: BAD_SIGNATURE", () => {
    const altered = signHelplineProfile(sodium, { ...draft, name: "De Andere Lijn" }, h.people.vera.signing);
    const forged = concat(altered.subarray(0, altered.length - 64), signed.subarray(signed.length - 64));
    expect(codeOf(() => verifyHelplineProfile(sodium, forged, trust()))).toBe("BAD_SIGNATURE");
  });

  it("refuses a profile without a signature (the server's own text): MALFORMED", () => {
    expect(codeOf(() => verifyHelplineProfile(sodium, signed.subarray(0, signed.length - 64), trust()))).toBe(
      "MALFORMED",
    );
  });

  it("refuses a counsellor, a removed supervisor and another helpline's supervisor: PROFILE_SIGNER_NOT_ALLOWED", () => {
    const byCounsellor = signHelplineProfile(sodium, draft, h.people.ines.signing);
    expect(codeOf(() => verifyHelplineProfile(sodium, byCounsellor, trust()))).toBe(
      "PROFILE_SIGNER_NOT_ALLOWED",
    );
    // Vera removed in the newest roster: her key signs no profile any more.
    const withoutVera: Roster = {
      ...h.roster,
      version: 2,
      members: h.roster.members.filter((m) => m.memberId !== h.people.vera.member.memberId),
    };
    expect(codeOf(() => verifyHelplineProfile(sodium, signed, { ...trust(), roster: withoutVera }))).toBe(
      "PROFILE_SIGNER_NOT_ALLOWED",
    );
    const stranger = person(sodium, 77, "supervisor", false, "Elders");
    const byStranger = signHelplineProfile(sodium, draft, stranger.signing);
    expect(codeOf(() => verifyHelplineProfile(sodium, byStranger, trust()))).toBe(
      "PROFILE_SIGNER_NOT_ALLOWED",
    );
  });

  it("refuses another helpline's profile served for this one: WRONG_CONTEXT", () => {
    const otherId = testId<HelplineId>(sodium, 2, "helpline");
    const other = signHelplineProfile(sodium, { ...draft, helplineId: otherId }, h.people.vera.signing);
    expect(codeOf(() => verifyHelplineProfile(sodium, other, trust()))).toBe("WRONG_CONTEXT");
  });

  it("refuses a code routed to a helpline that signed another tag: PROFILE_TAG_MISMATCH", () => {
    expect(codeOf(() => verifyHelplineProfile(sodium, signed, { ...trust(), tag: 8 }))).toBe(
      "PROFILE_TAG_MISMATCH",
    );
  });

  it("refuses a profile older than the remembered version: PROFILE_ROLLBACK", () => {
    expect(codeOf(() => verifyHelplineProfile(sodium, signed, { ...trust(), rememberedVersion: 4 }))).toBe(
      "PROFILE_ROLLBACK",
    );
  });

  it("refuses version 0x01 (there is no protocol-1 profile) and another structure type", () => {
    const v1 = signed.slice();
    v1[0] = 0x01;
    expect(codeOf(() => parseHelplineProfile(sodium, v1))).toBe("UNSUPPORTED_VERSION");
    const wrongType = signed.slice();
    wrongType[1] = 0x01;
    expect(codeOf(() => parseHelplineProfile(sodium, wrongType))).toBe("WRONG_TYPE");
  });

  it("takes the operator's longest proposal in any script (120 characters of 3 bytes each)", () => {
    const long = {
      ...draft,
      name: "€".repeat(120),
      descriptionNl: "ë".repeat(2000),
      descriptionEn: "漢".repeat(2000),
    };
    const bytes = signHelplineProfile(sodium, long, h.people.vera.signing);
    expect(verifyHelplineProfile(sodium, bytes, trust()).name).toBe(long.name);
    expect(
      codeOf(() => signHelplineProfile(sodium, { ...long, name: "€".repeat(121) }, h.people.vera.signing)),
    ).toBe("MALFORMED");
  });

  it("refuses fields out of range even when signed (empty name, tag beyond 10 bits, reply time 0)", () => {
    const resign = (bytes: Uint8Array) =>
      concat(bytes, signWithLabel(sodium, HELPLINE_PROFILE.label, bytes, h.people.vera.signing.secretKey));
    const body = signed.subarray(0, signed.length - 64);
    const bigTag = body.slice();
    bigTag[18] = 0x04; // tag = 0x0407
    expect(codeOf(() => verifyHelplineProfile(sodium, resign(bigTag), trust()))).toBe("MALFORMED");
    expect(codeOf(() => signHelplineProfile(sodium, { ...draft, name: " " }, h.people.vera.signing))).toBe(
      "MALFORMED",
    );
    expect(
      codeOf(() => signHelplineProfile(sodium, { ...draft, replyWithinHours: 0 }, h.people.vera.signing)),
    ).toBe("MALFORMED");
    expect(
      codeOf(() => signHelplineProfile(sodium, { ...draft, profileVersion: 0 }, h.people.vera.signing)),
    ).toBe("MALFORMED");
  });
});

// Mutation tests (issue 8, docs/PROTOCOL.md §12): a supervisor's client (or a server re-signing with a
// stolen supervisor key would need the same) that signs fields just outside the limits, and a server
// that hands over another helpline's roster as the trust anchor.
describe("helpline profile: limits and context, as a hostile signer or server tries them", () => {
  const sign = (d: Partial<HelplineProfileDraft>) => () =>
    signHelplineProfile(sodium, { ...draft, ...d }, h.people.vera.signing);

  it("description limits: 6000 bytes pass in either language, 6001 are MALFORMED", () => {
    const at = "a".repeat(6000);
    expect(
      verifyHelplineProfile(sodium, sign({ descriptionNl: at, descriptionEn: at })(), trust()).descriptionNl,
    ).toBe(at);
    expect(codeOf(sign({ descriptionNl: `${at}a` }))).toBe("MALFORMED");
    expect(codeOf(sign({ descriptionEn: `${at}a` }))).toBe("MALFORMED");
  });

  it("code tag limits: 0 and 1023 pass, 1024 (fits the u16 on the wire) is MALFORMED", () => {
    expect(verifyHelplineProfile(sodium, sign({ tag: 0 })(), trust()).tag).toBe(0);
    expect(verifyHelplineProfile(sodium, sign({ tag: 1023 })(), trust()).tag).toBe(1023);
    expect(codeOf(sign({ tag: 1024 }))).toBe("MALFORMED");
  });

  it("reply time limits: 1 and 8760 hours pass, 8761 is MALFORMED", () => {
    expect(verifyHelplineProfile(sodium, sign({ replyWithinHours: 1 })(), trust()).replyWithinHours).toBe(1);
    expect(verifyHelplineProfile(sodium, sign({ replyWithinHours: 8760 })(), trust()).replyWithinHours).toBe(
      8760,
    );
    expect(codeOf(sign({ replyWithinHours: 8761 }))).toBe("MALFORMED");
  });

  it("a type 0x07 profile with crisis options or an exit destination is MALFORMED (0x07 does not sign them)", () => {
    const option = { kind: "phone" as const, labelNl: "Bel 112", labelEn: "Call 112", target: "112" };
    expect(codeOf(sign({ type: 0x07, crisisOptions: [option] }))).toBe("MALFORMED");
    expect(codeOf(sign({ type: 0x07, exitUrl: "https://example.org/" }))).toBe("MALFORMED");
    const bare = verifyHelplineProfile(
      sodium,
      sign({ type: 0x07, crisisOptions: [], exitUrl: "" })(),
      trust(),
    );
    expect([bare.type, bare.crisisOptions, bare.exitUrl]).toEqual([0x07, [], ""]);
  });

  it("a 0x0b draft without crisis options signs an empty list (nothing invented)", () => {
    const profile = verifyHelplineProfile(sodium, signed, trust());
    expect([profile.type, profile.crisisOptions, profile.exitUrl]).toEqual([0x0b, [], ""]);
  });

  it("a server that hands over another helpline's roster as the anchor: WRONG_CONTEXT", () => {
    const otherId = testId<HelplineId>(sodium, 2, "helpline");
    const foreign: Roster = { ...h.roster, helplineId: otherId };
    expect(
      codeOf(() => verifyHelplineProfile(sodium, signed, { helplineId: h.helplineId, roster: foreign })),
    ).toBe("WRONG_CONTEXT");
  });
});
