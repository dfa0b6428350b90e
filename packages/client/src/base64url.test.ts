import { fromBase64, loadSodium, toBase64 } from "@briefgeheim/crypto";
import { describe, expect, it } from "vitest";
import { decodeBase64Url } from "./base64url.js";

const sodium = await loadSodium();

describe("decodeBase64Url", () => {
  it("decodes what libsodium encodes, every length from 0 to 70 bytes", () => {
    for (let n = 0; n <= 70; n++) {
      const bytes = sodium.randombytes_buf(n);
      const text = toBase64(sodium, bytes);
      expect(decodeBase64Url(text)).toEqual(bytes);
      expect(decodeBase64Url(text)).toEqual(fromBase64(sodium, text));
    }
  });

  it("refuses other characters, padding, a length of 4n+1 and a last character with bits left over", () => {
    const text = toBase64(sodium, new Uint8Array([1, 2, 3, 4]));
    expect(text).toBe("AQIDBA");
    for (const bad of ["AQIDBA==", "AQID+A", "AQID/A", "AQ ID", "AQIDB", "AQIDBB", "AQIDBé", "AQ\u0000D"]) {
      expect(() => decodeBase64Url(bad), bad).toThrow(expect.objectContaining({ code: "MALFORMED" }));
    }
  });
});
