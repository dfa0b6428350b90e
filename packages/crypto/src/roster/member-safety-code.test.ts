import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { HelplineId, MemberId } from "../core/brand.js";
import { labelledHash } from "../core/hash.js";
import { idToBytes, newId } from "../core/ids.js";
import { LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { checkSafetyCode, memberSafetyCode } from "./member-safety-code.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(77));
const subject = {
  helplineId: newId<HelplineId>(sodium, random),
  memberId: newId<MemberId>(sodium, random),
  role: "counsellor" as const,
  signPk: random(32),
  boxPk: random(32),
};

describe("member safety code", () => {
  it("is 6 groups of 5 digits, each a 5-byte big-endian chunk of the labelled hash mod 100000", () => {
    const code = memberSafetyCode(sodium, subject);
    expect(code).toMatch(/^[0-9]{5}( [0-9]{5}){5}$/);
    const digest = labelledHash(
      sodium,
      LABEL.memberSafetyCode,
      new Uint8Array([
        ...idToBytes(sodium, subject.helplineId),
        ...idToBytes(sodium, subject.memberId),
        2,
        ...subject.signPk,
        ...subject.boxPk,
      ]),
    );
    const first = digest.subarray(0, 5).reduce((v, b) => v * 256 + b, 0) % 100000;
    expect(code.slice(0, 5)).toBe(String(first).padStart(5, "0"));
    const last = digest.subarray(25, 30).reduce((v, b) => v * 256 + b, 0) % 100000;
    expect(code.slice(-5)).toBe(String(last).padStart(5, "0"));
  });

  it("changes with any one input: a server's substituted key shows another code", () => {
    const code = memberSafetyCode(sodium, subject);
    for (const other of [
      { ...subject, signPk: random(32) },
      { ...subject, boxPk: random(32) },
      { ...subject, memberId: newId<MemberId>(sodium, random) },
      { ...subject, helplineId: newId<HelplineId>(sodium, random) },
      { ...subject, role: "supervisor" as const },
    ]) {
      expect(memberSafetyCode(sodium, other)).not.toBe(code);
    }
  });

  it("accepts the code typed back with any spacing or dashes, and nothing else", () => {
    const code = memberSafetyCode(sodium, subject);
    expect(() => checkSafetyCode(sodium, subject, code)).not.toThrow();
    expect(() => checkSafetyCode(sodium, subject, code.replaceAll(" ", "-"))).not.toThrow();
    expect(() => checkSafetyCode(sodium, subject, ` ${code.replaceAll(" ", "")} `)).not.toThrow();
    const typo = `${code.slice(0, -1)}${code.endsWith("0") ? "1" : "0"}`;
    expect(codeOf(() => checkSafetyCode(sodium, subject, typo))).toBe("SAFETY_CODE_MISMATCH");
    expect(codeOf(() => checkSafetyCode(sodium, subject, code.slice(0, -1)))).toBe("SAFETY_CODE_MISMATCH");
    expect(codeOf(() => checkSafetyCode(sodium, subject, ""))).toBe("SAFETY_CODE_MISMATCH");
    expect(codeOf(() => checkSafetyCode(sodium, { ...subject, boxPk: random(32) }, code))).toBe(
      "SAFETY_CODE_MISMATCH",
    );
  });

  it("covers the role: the code of a counsellor's keys does not admit them as supervisor", () => {
    const code = memberSafetyCode(sodium, subject);
    expect(codeOf(() => checkSafetyCode(sodium, { ...subject, role: "supervisor" }, code))).toBe(
      "SAFETY_CODE_MISMATCH",
    );
  });

  it("refuses 30 digits with anything else around them, and an unknown role", () => {
    const digits = memberSafetyCode(sodium, subject).replaceAll(" ", "");
    expect(codeOf(() => checkSafetyCode(sodium, subject, `x${digits}`))).toBe("SAFETY_CODE_MISMATCH");
    expect(codeOf(() => checkSafetyCode(sodium, subject, `${digits}x`))).toBe("SAFETY_CODE_MISMATCH");
    expect(codeOf(() => checkSafetyCode(sodium, subject, `${digits}0`))).toBe("SAFETY_CODE_MISMATCH");
    const admin = { ...subject, role: "admin" as unknown as typeof subject.role };
    expect(codeOf(() => memberSafetyCode(sodium, admin))).toBe("MALFORMED");
  });

  it("refuses keys of the wrong length", () => {
    expect(codeOf(() => memberSafetyCode(sodium, { ...subject, signPk: random(31) }))).toBe("MALFORMED");
  });
});
