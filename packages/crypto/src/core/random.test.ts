import { describe, expect, it, vi } from "vitest";
import { systemRandom } from "./random.js";
import { loadSodium } from "./sodium.js";

const sodium = await loadSodium();

describe("systemRandom", () => {
  it("fills every byte from the host's Web Crypto source, 64 KiB per call at most", () => {
    const calls: number[] = [];
    const host = {
      getRandomValues(a: Uint8Array) {
        calls.push(a.length);
        return a.fill(0xa5);
      },
    };
    const random = systemRandom(sodium, host);
    expect(random(32)).toEqual(new Uint8Array(32).fill(0xa5));
    expect(calls).toEqual([32]);
    calls.length = 0;
    const big = random(65_536 * 2 + 7);
    expect(big.every((b) => b === 0xa5)).toBe(true);
    expect(calls).toEqual([65_536, 65_536, 7]);
    expect(random(0)).toEqual(new Uint8Array(0));
  });

  it("gives fresh bytes of the asked length from the real source (and from libsodium where there is none)", () => {
    for (const random of [systemRandom(sodium), systemRandom(sodium, undefined)]) {
      const a = random(32);
      const b = random(32);
      expect(a.length).toBe(32);
      expect(a).not.toEqual(b);
      expect(random(100_000).some((x) => x !== 0)).toBe(true);
    }
  });

  it("by default uses the host's Web Crypto source when there is one", () => {
    const spy = vi.spyOn(globalThis.crypto, "getRandomValues");
    try {
      expect(systemRandom(sodium)(24).length).toBe(24);
      expect(spy).toHaveBeenCalledTimes(1);
    } finally {
      spy.mockRestore();
    }
  });
});
