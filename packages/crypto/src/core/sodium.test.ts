import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import { loadSodium, type Sodium, selfCheck } from "./sodium.js";

const sodium = await loadSodium();

describe("start-up self-check", () => {
  it("passes on the real sumo build and loads once", async () => {
    expect(() => selfCheck(sodium)).not.toThrow();
    expect(await loadSodium()).toBe(sodium);
  });

  it("fails when crypto_pwhash is missing (the standard build)", () => {
    const fake = { ...sodium, crypto_pwhash: undefined } as unknown as Sodium;
    expect(codeOf(() => selfCheck(fake))).toBe("SELF_CHECK_FAILED");
    const noAlg = { ...sodium, crypto_pwhash_ALG_ARGON2ID13: undefined } as unknown as Sodium;
    expect(codeOf(() => selfCheck(noAlg))).toBe("SELF_CHECK_FAILED");
  });

  it("fails when Argon2id returns zeros or a wrong length", () => {
    const zeros = { ...sodium, crypto_pwhash: (n: number) => new Uint8Array(n) } as unknown as Sodium;
    expect(codeOf(() => selfCheck(zeros))).toBe("SELF_CHECK_FAILED");
    const short = { ...sodium, crypto_pwhash: () => new Uint8Array(16).fill(1) } as unknown as Sodium;
    expect(codeOf(() => selfCheck(short))).toBe("SELF_CHECK_FAILED");
  });
});
