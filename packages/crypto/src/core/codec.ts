import { CryptoError } from "./errors.js";

/*
 * One encoder and one strict decoder for the whole package: constructing a TextDecoder per string cost
 * a Chromium worker about 0.7 µs more than a decode (the survey count decodes four strings a record;
 * docs/PERFORMANCE.md, Statistics). A decode without `stream` starts from a fresh state each call, so
 * sharing them carries nothing from one call to the next, a refused byte sequence included.
 */
const utf8 = new TextEncoder();
/** Private: a `decode(x, { stream: true })` anywhere would carry bytes into the next call. */
const strictUtf8 = new TextDecoder("utf-8", { fatal: true, ignoreBOM: true });

/** UTF-8 to text, refusing malformed input (throws a TypeError) and keeping a leading BOM as text. */
export function decodeStrictUtf8(bytes: Uint8Array): string {
  return strictUtf8.decode(bytes);
}

/**
 * The binary encoding of every structure: fixed-width big-endian integers, fixed-length byte
 * fields, and variable fields as `u32 length || bytes`. No optional fields, no maps: one value has
 * exactly one encoding, so "parse then re-encode" is the identity and a signature over the bytes
 * is a signature over the meaning.
 */
export class Writer {
  private parts: Uint8Array[] = [];
  private size = 0;

  u8(n: number): this {
    return this.push(Uint8Array.of(checkInt(n, 0xff)));
  }
  u16(n: number): this {
    const b = new Uint8Array(2);
    new DataView(b.buffer).setUint16(0, checkInt(n, 0xffff));
    return this.push(b);
  }
  u32(n: number): this {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, checkInt(n, 0xffffffff));
    return this.push(b);
  }
  /** Unsigned 64-bit, limited to Number.MAX_SAFE_INTEGER (timestamps in ms, counters). */
  u64(n: number): this {
    const b = new Uint8Array(8);
    new DataView(b.buffer).setBigUint64(0, BigInt(checkInt(n, Number.MAX_SAFE_INTEGER)));
    return this.push(b);
  }
  /** Bytes of a length both sides know (keys, hashes, nonces). */
  fixed(bytes: Uint8Array, length: number): this {
    if (bytes.length !== length) {
      throw new CryptoError("MALFORMED", `expected ${length} bytes, got ${bytes.length}`);
    }
    return this.push(bytes);
  }
  /** `u32 length || bytes`. */
  bytes(bytes: Uint8Array): this {
    this.u32(bytes.length);
    return this.push(bytes);
  }
  /** UTF-8 string as `u32 length || bytes`. */
  str(s: string): this {
    return this.bytes(utf8.encode(s));
  }
  private push(b: Uint8Array): this {
    this.parts.push(b);
    this.size += b.length;
    return this;
  }
  finish(): Uint8Array {
    const out = new Uint8Array(this.size);
    let at = 0;
    for (const p of this.parts) {
      out.set(p, at);
      at += p.length;
    }
    return out;
  }
}

/** Strict reader: every read is bounds-checked; `end()` rejects trailing bytes. */
export class Reader {
  private at = 0;
  private readonly view: DataView;
  constructor(private readonly buf: Uint8Array) {
    this.view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  }
  get offset(): number {
    return this.at;
  }
  u8(): number {
    this.need(1);
    return this.view.getUint8(this.at++);
  }
  u16(): number {
    this.need(2);
    const v = this.view.getUint16(this.at);
    this.at += 2;
    return v;
  }
  u32(): number {
    this.need(4);
    const v = this.view.getUint32(this.at);
    this.at += 4;
    return v;
  }
  u64(): number {
    this.need(8);
    const v = this.view.getBigUint64(this.at);
    this.at += 8;
    if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new CryptoError("MALFORMED", "u64 out of range");
    return Number(v);
  }
  fixed(length: number): Uint8Array {
    this.need(length);
    const v = this.buf.slice(this.at, this.at + length);
    this.at += length;
    return v;
  }
  /** Reads `u32 length || bytes`; `max` guards against absurd lengths before allocation. */
  bytes(max = 64 * 1024 * 1024): Uint8Array {
    const n = this.u32();
    if (n > max) throw new CryptoError("MALFORMED", `field of ${n} bytes exceeds ${max}`);
    return this.fixed(n);
  }
  str(max = 4096): string {
    try {
      return strictUtf8.decode(this.bytes(max));
    } catch (e) {
      if (e instanceof CryptoError) throw e;
      throw new CryptoError("MALFORMED", "invalid UTF-8", { cause: e });
    }
  }
  end(): void {
    if (this.at !== this.buf.length) {
      throw new CryptoError("MALFORMED", `${this.buf.length - this.at} trailing bytes`);
    }
  }
  private need(n: number): void {
    if (this.at + n > this.buf.length) throw new CryptoError("MALFORMED", "unexpected end of data");
  }
}

function checkInt(n: number, max: number): number {
  if (!Number.isInteger(n) || n < 0 || n > max)
    throw new CryptoError("MALFORMED", `integer ${n} out of range`);
  return n;
}

/** Concatenate byte arrays. */
export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/** `u8 len || utf8(label)`: the prefix of every signed message and every associated data. */
export function labelBytes(label: string): Uint8Array {
  const l = utf8.encode(label);
  return concat(Uint8Array.of(l.length), l);
}
