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

  it("agrees with libsodium on libsodium's small-order list, non-canonical encodings and bit 255 set", async () => {
    // For each ephemeral key: where libsodium's X25519 refuses it (all-zero result), both opens must
    // refuse; where it gives a shared secret, a box sealed under that secret must open on both paths.
    const hex = (h: string) => Uint8Array.from(h.match(/../g)!.map((b) => Number.parseInt(b, 16)));
    const p = (low: number) => hex(`${low.toString(16)}${"ff".repeat(30)}7f`);
    const keys: Uint8Array[] = [
      new Uint8Array(32),
      hex(`01${"00".repeat(31)}`),
      hex("e0eb7a7c3b41b8ae1656e3faf19fc46ada098deb9c32b1fd866205165f49b800"),
      hex("5f9c95bca3508c24b1d0b1559c83ef5b04445cc4581c8e86d8224eddd09f1157"),
      ...Array.from({ length: 20 }, (_, i) => p(0xec + i)), // p - 1 up to p + 18 (non-canonical)
      random(32),
    ];
    const epks = keys.flatMap((k) => [k, Uint8Array.from(k, (b, i) => (i === 31 ? b | 0x80 : b))]);
    const message = random(32);
    let opened = 0;
    for (const epk of epks) {
      let shared: Uint8Array | undefined;
      try {
        shared = sodium.crypto_scalarmult(box.secretKey, epk);
      } catch {
        shared = undefined;
      }
      const nonce = sodium.crypto_generichash(24, new Uint8Array([...epk, ...box.publicKey]), null);
      const k = sodium.crypto_core_hsalsa20(new Uint8Array(16), shared ?? random(32), null);
      const sealed = new Uint8Array([...epk, ...sodium.crypto_secretbox_easy(message, nonce, k)]);
      const what = sodium.to_hex(epk);
      if (shared === undefined) {
        expect(() => sodium.crypto_box_seal_open(sealed, box.publicKey, box.secretKey), what).toThrow();
        expect(await codeOfAsync(() => sealOpenNative(sodium, sealed, native)), what).toBe("DECRYPT_FAILED");
      } else {
        expect(sodium.crypto_box_seal_open(sealed, box.publicKey, box.secretKey), what).toEqual(message);
        expect(await sealOpenNative(sodium, sealed, native), what).toEqual(message);
        opened++;
      }
    }
    // Both kinds occurred: some keys refused, some (the random one at least) opened.
    expect(opened).toBeGreaterThan(0);
    expect(opened).toBeLessThan(epks.length);
  });

  it("keeps libsodium's refusal as the cause, and overwrites the box key it derived", async () => {
    const sealed = sealToBox(sodium, random(32), box.publicKey, random);
    const changed = sealed.slice();
    changed[sealed.length - 1]! ^= 0x01;
    const error = await sealOpenNative(sodium, changed, native).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CryptoError);
    expect((error as CryptoError).cause).toBeInstanceOf(Error);
    const keys: Uint8Array[] = [];
    const spying = new Proxy(sodium, {
      get(target, prop, receiver) {
        if (prop === "crypto_core_hsalsa20") {
          return (...args: Parameters<typeof sodium.crypto_core_hsalsa20>) => {
            const out = target.crypto_core_hsalsa20(...args);
            keys.push(out as unknown as Uint8Array);
            return out;
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as typeof sodium;
    await sealOpenNative(spying, sealed, native);
    await sealOpenNative(spying, changed, native).catch(() => undefined);
    expect(keys).toHaveLength(2);
    for (const k of keys) expect(k.every((b) => b === 0)).toBe(true);
  });
});
