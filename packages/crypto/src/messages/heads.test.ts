import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { SignPublicKey } from "../core/brand.js";
import { Reader, Writer } from "../core/codec.js";
import type { EnvelopeHead } from "../core/types.js";
import { checkHeads, MAX_HEADS, readHeads } from "./heads.js";

const pk = (n: number) => new Uint8Array(32).fill(n) as SignPublicKey;
const good = (n: number, seq = 1): EnvelopeHead => ({
  stream: "main",
  signPk: pk(n),
  seq,
  hash: new Uint8Array(32).fill(7),
  pastDamaged: false,
});
/** One head on the wire with a raw stream code (what a hostile client or server can put in a header). */
function wireHead(streamCode: number): Uint8Array {
  return new Writer()
    .u8(1)
    .u8(streamCode)
    .u8(0)
    .fixed(pk(1), 32)
    .u32(1)
    .fixed(new Uint8Array(32).fill(7), 32)
    .finish();
}

/** Head lists a hostile author or server crafts: each is refused as MALFORMED, the edges pass. */
describe("checkHeads and readHeads against crafted head lists", () => {
  it("at most 255 heads: 255 senders pass, a 256th is refused", () => {
    const many = Array.from({ length: MAX_HEADS }, (_, i) => good(i));
    expect(codeOf(() => checkHeads(many))).toBeUndefined();
    // A 256th sender, in the staff stream so the list stays sorted: only the count is wrong.
    expect(codeOf(() => checkHeads([...many, { ...good(0), stream: "staff" }]))).toBe("MALFORMED");
  });

  it("keys and hashes are 32 bytes each", () => {
    expect(codeOf(() => checkHeads([{ ...good(1), signPk: pk(1).slice(1) as SignPublicKey }]))).toBe(
      "MALFORMED",
    );
    expect(codeOf(() => checkHeads([{ ...good(1), hash: new Uint8Array(31).fill(7) }]))).toBe("MALFORMED");
  });

  it("seq is a u32: fractions, negatives and 2^32 are refused, 0xffffffff passes", () => {
    expect(codeOf(() => checkHeads([good(1, 1.5)]))).toBe("MALFORMED");
    expect(codeOf(() => checkHeads([good(1, -1)]))).toBe("MALFORMED");
    expect(codeOf(() => checkHeads([good(1, 2 ** 32)]))).toBe("MALFORMED");
    expect(codeOf(() => checkHeads([good(1, 0xffffffff)]))).toBeUndefined();
  });

  it("seq 0 needs both the flag and a zero hash", () => {
    const zero = new Uint8Array(32);
    expect(codeOf(() => checkHeads([{ ...good(1, 0), hash: zero, pastDamaged: true }]))).toBeUndefined();
    expect(codeOf(() => checkHeads([{ ...good(1, 0), hash: zero, pastDamaged: false }]))).toBe("MALFORMED");
    expect(codeOf(() => checkHeads([{ ...good(1, 0), pastDamaged: true }]))).toBe("MALFORMED");
  });

  it("stream codes 1 and 2 only: 3 (or 0) on the wire is refused", () => {
    expect(readHeads(new Reader(wireHead(1)))[0]!.stream).toBe("main");
    expect(readHeads(new Reader(wireHead(2)))[0]!.stream).toBe("staff");
    expect(codeOf(() => readHeads(new Reader(wireHead(3))))).toBe("MALFORMED");
    expect(codeOf(() => readHeads(new Reader(wireHead(0))))).toBe("MALFORMED");
  });
});
