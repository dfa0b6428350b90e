import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCryptoError } from "./errors.js";
import { MIN_PADDED_BYTES, padme, padPlaintext, unpadPlaintext } from "./padme.js";

function expectCode(fn: () => unknown, code: Parameters<typeof isCryptoError>[1]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isCryptoError(caught, code), String(caught)).toBe(true);
}

describe("padme", () => {
  it("matches hand-computed values of the formula", () => {
    // L=1028: E=10, S=4, z=6 -> multiple of 64.
    expect(padme(1028)).toBe(1088);
    expect(padme(1024)).toBe(1024);
    // L=5000: E=12, S=4, z=8 -> multiple of 256.
    expect(padme(5000)).toBe(5120);
    // L=9: E=3, S=2, z=1.
    expect(padme(9)).toBe(10);
    expect(padme(0)).toBe(0);
    expect(padme(1)).toBe(1);
    expect(padme(2 ** 40 + 1)).toBe(2 ** 40 + 2 ** 34);
  });

  it("padded size is >= 1024, >= len + 4, at most 12% over, and a Padmé value", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1 << 22 }), (len) => {
        const padded = padme(Math.max(len + 4, MIN_PADDED_BYTES));
        expect(padded).toBeGreaterThanOrEqual(MIN_PADDED_BYTES);
        expect(padded).toBeGreaterThanOrEqual(len + 4);
        if (len >= 1024) expect((padded - (len + 4)) / (len + 4)).toBeLessThanOrEqual(0.12);
        expect(padme(padded)).toBe(padded);
      }),
      { numRuns: 2000 },
    );
  });

  it("leaks few distinct sizes: 1 KiB..1 MiB maps onto a few hundred lengths", () => {
    const sizes = new Set<number>();
    for (let len = 1024; len <= 1 << 20; len++) sizes.add(padme(len));
    expect(sizes.size).toBeLessThan(600);
  });

  it("rejects negative and fractional lengths", () => {
    expectCode(() => padme(-1), "MALFORMED");
    expectCode(() => padme(1.5), "MALFORMED");
  });
});

describe("padPlaintext / unpadPlaintext", () => {
  it("round-trips any bytes and pads to the Padmé size", () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 5000 }), (bytes) => {
        const padded = padPlaintext(bytes);
        expect(padded.length).toBe(padme(Math.max(bytes.length + 4, 1024)));
        expect(unpadPlaintext(padded)).toEqual(bytes);
      }),
      { numRuns: 300 },
    );
  });

  it("an empty plaintext still costs 1024 bytes", () => {
    expect(padPlaintext(new Uint8Array(0)).length).toBe(1024);
  });

  it("rejects a non-zero filler byte anywhere in the padding", () => {
    const padded = padPlaintext(new Uint8Array([1, 2, 3]));
    for (const at of [7, 500, padded.length - 1]) {
      const bad = padded.slice();
      bad[at] = 1;
      expectCode(() => unpadPlaintext(bad), "MALFORMED");
    }
  });

  it("rejects a length prefix beyond the data, a wrong total size and short input", () => {
    const padded = padPlaintext(new Uint8Array(10));
    const long = padded.slice();
    new DataView(long.buffer).setUint32(0, 2000);
    expectCode(() => unpadPlaintext(long), "MALFORMED");
    expectCode(() => unpadPlaintext(padded.subarray(0, 1000)), "MALFORMED");
    const extended = new Uint8Array(1088);
    extended.set(padded);
    expectCode(() => unpadPlaintext(extended), "MALFORMED");
    expectCode(() => unpadPlaintext(new Uint8Array(3)), "MALFORMED");
  });
});
