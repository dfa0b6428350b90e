import { describe, expect, it } from "vitest";
import { charCount, excerpt, overLimit } from "./text.js";

describe("charCount / overLimit", () => {
  it("counts code points, not UTF-16 units", () => {
    expect(charCount("abc")).toBe(3);
    expect(charCount("😀😀")).toBe(2);
    expect("😀😀".length).toBe(4);
    expect(charCount("שלום")).toBe(4);
  });
  it("is over the limit only when the code points are", () => {
    expect(overLimit("😀😀", 2)).toBe(false);
    expect(overLimit("😀😀😀", 2)).toBe(true);
    expect(overLimit("ab", 2)).toBe(false);
    expect(overLimit("abc", 2)).toBe(true);
  });
});

describe("excerpt", () => {
  it("leaves a short text whole", () => {
    expect(excerpt("kort bericht", 100, 5)).toBeUndefined();
    expect(excerpt("a\nb\nc", 100, 3)).toBeUndefined();
  });
  it("cuts at the last space before the character limit", () => {
    expect(excerpt("een twee drie vier vijf", 16, 10)).toBe("een twee drie");
  });
  it("cuts after the allowed number of lines, keeping the last line whole", () => {
    expect(excerpt("een\ntwee\ndrie\nvier", 1000, 2)).toBe("een\ntwee");
    expect(excerpt("Regel 1 van een bericht.\nRegel 2 van een bericht.\nRegel 3.", 1000, 2)).toBe(
      "Regel 1 van een bericht.\nRegel 2 van een bericht.",
    );
  });
  it("keeps the last word whole when the limit falls right after it", () => {
    expect(excerpt("een twee drie vier", 8, 10)).toBe("een twee");
  });
  it("never splits a surrogate pair", () => {
    const cut = excerpt("😀".repeat(50), 10, 5);
    expect(cut).toBe("😀".repeat(10));
  });
  it("cuts a word without spaces at the limit", () => {
    expect(excerpt("x".repeat(30), 10, 5)).toBe("x".repeat(10));
  });
});
