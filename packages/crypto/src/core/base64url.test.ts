import { describe, expect, it } from "vitest";
import { decodeBase64Url, encodeBase64Url } from "./base64url.js";
import { loadSodium } from "./sodium.js";

const sodium = await loadSodium();
const URLSAFE = sodium.base64_variants.URLSAFE_NO_PADDING;

describe("base64url", () => {
  it("encodes and decodes exactly as libsodium does, every length from 0 to 70 bytes", () => {
    for (let n = 0; n <= 70; n++) {
      const bytes = sodium.randombytes_buf(n);
      const text = sodium.to_base64(bytes, URLSAFE);
      expect(encodeBase64Url(bytes)).toBe(text);
      expect(decodeBase64Url(text)).toEqual(bytes);
      expect(decodeBase64Url(text)).toEqual(sodium.from_base64(text, URLSAFE));
    }
  });

  it("covers every character both ways", () => {
    const all = new Uint8Array(192).map((_, i) => (i * 37 + 11) & 0xff);
    // 0..255 in three passes: every 6-bit value appears in every position of a group.
    const bytes = new Uint8Array(768).map((_, i) => i & 0xff);
    for (const b of [all, bytes]) {
      const text = encodeBase64Url(b);
      expect(text).toBe(sodium.to_base64(b, URLSAFE));
      expect(decodeBase64Url(text)).toEqual(b);
    }
    expect(new Set(encodeBase64Url(bytes))).toEqual(
      new Set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"),
    );
  });

  it("refuses other characters, padding, a length of 4n+1 and a last character with bits left over", () => {
    expect(encodeBase64Url(new Uint8Array([1, 2, 3, 4]))).toBe("AQIDBA");
    expect(decodeBase64Url("AQIDBA")).toEqual(new Uint8Array([1, 2, 3, 4]));
    for (const bad of [
      "AQIDBA==",
      "AQID+A",
      "AQID/A",
      "AQ ID",
      "AQIDB",
      "AQIDBB",
      "AQIDBé",
      "AQ\u0000D",
      "AQID\u0100A",
    ]) {
      expect(() => decodeBase64Url(bad), bad).toThrow(expect.objectContaining({ code: "MALFORMED" }));
    }
  });
});
