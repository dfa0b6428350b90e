import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { codeOf } from "../../test-support/code-of.js";
import type { WrappedKeyBytes } from "../core/brand.js";
import { concat, labelBytes } from "../core/codec.js";
import { LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import {
  encodeWrappedKey,
  openWrappedKey,
  parseWrappedKey,
  sealWrappedKey,
  unwrapUnderKey,
  type WrappedKey,
  type WrappedKeyKind,
  wrapUnderKey,
} from "./wrapped-key.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(21));
const secret = random(32);
const key = random(32);

const HEADER = 1 + 1 + 1 + 16 + 4 + 4;

describe("wrapped key encoding (type 0x06)", () => {
  it("has the documented layout", () => {
    const bytes = wrapUnderKey(sodium, "recovery", secret, key, random);
    expect(bytes).toHaveLength(HEADER + 4 + 72);
    expect(Array.from(bytes.subarray(0, 3))).toEqual([0x01, 0x06, 0x02]);
    expect(bytes.subarray(3, HEADER).every((b) => b === 0)).toBe(true);
    expect(Array.from(bytes.subarray(HEADER, HEADER + 4))).toEqual([0, 0, 0, 72]);
    // AD = L(account-wrap) || header: resealing the same nonce and secret reproduces the ciphertext.
    const w = parseWrappedKey(bytes);
    const nonce = w.sealed.subarray(0, 24);
    const ad = concat(labelBytes(LABEL.accountWrap), bytes.subarray(0, HEADER));
    const ct = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(secret, ad, null, nonce, key);
    expect(w.sealed.subarray(24)).toEqual(ct);
  });

  it("round-trips: encode(parse(bytes)) equals bytes and parse(encode(w)) equals w", () => {
    const kinds: WrappedKeyKind[] = ["passphrase", "recovery"];
    fc.assert(
      fc.property(
        fc.constantFrom(...kinds),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.nat(),
        fc.nat(),
        fc.uint8Array({ minLength: 72, maxLength: 72 }),
        (kind, salt, ops, mem, sealed) => {
          const w: WrappedKey =
            kind === "passphrase"
              ? { kind, salt, opsLimit: ops, memLimitKiB: mem, sealed }
              : { kind, salt: new Uint8Array(16), opsLimit: 0, memLimitKiB: 0, sealed };
          const bytes = encodeWrappedKey(w);
          expect(parseWrappedKey(bytes)).toEqual(w);
          expect(encodeWrappedKey(parseWrappedKey(bytes))).toEqual(bytes);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("rejects another version, another type, unknown and retired kinds, truncation and trailing bytes", () => {
    const good = wrapUnderKey(sodium, "recovery", secret, key, random);
    const with_ = (at: number, value: number) => {
      const b = good.slice();
      b[at] = value;
      return b;
    };
    expect(codeOf(() => parseWrappedKey(with_(0, 2)))).toBe("UNSUPPORTED_VERSION");
    expect(codeOf(() => parseWrappedKey(with_(1, 0x05)))).toBe("WRONG_TYPE");
    expect(codeOf(() => parseWrappedKey(with_(2, 0)))).toBe("MALFORMED");
    // Kind 3, protocol 1's root-for-owner copy of the root seed, is retired: no bundle of it parses.
    expect(codeOf(() => parseWrappedKey(with_(2, 3)))).toBe("MALFORMED");
    expect(codeOf(() => parseWrappedKey(with_(2, 4)))).toBe("MALFORMED");
    for (let n = 0; n < good.length; n++) {
      expect(codeOf(() => parseWrappedKey(good.subarray(0, n)))).toBe("MALFORMED");
    }
    expect(codeOf(() => parseWrappedKey(concat(good, Uint8Array.of(0))))).toBe("MALFORMED");
  });

  it("requires zero salt and parameters on kind 2, and a 72-byte sealed field", () => {
    const good = wrapUnderKey(sodium, "recovery", secret, key, random);
    for (const at of [3, 18, HEADER - 5, HEADER - 1]) {
      const b = good.slice();
      b[at] = 1;
      expect(codeOf(() => parseWrappedKey(b))).toBe("MALFORMED");
    }
    const w = parseWrappedKey(good);
    expect(codeOf(() => encodeWrappedKey({ ...w, sealed: w.sealed.subarray(1) }))).toBe("MALFORMED");
    const shortSealed = concat(good.subarray(0, HEADER), Uint8Array.of(0, 0, 0, 71), w.sealed.subarray(1));
    expect(codeOf(() => parseWrappedKey(shortSealed))).toBe("MALFORMED");
  });
});

describe("wrapUnderKey / unwrapUnderKey (kind 2)", () => {
  it("round-trips, with a fresh nonce each time", () => {
    const a = wrapUnderKey(sodium, "recovery", secret, key, random);
    const b = wrapUnderKey(sodium, "recovery", secret, key, random);
    expect(a).not.toEqual(b);
    expect(unwrapUnderKey(sodium, "recovery", a, key)).toEqual(secret);
    expect(unwrapUnderKey(sodium, "recovery", b, key)).toEqual(secret);
  });

  it("fails with UNWRAP_FAILED under another key and WRONG_TYPE for another kind", () => {
    const bytes = wrapUnderKey(sodium, "recovery", secret, key, random);
    expect(codeOf(() => unwrapUnderKey(sodium, "recovery", bytes, random(32)))).toBe("UNWRAP_FAILED");
    const pass = sealWrappedKey(
      sodium,
      { kind: "passphrase", salt: random(16), opsLimit: 1, memLimitKiB: 8 },
      secret,
      key,
      random,
    );
    expect(codeOf(() => unwrapUnderKey(sodium, "recovery", pass, key))).toBe("WRONG_TYPE");
  });

  it("binds the kind: relabelling a kind-2 bundle as kind 1 does not open", () => {
    const bytes = wrapUnderKey(sodium, "recovery", secret, key, random);
    const relabelled = bytes.slice() as WrappedKeyBytes;
    relabelled[2] = 1;
    expect(codeOf(() => openWrappedKey(sodium, parseWrappedKey(relabelled), key))).toBe("UNWRAP_FAILED");
  });

  it("detects a flipped bit in every byte", () => {
    const bytes = wrapUnderKey(sodium, "recovery", secret, key, random);
    const allowed = new Set(["UNWRAP_FAILED", "MALFORMED", "UNSUPPORTED_VERSION", "WRONG_TYPE"]);
    for (let at = 0; at < bytes.length; at++) {
      for (const bit of [0x01, 0x80]) {
        const t = bytes.slice() as WrappedKeyBytes;
        t[at]! ^= bit;
        const code = codeOf(() => unwrapUnderKey(sodium, "recovery", t, key));
        expect(allowed.has(code ?? "accepted"), `byte ${at} bit ${bit}: ${code}`).toBe(true);
      }
    }
  });

  it("rejects a secret or key that is not 32 bytes", () => {
    expect(codeOf(() => wrapUnderKey(sodium, "recovery", new Uint8Array(31), key, random))).toBe("MALFORMED");
    expect(codeOf(() => wrapUnderKey(sodium, "recovery", secret, new Uint8Array(16), random))).toBe(
      "MALFORMED",
    );
    const bytes = wrapUnderKey(sodium, "recovery", secret, key, random);
    expect(codeOf(() => unwrapUnderKey(sodium, "recovery", bytes, new Uint8Array(16)))).toBe("MALFORMED");
  });
});
