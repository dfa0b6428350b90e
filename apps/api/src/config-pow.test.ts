/** The proof of work's settings from the environment (README's table): defaults, values, and refusals. */
import { describe, expect, it } from "vitest";
import { readConfig } from "./config.js";
import { DEFAULT_POW } from "./middleware/pow/index.js";

describe("POW_DIFFICULTY and POW_LOAD_PER_DOUBLING", () => {
  it("default to the middleware's own defaults", () => {
    const c = readConfig({});
    expect([c.powDifficulty, c.powLoadPerDoubling]).toEqual([
      DEFAULT_POW.baseMaxNumber,
      DEFAULT_POW.loadPerDoubling,
    ]);
  });

  it("take the operator's values", () => {
    const c = readConfig({ POW_DIFFICULTY: "5000", POW_LOAD_PER_DOUBLING: "1000000" });
    expect([c.powDifficulty, c.powLoadPerDoubling]).toEqual([5000, 1_000_000]);
  });

  it("refuse what is not an integer in range", () => {
    for (const env of [
      { POW_DIFFICULTY: "999" },
      { POW_DIFFICULTY: "5000001" },
      { POW_LOAD_PER_DOUBLING: "9" },
      { POW_LOAD_PER_DOUBLING: "10000001" },
      { POW_LOAD_PER_DOUBLING: "2.5" },
      { POW_LOAD_PER_DOUBLING: "many" },
    ]) {
      expect(() => readConfig(env), JSON.stringify(env)).toThrow(/must be an integer/);
    }
  });
});
