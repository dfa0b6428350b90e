import { CryptoError } from "./errors.js";

/** Every padded plaintext is at least this long, so short messages all look alike (PROTOCOL.md §5). */
export const MIN_PADDED_BYTES = 1024;

/** The `u32 len` prefix in front of the payload. */
const LENGTH_PREFIX_BYTES = 4;

/**
 * Padmé: round `length` up so that only O(log log L) bits of it leak, at most 12% overhead.
 * `E = floor(log2 L)`, `S = floor(log2 E) + 1`, `z = E - S`, result `ceil(L / 2^z) * 2^z`.
 *
 * @example
 * padme(1028); // 1032
 * padme(padme(5000)) === padme(5000); // true: outputs are fixed points
 */
export function padme(length: number): number {
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new CryptoError("MALFORMED", `cannot pad a length of ${length}`);
  }
  // log2 is undefined for 0 and E = 0 for 1: nothing to round.
  if (length < 2) return length;
  const e = bitLength(length) - 1;
  const s = bitLength(e);
  const step = 2 ** (e - s);
  // Arithmetic instead of `& ~mask`: JS bit operators are 32-bit.
  return Math.ceil(length / step) * step;
}

/**
 * `u32 len || bytes`, zero-filled to `padme(max(len + 4, 1024))`.
 *
 * @example
 * const padded = padPlaintext(new TextEncoder().encode("hallo")); // 1024 bytes
 * unpadPlaintext(padded); // the 5 bytes again
 */
export function padPlaintext(bytes: Uint8Array): Uint8Array {
  const framed = LENGTH_PREFIX_BYTES + bytes.length;
  if (bytes.length > 0xffffffff) throw new CryptoError("TOO_LARGE", "plaintext exceeds 4 GiB");
  const out = new Uint8Array(padme(Math.max(framed, MIN_PADDED_BYTES)));
  new DataView(out.buffer).setUint32(0, bytes.length);
  out.set(bytes, LENGTH_PREFIX_BYTES);
  return out;
}

/**
 * Inverse of {@link padPlaintext}. Throws `MALFORMED` unless the length prefix fits, the total size is
 * exactly the Padmé size for it (one value, one encoding) and every filler byte is zero.
 */
export function unpadPlaintext(padded: Uint8Array): Uint8Array {
  if (padded.length < LENGTH_PREFIX_BYTES) throw new CryptoError("MALFORMED", "padded plaintext too short");
  const length = new DataView(padded.buffer, padded.byteOffset, padded.byteLength).getUint32(0);
  const end = LENGTH_PREFIX_BYTES + length;
  if (end > padded.length) throw new CryptoError("MALFORMED", "length prefix exceeds the padded plaintext");
  if (padded.length !== padme(Math.max(end, MIN_PADDED_BYTES))) {
    throw new CryptoError("MALFORMED", "padded size does not match the length prefix");
  }
  let filler = 0;
  for (let i = end; i < padded.length; i++) filler |= padded[i]!;
  if (filler !== 0) throw new CryptoError("MALFORMED", "padding is not all zeros");
  return padded.slice(LENGTH_PREFIX_BYTES, end);
}

/** Number of bits needed to write `n` (n >= 1); exact for every safe integer, unlike Math.log2. */
function bitLength(n: number): number {
  let bits = 0;
  for (let v = n; v >= 1; v = Math.floor(v / 2)) bits++;
  return bits;
}
