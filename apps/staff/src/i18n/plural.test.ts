import { readdirSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { en } from "./en.js";
import { nl } from "./nl.js";
import { listOf, plural } from "./plural.js";

const here = dirname(fileURLToPath(import.meta.url));

describe("plural forms (issue 10, staff item 1)", () => {
  it("picks one and other through Intl.PluralRules in Dutch and English", () => {
    const forms = { one: "een", other: "meer" };
    expect([0, 1, 2, 12].map((n) => plural("nl", n, forms))).toEqual(["meer", "een", "meer", "meer"]);
    expect([0, 1, 2].map((n) => plural("en", n, forms))).toEqual(["meer", "een", "meer"]);
    expect(listOf("nl", ["Bram", "Chris"])).toBe("Bram en Chris");
    expect(listOf("en", ["Bram", "Chris", "Dirk"])).toBe("Bram, Chris, and Dirk");
  });

  it("says 1 gesprek and 2 gesprekken where the issue found '1 gesprekken'", () => {
    expect([nl.teamCaseloadN(1), nl.teamCaseloadN(2)]).toEqual(["1 gesprek", "2 gesprekken"]);
    expect([en.teamCaseloadN(1), en.teamCaseloadN(2)]).toEqual(["1 conversation", "2 conversations"]);
    expect(nl.reassignSummary(12, "Anna", ["Bram"])).toBe("12 gesprekken van Anna naar Bram");
    expect(nl.reassignSummary(1, "Anna", ["Bram", "Chris"])).toBe("1 gesprek van Anna naar Bram en Chris");
    expect(nl.bulkDone(1)).toBe("Klaar: 1 gesprek is overgezet.");
    expect(nl.footerLock(1)).toContain("1 minuut");
    expect(en.footerLock(15)).toContain("15 minutes");
  });

  it("no staff text picks its plural with `=== 1` (every count goes through plural())", () => {
    for (const lang of ["nl", "en"]) {
      for (const file of readdirSync(join(here, lang))) {
        const source = readFileSync(join(here, lang, file), "utf8");
        expect(source, `${lang}/${file}`).not.toMatch(/\b\w+ === 1\s*\?/);
      }
    }
  });
});
