import type { SignPublicKey } from "../core/brand.js";
import { compareBytes, isAllZero } from "../core/byte-order.js";
import type { Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import type { EnvelopeHead, EnvelopeStream } from "../core/types.js";

/** A head list is at most this long: its count is one byte on the wire. */
export const MAX_HEADS = 255;
const STREAM_CODE: Readonly<Record<EnvelopeStream, number>> = { main: 1, staff: 2 };
const FLAG_PAST_DAMAGED = 0x01;

/** The wire order of heads: by stream, then by signPk (PROTOCOL.md §5). */
export function compareHeads(a: EnvelopeHead, b: EnvelopeHead): number {
  return STREAM_CODE[a.stream] - STREAM_CODE[b.stream] || compareBytes(a.signPk, b.signPk);
}

/** Heads in wire order; throws `MALFORMED` for a duplicate (stream, sender) or a bad head. */
export function sortHeads(heads: readonly EnvelopeHead[]): EnvelopeHead[] {
  const sorted = [...heads].sort(compareHeads);
  checkHeads(sorted);
  return sorted;
}

/**
 * Shape rules of a head list (`MALFORMED`): strictly sorted (so no sender twice per stream), at most
 * 255, 32-byte keys and hashes, and `seq` 0 only as "everything I saw of this sender was damaged"
 * (zero hash, flag set).
 */
export function checkHeads(heads: readonly EnvelopeHead[]): void {
  const fail = (why: string): never => {
    throw new CryptoError("MALFORMED", `heads: ${why}`);
  };
  if (heads.length > MAX_HEADS) fail(`at most ${MAX_HEADS}`);
  heads.forEach((h, i) => {
    if (h.signPk.length !== 32 || h.hash.length !== 32) fail("keys and hashes are 32 bytes");
    if (!Number.isInteger(h.seq) || h.seq < 0 || h.seq > 0xffffffff) fail("seq out of range");
    if (h.seq === 0 && (!h.pastDamaged || !isAllZero(h.hash))) fail("seq 0 only for a sender seen damaged");
    const before = heads[i - 1];
    if (before !== undefined && compareHeads(before, h) >= 0) fail("not sorted by (stream, signPk)");
  });
}

/** `u8 count`, then per head `u8 stream | u8 flags | fixed32 signPk | u32 seq | fixed32 hash`. */
export function writeHeads(w: Writer, heads: readonly EnvelopeHead[]): Writer {
  checkHeads(heads);
  w.u8(heads.length);
  for (const h of heads) {
    w.u8(STREAM_CODE[h.stream])
      .u8(h.pastDamaged ? FLAG_PAST_DAMAGED : 0)
      .fixed(h.signPk, 32)
      .u32(h.seq)
      .fixed(h.hash, 32);
  }
  return w;
}

/** Reads a head list written by {@link writeHeads}; unknown streams or flag bits are `MALFORMED`. */
export function readHeads(r: Reader): EnvelopeHead[] {
  const count = r.u8();
  const heads: EnvelopeHead[] = [];
  for (let i = 0; i < count; i++) {
    const code = r.u8();
    const stream: EnvelopeStream | undefined = code === 1 ? "main" : code === 2 ? "staff" : undefined;
    if (stream === undefined) throw new CryptoError("MALFORMED", `heads: unknown stream ${code}`);
    const flags = r.u8();
    if ((flags & ~FLAG_PAST_DAMAGED) !== 0) throw new CryptoError("MALFORMED", "heads: unknown flag bits");
    const signPk = r.fixed(32) as SignPublicKey;
    const seq = r.u32();
    const hash = r.fixed(32);
    heads.push({ stream, signPk, seq, hash, pastDamaged: flags !== 0 });
  }
  checkHeads(heads);
  return heads;
}

/** The key a head is found under: one per (stream, sender). */
export function headKey(sodium: { to_hex(b: Uint8Array): string }, stream: EnvelopeStream, pk: Uint8Array) {
  return `${stream}:${sodium.to_hex(pk)}`;
}
