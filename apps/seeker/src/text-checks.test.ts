import { describe, expect, it } from "vitest";
import { codeCharacterCount, containsCode, messageWarnings, normaliseCodeLike } from "./text-checks.js";

const CODE = "07K2-MQX9-R4TB-ZD1E-H8PS-WN3C";

describe("warnings before sending", () => {
  it("finds the code, or two of its groups, however it is written", () => {
    expect(containsCode(`mijn code is ${CODE}`, CODE)).toBe(true);
    expect(containsCode("07k2 mqx9 r4tb zd1e h8ps wn3c", CODE)).toBe(true);
    expect(containsCode("iets met R4TBZD1E erin", CODE)).toBe(true);
    expect(containsCode("iets met r4tb-zdie erin (I voor 1)", CODE)).toBe(true);
    expect(containsCode("alleen R4TB is niet genoeg", CODE)).toBe(false);
    expect(containsCode("Hallo, ik wil iets vertellen over thuis.", CODE)).toBe(false);
  });

  it("flags e-mail addresses, phone numbers and a very short first message", () => {
    const long = "Ik wil graag iets vertellen over hoe het thuis gaat, want het gaat al een tijd niet goed.";
    expect(messageWarnings({ subject: "Vraag", body: long, first: true })).toEqual([]);
    expect(messageWarnings({ subject: "", body: `${long} Mail: iemand@voorbeeld.nl`, first: true })).toEqual([
      "email",
    ]);
    for (const phone of ["06-12345678", "+31 6 1234 5678", "(020) 123 4567", "0031 20 123 4567"]) {
      expect(messageWarnings({ subject: "", body: `${long} Bel ${phone}`, first: true })).toEqual(["phone"]);
    }
    expect(messageWarnings({ subject: "", body: `${long} Op 12-03-2026 om 14.30 uur`, first: true })).toEqual(
      [],
    );
    expect(messageWarnings({ subject: "Hoi", body: "Help", first: true })).toEqual(["short"]);
    expect(messageWarnings({ subject: "", body: "Dank je", first: false })).toEqual([]);
    expect(messageWarnings({ subject: "", body: `${long} ${CODE}`, code: CODE, first: false })).toEqual([
      "contains-code",
    ]);
  });

  it("counts the characters of a typed code the way the input tolerates them", () => {
    expect(codeCharacterCount(` ${CODE.toLowerCase()} `)).toBe(24);
    expect(codeCharacterCount("07K2 MQX9")).toBe(8);
    expect(normaliseCodeLike("o7k2-mqx9 il")).toBe("07K2MQX911");
  });
});
