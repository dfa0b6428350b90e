import { describe, expect, it } from "vitest";
import { safeLockMinutes } from "./lock-minutes.js";

describe("the idle lock's minutes from the (unsigned) listing", () => {
  it("uses what the API accepts and the default for anything else", () => {
    expect([1, 10, 240].map(safeLockMinutes)).toEqual([1, 10, 240]);
    for (const bad of [undefined, null, 0, -5, 241, 100_000, 1.5, Number.NaN, Infinity, "10"]) {
      expect(safeLockMinutes(bad), String(bad)).toBe(15);
    }
  });
});
