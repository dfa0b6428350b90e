import { isAllZero } from "./byte-order.js";
import { CryptoError } from "./errors.js";
import { SEALED_BOX_OVERHEAD, sealedBoxNonce } from "./sealed-box.js";
import type { Sodium } from "./sodium.js";
import type { NativeBoxKey } from "./x25519-native.js";

/**
 * `crypto_box_seal_open` with its X25519 step in Web Crypto (x25519-native.ts) and the rest in
 * libsodium, byte for byte the same (tested against libsodium): `sealed = epk || box`, shared =
 * X25519(sk, epk), refused when all zero (a small-order `epk`, as libsodium refuses it), key =
 * HSalsa20(shared, 0) as `crypto_box_beforenm`, nonce = BLAKE2b-192(epk || pk), then
 * `crypto_secretbox_open_easy`. Any failure is `DECRYPT_FAILED`, as for libsodium's open.
 *
 * @example
 * const opened = await sealOpenNative(sodium, grant.sealed, native);
 */
export async function sealOpenNative(
  sodium: Sodium,
  sealed: Uint8Array,
  key: NativeBoxKey,
): Promise<Uint8Array> {
  const fail = (cause?: unknown) =>
    new CryptoError("DECRYPT_FAILED", "sealed box does not open with this box key", { cause });
  if (sealed.length < SEALED_BOX_OVERHEAD) throw fail();
  const epk = sealed.slice(0, 32);
  let shared: Uint8Array;
  try {
    const subtle = globalThis.crypto.subtle;
    const peer = await subtle.importKey("raw", epk, { name: "X25519" }, false, []);
    shared = new Uint8Array(await subtle.deriveBits({ name: "X25519", public: peer }, key.privateKey, 256));
  } catch (cause) {
    throw fail(cause); // Web Crypto refuses a small-order key itself
  }
  if (isAllZero(shared)) throw fail();
  const k = sodium.crypto_core_hsalsa20(new Uint8Array(16), shared, null);
  sodium.memzero(shared);
  const nonce = sealedBoxNonce(sodium, epk, key.publicKey);
  try {
    return sodium.crypto_secretbox_open_easy(sealed.subarray(32), nonce, k);
  } catch (cause) {
    throw fail(cause);
  } finally {
    sodium.memzero(k);
  }
}
