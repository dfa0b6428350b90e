import { beforeAll, describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { everySingleBitFlip, helpline, NOW } from "../../test-support/thread-fixtures.js";
import { concat, Writer } from "../core/codec.js";
import { idToBytes } from "../core/ids.js";
import { HELPLINE_PROFILE, HELPLINE_SAFETY_PROFILE, type Label } from "../core/labels.js";
import { signWithLabel } from "../core/sign.js";
import { loadSodium, type Sodium } from "../core/sodium.js";
import {
  type CrisisOption,
  type HelplineProfileDraft,
  parseHelplineProfile,
  signHelplineProfile,
  verifyHelplineProfile,
} from "./helpline-profile.js";
import { writeSafetyFields } from "./helpline-safety.js";

let sodium: Sodium;
let h: ReturnType<typeof helpline>;
let draft: HelplineProfileDraft;
let signed: Uint8Array;

const CRISIS: CrisisOption[] = [
  { kind: "phone", labelNl: "Direct gevaar: 112", labelEn: "Immediate danger: 112", target: "112" },
  {
    kind: "phone",
    labelNl: "113 Zelfmoordpreventie",
    labelEn: "113 Suicide prevention",
    target: "0800-0113",
  },
  { kind: "url", labelNl: "Chat met 113", labelEn: "Chat with 113", target: "https://www.113.nl/" },
];

beforeAll(async () => {
  sodium = await loadSodium();
  h = helpline(sodium);
  draft = {
    helplineId: h.helplineId,
    tag: 7,
    profileVersion: 4,
    issuedAt: NOW,
    name: "De Hulplijn",
    descriptionNl: "Voor iedereen die even niet verder weet.",
    descriptionEn: "For anyone who is stuck for a while.",
    replyWithinHours: 72,
    crisisOptions: CRISIS,
    exitUrl: "https://www.buienradar.nl/",
  };
  signed = signHelplineProfile(sodium, draft, h.people.vera.signing);
});

const trust = () => ({ helplineId: h.helplineId, roster: h.roster });

/** A hostile server's re-encoding: the body of `d` (any type, any fields) with `signature` appended. */
function encode(
  d: HelplineProfileDraft & { type: number },
  signature: Uint8Array,
  safety: (w: Writer) => void = (w) => writeSafetyFields(w, d.crisisOptions ?? [], d.exitUrl ?? ""),
): Uint8Array {
  const w = new Writer()
    .u8(0x02)
    .u8(d.type)
    .fixed(idToBytes(sodium, d.helplineId), 16)
    .u16(d.tag)
    .u32(d.profileVersion)
    .u64(d.issuedAt)
    .str(d.name)
    .str(d.descriptionNl)
    .str(d.descriptionEn)
    .u32(d.replyWithinHours);
  if (d.type === 0x0b) safety(w);
  return concat(w.fixed(h.people.vera.signing.publicKey, 32).finish(), signature);
}
const signatureOf = (bytes: Uint8Array) => bytes.subarray(bytes.length - 64);
/** Signs a body no honest signer would (bypassing the signer's own checks). */
function signAnyway(d: HelplineProfileDraft & { type: number }, label: Label): Uint8Array {
  const body = encode(d, new Uint8Array(0));
  return concat(body, signWithLabel(sodium, label, body, h.people.vera.signing.secretKey));
}

describe("helpline profile with safety options (type 0x0b)", () => {
  it("round-trips: crisis options and exit destination verify as signed, type byte 0x0b", () => {
    const profile = verifyHelplineProfile(sodium, signed, { ...trust(), tag: 7 });
    expect(signed[0]).toBe(0x02);
    expect(signed[1]).toBe(0x0b);
    expect(profile.type).toBe(0x0b);
    expect(profile.crisisOptions).toEqual(CRISIS);
    expect(profile.exitUrl).toBe("https://www.buienradar.nl/");
    expect(profile).toMatchObject({ ...draft, crisisOptions: CRISIS });
  });

  it("signs 0x0b by default, also without crisis options (the app then shows its own defaults)", () => {
    const bare = signHelplineProfile(
      sodium,
      { ...draft, crisisOptions: [], exitUrl: "" },
      h.people.vera.signing,
    );
    const profile = verifyHelplineProfile(sodium, bare, trust());
    expect(bare[1]).toBe(0x0b);
    expect(profile.crisisOptions).toEqual([]);
    expect(profile.exitUrl).toBe("");
  });

  it("keeps verifying a stored 0x07 profile, with no crisis options and no exit destination", () => {
    const { crisisOptions: _c, exitUrl: _e, ...plain } = draft;
    const old = signHelplineProfile(sodium, { ...plain, type: 0x07 }, h.people.vera.signing);
    expect(old[1]).toBe(0x07);
    const profile = verifyHelplineProfile(sodium, old, trust());
    expect(profile.type).toBe(0x07);
    expect(profile.crisisOptions).toEqual([]);
    expect(profile.exitUrl).toBe("");
  });

  it("refuses a 0x07 draft that carries crisis options (they would be silently dropped): MALFORMED", () => {
    expect(codeOf(() => signHelplineProfile(sodium, { ...draft, type: 0x07 }, h.people.vera.signing))).toBe(
      "MALFORMED",
    );
  });

  it("refuses every single-bit flip", () => {
    for (const mutated of everySingleBitFlip(signed)) {
      expect(codeOf(() => verifyHelplineProfile(sodium, mutated, { ...trust(), tag: 7 }))).toBeDefined();
    }
  });

  it("hostile server swaps a crisis number, keeping the supervisor's signature: BAD_SIGNATURE", () => {
    const swapped = CRISIS.map((o, i) => (i === 1 ? { ...o, target: "0900-1234567" } : o));
    const forged = encode({ ...draft, type: 0x0b, crisisOptions: swapped }, signatureOf(signed));
    expect(parseHelplineProfile(sodium, forged).crisisOptions[1]?.target).toBe("0900-1234567");
    expect(codeOf(() => verifyHelplineProfile(sodium, forged, trust()))).toBe("BAD_SIGNATURE");
  });

  it("hostile server drops a crisis option or reorders them: BAD_SIGNATURE", () => {
    const dropped = encode({ ...draft, type: 0x0b, crisisOptions: CRISIS.slice(1) }, signatureOf(signed));
    expect(codeOf(() => verifyHelplineProfile(sodium, dropped, trust()))).toBe("BAD_SIGNATURE");
    const reordered = encode(
      { ...draft, type: 0x0b, crisisOptions: [...CRISIS].reverse() },
      signatureOf(signed),
    );
    expect(codeOf(() => verifyHelplineProfile(sodium, reordered, trust()))).toBe("BAD_SIGNATURE");
  });

  it("hostile server swaps the quick-exit destination for its own page: BAD_SIGNATURE", () => {
    const forged = encode({ ...draft, type: 0x0b, exitUrl: "https://tracker.example/" }, signatureOf(signed));
    expect(codeOf(() => verifyHelplineProfile(sodium, forged, trust()))).toBe("BAD_SIGNATURE");
  });

  it("hostile server strips the safety fields and relabels the profile 0x07: BAD_SIGNATURE", () => {
    const downgraded = encode({ ...draft, type: 0x07 }, signatureOf(signed));
    expect(parseHelplineProfile(sodium, downgraded).type).toBe(0x07);
    expect(codeOf(() => verifyHelplineProfile(sodium, downgraded, trust()))).toBe("BAD_SIGNATURE");
  });

  it("a 0x07 signature never verifies a 0x0b body (separate labels), even with the same texts", () => {
    const { crisisOptions: _c, exitUrl: _e, ...plain } = draft;
    const old = signHelplineProfile(sodium, { ...plain, type: 0x07 }, h.people.vera.signing);
    const upgraded = encode({ ...plain, type: 0x0b }, signatureOf(old));
    expect(codeOf(() => verifyHelplineProfile(sodium, upgraded, trust()))).toBe("BAD_SIGNATURE");
    // and the other way: a 0x07 body signed under the 0x0b label
    const crossLabel = signAnyway({ ...plain, type: 0x07 }, HELPLINE_SAFETY_PROFILE.label);
    expect(codeOf(() => verifyHelplineProfile(sodium, crossLabel, trust()))).toBe("BAD_SIGNATURE");
    expect(HELPLINE_PROFILE.label).not.toBe(HELPLINE_SAFETY_PROFILE.label);
  });

  it("refuses links that are not tel: or https:// on signing AND when signed anyway: MALFORMED", () => {
    const unsafe: Array<Partial<HelplineProfileDraft>> = [
      { exitUrl: "javascript:alert(1)" },
      { exitUrl: "http://www.buienradar.nl/" },
      { exitUrl: 'https://evil.example/"onmouseover=x' },
      { exitUrl: "https://a b.nl/" },
      { exitUrl: "https://a.nl/\\evil" },
      { exitUrl: "https://user@a.nl/" },
      { crisisOptions: [{ ...CRISIS[2]!, target: "data:text/html,hi" }] },
      { crisisOptions: [{ ...CRISIS[2]!, target: "https://www.113.nl/ chat" }] },
      { crisisOptions: [{ ...CRISIS[0]!, target: "tel:112" }] },
      { crisisOptions: [{ ...CRISIS[0]!, target: "112;ext=javascript" }] },
      { crisisOptions: [{ ...CRISIS[0]!, target: "1" }] },
      { crisisOptions: [{ ...CRISIS[0]!, labelEn: " " }] },
      { crisisOptions: [{ ...CRISIS[0]!, labelNl: "x".repeat(121) }] },
      { crisisOptions: Array.from({ length: 7 }, () => CRISIS[0]!) },
    ];
    for (const patch of unsafe) {
      const d = { ...draft, ...patch };
      expect(
        codeOf(() => signHelplineProfile(sodium, d, h.people.vera.signing)),
        JSON.stringify(patch),
      ).toBe("MALFORMED");
      const forced = signAnyway({ ...d, type: 0x0b }, HELPLINE_SAFETY_PROFILE.label);
      expect(
        codeOf(() => verifyHelplineProfile(sodium, forced, trust())),
        JSON.stringify(patch),
      ).toBe("MALFORMED");
    }
  });

  it("refuses an unknown crisis option kind: MALFORMED", () => {
    const body = encode({ ...draft, type: 0x0b }, new Uint8Array(0), (w) => {
      w.str("").u8(1).u8(3).str("Bel").str("Call").str("112");
    });
    const forced = concat(
      body,
      signWithLabel(sodium, HELPLINE_SAFETY_PROFILE.label, body, h.people.vera.signing.secretKey),
    );
    expect(codeOf(() => parseHelplineProfile(sodium, forced))).toBe("MALFORMED");
  });

  it("refuses a counsellor's 0x0b profile: PROFILE_SIGNER_NOT_ALLOWED", () => {
    const byCounsellor = signHelplineProfile(sodium, draft, h.people.ines.signing);
    expect(codeOf(() => verifyHelplineProfile(sodium, byCounsellor, trust()))).toBe(
      "PROFILE_SIGNER_NOT_ALLOWED",
    );
  });

  it("accepts the longest phone number, the longest address and six options", () => {
    const six: CrisisOption[] = Array.from({ length: 6 }, (_, i) => ({
      kind: i % 2 === 0 ? "phone" : "url",
      labelNl: "ë".repeat(60),
      labelEn: "x".repeat(120),
      target: i % 2 === 0 ? `+31 ${"9".repeat(28)}` : `https://a.nl/${"p".repeat(499)}`,
    }));
    const bytes = signHelplineProfile(sodium, { ...draft, crisisOptions: six }, h.people.vera.signing);
    expect(verifyHelplineProfile(sodium, bytes, trust()).crisisOptions).toEqual(six);
  });
});

// Mutation tests (issue 8, docs/PROTOCOL.md §12): the edges of what may become a link.
describe("helpline profile safety fields at their edges", () => {
  const refused = (patch: Partial<HelplineProfileDraft>) => {
    const d = { ...draft, ...patch };
    const signing = codeOf(() => signHelplineProfile(sodium, d, h.people.vera.signing));
    const forced = signAnyway({ ...d, type: 0x0b }, HELPLINE_SAFETY_PROFILE.label);
    return [signing, codeOf(() => verifyHelplineProfile(sodium, forced, trust()))];
  };
  const url = (target: string) => ({ crisisOptions: [{ ...CRISIS[2]!, target }] });
  const phone = (target: string) => ({ crisisOptions: [{ ...CRISIS[0]!, target }] });

  it("an address must start with https:// (text before it is refused)", () => {
    expect(refused({ exitUrl: "javascript:x//https://a.nl/" })).toEqual(["MALFORMED", "MALFORMED"]);
    expect(refused(url("see https://a.nl/"))).toEqual(["MALFORMED", "MALFORMED"]);
  });

  it("an address may carry a port of up to five digits and may have no path", () => {
    for (const target of ["https://a.nl", "https://a.nl:8443/chat", "https://a.nl:65535"]) {
      expect(refused({ exitUrl: target, ...url(target) })).toEqual([undefined, undefined]);
    }
    expect(refused({ exitUrl: "https://a.nl:123456/" })).toEqual(["MALFORMED", "MALFORMED"]);
  });

  it("the byte limits: an address of 513 bytes and a phone number of 33 are refused", () => {
    const long = `https://a.nl/${"p".repeat(500)}`; // 513 bytes
    expect(refused({ exitUrl: long })).toEqual(["MALFORMED", "MALFORMED"]);
    expect(refused(url(long))).toEqual(["MALFORMED", "MALFORMED"]);
    expect(refused(phone(`+31 ${"9".repeat(29)}`))).toEqual(["MALFORMED", "MALFORMED"]);
    expect(refused(phone("0800 0113"))).toEqual([undefined, undefined]);
  });

  it("a phone number is not taken for an address, nor an address for a phone number", () => {
    expect(refused(url("0800-0113"))).toEqual(["MALFORMED", "MALFORMED"]);
    expect(refused(phone("https://a.nl/"))).toEqual(["MALFORMED", "MALFORMED"]);
  });

  it("an unknown kind byte with a valid https target is still MALFORMED (never read as a web address)", () => {
    const body = encode({ ...draft, type: 0x0b }, new Uint8Array(0), (w) => {
      w.str("").u8(1).u8(3).str("Chat").str("Chat").str("https://www.113.nl/");
    });
    const forced = concat(
      body,
      signWithLabel(sodium, HELPLINE_SAFETY_PROFILE.label, body, h.people.vera.signing.secretKey),
    );
    expect(codeOf(() => parseHelplineProfile(sodium, forced))).toBe("MALFORMED");
  });
});
