import type { BoxKeyPair } from "./brand.js";

/** A box key pair whose secret half is in the platform's Web Crypto as an X25519 key (not extractable). */
export interface NativeBoxKey {
  readonly privateKey: CryptoKey;
  readonly publicKey: Uint8Array;
}

/** PKCS #8 wrapping of a raw X25519 private key (RFC 8410): this prefix, then the 32 key bytes. */
const PKCS8_X25519 = new Uint8Array([
  0x30, 0x2e, 0x02, 0x01, 0x00, 0x30, 0x05, 0x06, 0x03, 0x2b, 0x65, 0x6e, 0x04, 0x22, 0x04, 0x20,
]);

/**
 * Imports `box` for X25519 in Web Crypto (`globalThis.crypto.subtle`: browsers, their workers, Node),
 * or undefined where the platform has no Web Crypto X25519: the caller then keeps libsodium's. Used
 * where many sealed boxes to one key are opened (counting survey answers, issue 13): Chromium's
 * native X25519 took about half the time of libsodium's WebAssembly on this machine.
 *
 * @example
 * const native = await importNativeBoxKey(me.box);
 * const opened = native === undefined ? libsodiumOpen() : await sealOpenNative(sodium, sealed, native);
 */
export async function importNativeBoxKey(box: BoxKeyPair): Promise<NativeBoxKey | undefined> {
  const subtle = globalThis.crypto?.subtle;
  if (subtle === undefined) return undefined;
  const pkcs8 = new Uint8Array(PKCS8_X25519.length + box.secretKey.length);
  pkcs8.set(PKCS8_X25519);
  pkcs8.set(box.secretKey, PKCS8_X25519.length);
  try {
    const privateKey = await subtle.importKey("pkcs8", pkcs8, { name: "X25519" }, false, ["deriveBits"]);
    return { privateKey, publicKey: box.publicKey.slice() };
  } catch {
    return undefined; // no X25519 in this Web Crypto
  } finally {
    pkcs8.fill(0);
  }
}
