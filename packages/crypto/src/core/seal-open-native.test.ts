import { describe, expect, it } from "vitest";
import type { BoxKeyPair, BoxPublicKey } from "./brand.js";
import { CryptoError } from "./errors.js";
import { seededRandom } from "./random.js";
import { sealOpenNative } from "./seal-open-native.js";
import { sealToBox } from "./sealed-box.js";
import { loadSodium } from "./sodium.js";
import { importNativeBoxKey } from "./x25519-native.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(5));
const pair = sodium.crypto_box_seed_keypair(random(32));
const box = { publicKey: pair.publicKey, secretKey: pair.privateKey } as unknown as BoxKeyPair;
// Node and Chromium have X25519 in Web Crypto; the tests need it.
const native = (await importNativeBoxKey(box))!;

/** The CryptoError code `p` rejects with (anything else is rethrown), undefined when it resolves. */
async function codeOfAsync(p: () => Promise<unknown>): Promise<string | undefined> {
  try {
    await p();
  } catch (e) {
    if (e instanceof CryptoError) return e.code;
    throw e;
  }
  return undefined;
}

describe("sealOpenNative", () => {
  it("opens exactly what libsodium's crypto_box_seal_open opens, for sealed boxes of every size up to 100 bytes", async () => {
    expect(native).toBeDefined();
    for (let n = 0; n <= 100; n++) {
      const message = random(n);
      for (const sealed of [
        sealToBox(sodium, message, box.publicKey, random),
        sodium.crypto_box_seal(message, box.publicKey),
      ]) {
        expect(sodium.crypto_box_seal_open(sealed, box.publicKey, box.secretKey)).toEqual(message);
        expect(await sealOpenNative(sodium, sealed, native)).toEqual(message);
      }
    }
  });

  it("refuses with DECRYPT_FAILED, as libsodium does: a changed byte, another recipient, a small-order key, a short box", async () => {
    const sealed = sealToBox(sodium, random(32), box.publicKey, random);
    const other = sodium.crypto_box_keypair();
    const cases: [string, Uint8Array][] = [
      ...[0, 31, 32, 47, sealed.length - 1].map((i): [string, Uint8Array] => {
        const changed = sealed.slice();
        changed[i]! ^= 0x01;
        return [`byte ${i} changed`, changed];
      }),
      ["sealed to another key", sealToBox(sodium, random(32), other.publicKey as BoxPublicKey, random)],
      // The all-zero point and u = 1 have small order: X25519 gives all zeros with any secret key.
      ["epk 0", new Uint8Array([...new Uint8Array(32), ...sealed.subarray(32)])],
      ["epk 1", new Uint8Array([1, ...new Uint8Array(31), ...sealed.subarray(32)])],
      ["shorter than its overhead", sealed.subarray(0, 47)],
    ];
    for (const [what, bad] of cases) {
      expect(() => sodium.crypto_box_seal_open(bad, box.publicKey, box.secretKey), what).toThrow();
      expect(await codeOfAsync(() => sealOpenNative(sodium, bad, native)), what).toBe("DECRYPT_FAILED");
    }
  });
});
