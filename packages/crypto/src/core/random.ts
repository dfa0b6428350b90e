import type { Sodium } from "./sodium.js";

/**
 * Source of randomness. Production code uses libsodium's CSPRNG; golden-vector tests pass a
 * deterministic source so that expected bytes can be committed. Never use the deterministic
 * source outside tests.
 */
export type RandomSource = (length: number) => Uint8Array;

export function systemRandom(sodium: Sodium): RandomSource {
  return (length) => sodium.randombytes_buf(length);
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
