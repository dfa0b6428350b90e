import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { HelplineId, MemberId, SignPublicKey, SignSecretKey } from "../core/brand.js";
import { newId } from "../core/ids.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import type { Roster, RosterMember } from "../core/types.js";
import {
  ANNUAL_REPORT_MAX_CONTENT_BYTES,
  parseAnnualReport,
  signAnnualReport,
  verifyAnnualReport,
} from "./annual-report.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(10));
const helplineId = newId<HelplineId>(sodium, random);
const keys = () => {
  const k = sodium.crypto_sign_seed_keypair(random(32));
  return { publicKey: k.publicKey as SignPublicKey, secretKey: k.privateKey as SignSecretKey };
};
const sup = keys();
const counsellor = keys();
const member = (k: { publicKey: SignPublicKey }, role: "supervisor" | "counsellor"): RosterMember =>
  ({
    memberId: newId<MemberId>(sodium, random),
    role,
    signPk: k.publicKey,
    intakeReader: false,
  }) as RosterMember;
// Only the members matter to the report's check; the roster chain itself is verified by its own code.
const roster = {
  version: 3,
  members: [member(sup, "supervisor"), member(counsellor, "counsellor")],
} as unknown as Roster;
const rosters = (v: number) => (v === 3 ? roster : undefined);
const report = {
  helplineId,
  year: 2026,
  rosterVersion: 3,
  issuedAt: 1_800_000_000_000,
  content: '{"version":1}',
};

describe("annual report (type 0x0a)", () => {
  it("a supervisor's signature verifies; the fields come back as signed", () => {
    const bytes = signAnnualReport(sodium, report, sup);
    expect(bytes[0]).toBe(0x02);
    expect(bytes[1]).toBe(0x0a);
    expect(
      verifyAnnualReport(sodium, bytes, { helplineId, year: 2026, rosters, newest: roster }),
    ).toMatchObject(report);
  });

  it("a counsellor or an outsider cannot publish one: SIGNER_NOT_ALLOWED", () => {
    expect(
      codeOf(() =>
        verifyAnnualReport(sodium, signAnnualReport(sodium, report, counsellor), {
          helplineId,
          rosters,
          newest: roster,
        }),
      ),
    ).toBe("SIGNER_NOT_ALLOWED");
    expect(
      codeOf(() =>
        verifyAnnualReport(sodium, signAnnualReport(sodium, report, keys()), {
          helplineId,
          rosters,
          newest: roster,
        }),
      ),
    ).toBe("SIGNER_NOT_ALLOWED");
  });

  it("a server that changes a figure, the year or the helpline is caught", () => {
    const bytes = signAnnualReport(sodium, { ...report, content: '{"conversations":1234}' }, sup);
    const text = new TextDecoder().decode(bytes);
    const i = text.indexOf("1234");
    const changed = bytes.slice();
    changed[i] = "9".charCodeAt(0);
    expect(codeOf(() => verifyAnnualReport(sodium, changed, { helplineId, rosters, newest: roster }))).toBe(
      "BAD_SIGNATURE",
    );
    expect(
      codeOf(() => verifyAnnualReport(sodium, bytes, { helplineId, year: 2025, rosters, newest: roster })),
    ).toBe("WRONG_CONTEXT");
    const other = newId<HelplineId>(sodium, random);
    expect(
      codeOf(() => verifyAnnualReport(sodium, bytes, { helplineId: other, rosters, newest: roster })),
    ).toBe("WRONG_CONTEXT");
    // Re-labelled as relying on a roster the verifier does not have.
    expect(
      codeOf(() =>
        verifyAnnualReport(sodium, signAnnualReport(sodium, { ...report, rosterVersion: 9 }, sup), {
          helplineId,
          rosters,
          newest: roster,
        }),
      ),
    ).toBe("ROSTER_ROLLBACK");
  });

  it("a supervisor removed or demoted since cannot sign one naming the older roster: SIGNER_NOT_ALLOWED", () => {
    const removedBy4 = { version: 4, members: [member(counsellor, "counsellor")] } as unknown as Roster;
    const demotedBy4 = {
      version: 4,
      members: [member(sup, "counsellor"), member(counsellor, "counsellor")],
    } as unknown as Roster;
    const both = (v: number) => (v === 3 ? roster : v === 4 ? removedBy4 : undefined);
    // The signer picks rosterVersion 3, where they were a supervisor; the verifier knows roster 4.
    const bytes = signAnnualReport(sodium, report, sup);
    expect(
      codeOf(() => verifyAnnualReport(sodium, bytes, { helplineId, rosters: both, newest: removedBy4 })),
    ).toBe("SIGNER_NOT_ALLOWED");
    expect(
      codeOf(() => verifyAnnualReport(sodium, bytes, { helplineId, rosters: both, newest: demotedBy4 })),
    ).toBe("SIGNER_NOT_ALLOWED");
    // A version beyond the newest the verifier holds is refused even if `rosters` answers for it.
    const ahead = signAnnualReport(sodium, { ...report, rosterVersion: 4 }, sup);
    expect(
      codeOf(() => verifyAnnualReport(sodium, ahead, { helplineId, rosters: both, newest: roster })),
    ).toBe("ROSTER_ROLLBACK");
  });

  it("refuses other versions, types and trailing bytes", () => {
    const bytes = signAnnualReport(sodium, report, sup);
    const v = bytes.slice();
    v[0] = 0x01;
    expect(codeOf(() => parseAnnualReport(sodium, v))).toBe("UNSUPPORTED_VERSION");
    const t = bytes.slice();
    t[1] = 0x09;
    expect(codeOf(() => parseAnnualReport(sodium, t))).toBe("WRONG_TYPE");
    expect(codeOf(() => parseAnnualReport(sodium, new Uint8Array([...bytes, 0])))).toBe("MALFORMED");
  });
});

describe("annual report: the edges a hostile server or signer tries", () => {
  it("signs content of up to the maximum and years 2000 to 9999 only", () => {
    const sign = (r: Partial<typeof report>) => () => signAnnualReport(sodium, { ...report, ...r }, sup);
    const max = "x".repeat(ANNUAL_REPORT_MAX_CONTENT_BYTES);
    expect(codeOf(sign({ content: max }))).toBeUndefined();
    expect(codeOf(sign({ content: `${max}x` }))).toBe("TOO_LARGE");
    for (const year of [2000, 9999]) expect(codeOf(sign({ year }))).toBeUndefined();
    for (const year of [1999, 10_000, 2026.5]) expect(codeOf(sign({ year }))).toBe("MALFORMED");
  });

  it("a report naming a roster the reader does not hold is ROSTER_ROLLBACK", () => {
    const older = signAnnualReport(sodium, { ...report, rosterVersion: 2 }, sup);
    expect(codeOf(() => verifyAnnualReport(sodium, older, { helplineId, rosters, newest: roster }))).toBe(
      "ROSTER_ROLLBACK",
    );
  });

  it("a signer who was no supervisor on the roster the report names is SIGNER_NOT_ALLOWED, promoted since or not", () => {
    const promotedBy4 = {
      version: 4,
      members: [member(sup, "supervisor"), member(counsellor, "supervisor")],
    } as unknown as Roster;
    const both = (v: number) => (v === 3 ? roster : v === 4 ? promotedBy4 : undefined);
    const bytes = signAnnualReport(sodium, report, counsellor);
    expect(
      codeOf(() => verifyAnnualReport(sodium, bytes, { helplineId, rosters: both, newest: promotedBy4 })),
    ).toBe("SIGNER_NOT_ALLOWED");
  });
});
