import { describe, expect, it } from "vitest";
import { en } from "./en.js";
import { nl } from "./nl.js";

/** Calls a message with a sample argument ("3" works as a number and as a name) so every function runs. */
function render(value: unknown): string {
  if (typeof value === "string") return value;
  if (typeof value !== "function") throw new Error("a message is a string or a function");
  const samples = Array.from({ length: value.length }, () => "3");
  const out = (value as (...a: unknown[]) => unknown)(...samples);
  if (typeof out !== "string") throw new Error("a message must make a string");
  return out;
}

describe("the i18n module", () => {
  it("has the same keys in Dutch and English, and no empty message", () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
    for (const dict of [nl, en]) {
      for (const [key, value] of Object.entries(dict)) {
        expect(render(value).trim(), key).not.toBe("");
      }
    }
  });

  it("keeps the tab title neutral in both languages", () => {
    expect(nl.tabTitle).toBe("Notities");
    expect(en.tabTitle).toBe("Notes");
  });

  it("says the promised reply time in days or hours", () => {
    expect(nl.replyTime(72)).toBe("Antwoord binnen 3 dagen");
    expect(nl.replyTime(24)).toBe("Antwoord binnen 1 dag");
    expect(nl.replyTime(8)).toBe("Antwoord binnen 8 uur");
    expect(en.replyTime(48)).toBe("Reply within 2 days");
  });
});
