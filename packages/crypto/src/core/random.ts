import type { Sodium } from "./sodium.js";

/**
 * Source of randomness. Production code uses the system's CSPRNG (`systemRandom`); golden-vector tests pass a
 * deterministic source so that expected bytes can be committed. Never use the deterministic
 * source outside tests.
 */
export type RandomSource = (length: number) => Uint8Array;

/** The most bytes one `getRandomValues` call may fill (Web Crypto's limit). */
const WEB_CRYPTO_MAX = 65_536;

interface WebCryptoRandom {
  getRandomValues(array: Uint8Array): Uint8Array;
}

/** The host's Web Crypto CSPRNG (browsers, their workers, Node 19 and later), if there is one. */
function hostRandom(): WebCryptoRandom | undefined {
  const c = (globalThis as { crypto?: Partial<WebCryptoRandom> }).crypto;
  return typeof c?.getRandomValues === "function" ? (c as WebCryptoRandom) : undefined;
}

/**
 * The system's CSPRNG. libsodium.js draws its randomness from the same Web Crypto source, but four
 * bytes per call into JavaScript: `randombytes_buf(32)` took 150 µs in Chromium and 177 µs in Node,
 * against 5-18 µs for one `getRandomValues` (1,024 bytes: 3-5 ms against 5-8 µs); every nonce, key
 * and sealed box's ephemeral key pays it (docs/PERFORMANCE.md). So the host's source is called
 * directly, in one call per 64 KiB; libsodium's only where the host has none.
 *
 * @example
 * const random = systemRandom(sodium);
 * const nonce = random(24);
 */
export function systemRandom(sodium: Sodium, host: WebCryptoRandom | undefined = hostRandom()): RandomSource {
  if (host === undefined) return (length) => sodium.randombytes_buf(length);
  return (length) => {
    const out = new Uint8Array(length);
    for (let at = 0; at < length; at += WEB_CRYPTO_MAX) {
      host.getRandomValues(out.subarray(at, Math.min(length, at + WEB_CRYPTO_MAX)));
    }
    return out;
  };
}

/** Deterministic stream for test vectors: ChaCha20 keystream (IETF) of a 32-byte seed. */
export function seededRandom(sodium: Sodium, seed: Uint8Array): RandomSource {
  let counter = 0;
  return (length) => {
    const nonce = new Uint8Array(sodium.crypto_stream_chacha20_ietf_NONCEBYTES);
    new DataView(nonce.buffer).setUint32(0, counter++);
    return sodium.crypto_stream_chacha20_ietf_xor(new Uint8Array(length), nonce, seed);
  };
}
