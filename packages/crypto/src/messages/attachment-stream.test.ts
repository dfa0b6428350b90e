import { describe, expect, it } from "vitest";
import { concat } from "../core/codec.js";
import { type CryptoErrorCode, isCryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { openAttachmentChunk } from "./attachment-chunk.js";
import { type AttachmentCheck, decryptAttachment } from "./attachment-decrypt.js";
import {
  type AttachmentPlan,
  attachmentChunkRange,
  encryptAttachmentChunk,
  planAttachment,
} from "./attachment-encrypt.js";
import { attachmentHasher } from "./attachment-hash.js";
import { ATTACHMENT_HEADER_BYTES, parseAttachmentHeader } from "./attachment-header.js";
import {
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_TAG_BYTES,
  attachmentChunkCipherBytes,
  attachmentLayout,
} from "./attachment-layout.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(41));

/** Deterministic pseudo-random bytes (fast, no wasm call per byte). */
function content(size: number, seed = 1): Uint8Array {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

interface Sealed {
  plan: AttachmentPlan;
  meta: AttachmentCheck;
  chunks: Uint8Array[];
}

function seal(data: Uint8Array): Sealed {
  const plan = planAttachment(sodium, data.length, random);
  const chunks: Uint8Array[] = [];
  for (let i = 0; i < plan.chunkCount; i++) {
    const { start, end } = attachmentChunkRange(plan, i);
    chunks.push(encryptAttachmentChunk(sodium, plan, i, data.subarray(start, end)));
  }
  const hash = labelledHash(sodium, LABEL.attachmentHash, data);
  return { plan, meta: { key: plan.key, size: data.length, hash }, chunks };
}

/** Yields `data` in slices whose sizes cycle through `sizes`. */
async function* slices(data: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield data.subarray(at, at + n);
    at += n;
  }
}

async function* stream(header: Uint8Array, chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  yield header;
  for (const c of chunks) yield c;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array> {
  const out: Uint8Array[] = [];
  for await (const c of source) out.push(c);
  return concat(...out);
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (e) {
    return e;
  }
  throw new Error("expected a rejection");
}

async function expectCode(promise: Promise<unknown>, code: CryptoErrorCode) {
  const e = await rejection(promise);
  expect(isCryptoError(e, code), String(e)).toBe(true);
  return e;
}

describe("attachment stream v2: layout", () => {
  it("pads to Padmé over at least one chunk, and the server can check every chunk's exact length", () => {
    expect(attachmentLayout(0)).toEqual({ size: 0, paddedSize: 65536, chunkCount: 1 });
    expect(attachmentLayout(100)).toEqual({ size: 100, paddedSize: 65536, chunkCount: 1 });
    expect(attachmentLayout(10_000_000)).toEqual({
      size: 10_000_000,
      paddedSize: 10_223_616,
      chunkCount: 156,
    });
    const small = attachmentLayout(70_000);
    expect(small.paddedSize).toBe(71_680);
    expect(attachmentChunkCipherBytes(small.paddedSize, 0)).toBe(
      ATTACHMENT_CHUNK_BYTES + ATTACHMENT_TAG_BYTES,
    );
    expect(attachmentChunkCipherBytes(small.paddedSize, 1)).toBe(71_680 - 65_536 + 16);
    expect(() => attachmentChunkCipherBytes(small.paddedSize, 2)).toThrow(/outside/);
    expect(() => attachmentLayout(-1)).toThrow();
    expect(() => attachmentLayout(1.5)).toThrow();
  });
});

describe("attachment stream v2: round trip", () => {
  it("round-trips 10 MB through uneven slices, yields only the file's bytes, checks the hash", async () => {
    const data = content(10_000_000);
    const s = seal(data);
    expect(s.chunks.length).toBe(156);
    const wire = concat(s.plan.header, ...s.chunks);
    const parts: Uint8Array[] = [];
    for await (const p of decryptAttachment(sodium, slices(wire, [100_003, 7, 65_553, 1]), s.meta)) {
      expect(p.length).toBeLessThanOrEqual(ATTACHMENT_CHUNK_BYTES);
      parts.push(p);
    }
    const joined = concat(...parts);
    expect(joined.length).toBe(data.length);
    expect(sodium.memcmp(joined, data)).toBe(true);
  });

  it("handles empty files, exact multiples of a chunk and the padding-only last chunks", async () => {
    for (const size of [0, 1, ATTACHMENT_CHUNK_BYTES, 2 * ATTACHMENT_CHUNK_BYTES, 300_001]) {
      const data = content(size, size + 3);
      const s = seal(data);
      const plain = await collect(decryptAttachment(sodium, stream(s.plan.header, s.chunks), s.meta));
      expect(plain.length === data.length && sodium.memcmp(plain, data)).toBe(true);
    }
  });

  it("is deterministic per chunk: chunk n made again after a 'reload' equals the first (resumption)", () => {
    const data = content(200_000);
    const s = seal(data);
    const { start, end } = attachmentChunkRange(s.plan, 2);
    const again = encryptAttachmentChunk(
      sodium,
      { ...s.plan, key: s.plan.key.slice() as typeof s.plan.key, header: s.plan.header.slice() },
      2,
      data.slice(start, end),
    );
    expect(again).toEqual(s.chunks[2]);
  });

  it("binds index, last flag and header: chunk 0 opens at (0, not last) only", () => {
    const s = seal(content(200_000));
    const c = s.chunks[0]!;
    expect(openAttachmentChunk(sodium, s.meta.key, s.plan.header, { index: 0, last: false }, c).length).toBe(
      65536,
    );
    expect(() =>
      openAttachmentChunk(sodium, s.meta.key, s.plan.header, { index: 0, last: true }, c),
    ).toThrow();
    expect(() =>
      openAttachmentChunk(sodium, s.meta.key, s.plan.header, { index: 1, last: false }, c),
    ).toThrow();
    const otherHeader = s.plan.header.slice();
    otherHeader[20]! ^= 1;
    expect(() =>
      openAttachmentChunk(sodium, s.meta.key, otherHeader, { index: 0, last: false }, c),
    ).toThrow();
  });

  it("the incremental hasher equals H(attachment-hash, file)", () => {
    const data = content(150_000);
    const h = attachmentHasher(sodium);
    for (let at = 0; at < data.length; at += 7_000) h.update(data.subarray(at, at + 7_000));
    expect(h.final()).toEqual(labelledHash(sodium, LABEL.attachmentHash, data));
  });

  it("refuses a chunk of the wrong length or outside the stream when encrypting", () => {
    const plan = planAttachment(sodium, 100, random);
    expect(() => encryptAttachmentChunk(sodium, plan, 0, new Uint8Array(99))).toThrow(/holds 100/);
    expect(() => encryptAttachmentChunk(sodium, plan, 1, new Uint8Array(0))).toThrow(/outside/);
  });
});

describe("attachment stream v2: a hostile server or sender is caught with a named reason", () => {
  const data = content(300_000);
  const s = seal(data); // 5 chunks

  it("a flipped byte in a chunk is ATTACHMENT_INVALID", async () => {
    const altered = s.chunks.map((c) => c.slice());
    altered[2]![100]! ^= 1;
    const e = await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header, altered), s.meta)),
      "ATTACHMENT_INVALID",
    );
    expect((e as { details?: unknown }).details).toEqual({ index: 2 });
  });

  it("a dropped chunk is ATTACHMENT_REORDERED (the next one in its place)", async () => {
    const dropped = [s.chunks[0]!, s.chunks[2]!, s.chunks[3]!, s.chunks[4]!];
    const e = await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header, dropped), s.meta)),
      "ATTACHMENT_REORDERED",
    );
    expect((e as { details?: unknown }).details).toEqual({ expected: 1, found: 2 });
  });

  it("the last chunk served in the place of another is ATTACHMENT_REORDERED naming it", async () => {
    const full = seal(content(2 * ATTACHMENT_CHUNK_BYTES, 4)); // two chunks of the same length
    expect(full.chunks.map((c) => c.length)).toEqual([full.chunks[0]!.length, full.chunks[0]!.length]);
    const early = [full.chunks[1]!, full.chunks[0]!];
    const e = await expectCode(
      collect(decryptAttachment(sodium, stream(full.plan.header, early), full.meta)),
      "ATTACHMENT_REORDERED",
    );
    expect((e as { details?: unknown }).details).toEqual({ expected: 0, found: 1 });
  });

  it("two swapped chunks are ATTACHMENT_REORDERED", async () => {
    const swapped = [s.chunks[0]!, s.chunks[2]!, s.chunks[1]!, s.chunks[3]!, s.chunks[4]!];
    await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header, swapped), s.meta)),
      "ATTACHMENT_REORDERED",
    );
  });

  it("a repeated chunk is ATTACHMENT_REORDERED", async () => {
    const repeated = [s.chunks[0]!, s.chunks[0]!, s.chunks[2]!, s.chunks[3]!, s.chunks[4]!];
    await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header, repeated), s.meta)),
      "ATTACHMENT_REORDERED",
    );
  });

  it("a truncated stream (last chunk, part of a chunk, or the header cut) is ATTACHMENT_TRUNCATED", async () => {
    await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header, s.chunks.slice(0, -1)), s.meta)),
      "ATTACHMENT_TRUNCATED",
    );
    const cut = [...s.chunks.slice(0, 4), s.chunks[4]!.subarray(0, 10)];
    await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header, cut), s.meta)),
      "ATTACHMENT_TRUNCATED",
    );
    await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header.subarray(0, 5), []), s.meta)),
      "ATTACHMENT_TRUNCATED",
    );
  });

  it("a chunk of another attachment (same size, other key) is ATTACHMENT_INVALID", async () => {
    const other = seal(content(300_000, 77));
    const mixed = [...s.chunks];
    mixed[1] = other.chunks[1]!;
    await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header, mixed), s.meta)),
      "ATTACHMENT_INVALID",
    );
    // Its header with our chunks does not open either.
    await expectCode(
      collect(decryptAttachment(sodium, stream(other.plan.header, s.chunks), s.meta)),
      "ATTACHMENT_INVALID",
    );
  });

  it("data after the last chunk is ATTACHMENT_INVALID", async () => {
    await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header, [...s.chunks, Uint8Array.of(0)]), s.meta)),
      "ATTACHMENT_INVALID",
    );
  });

  it("a size or hash other than the signed metadata is ATTACHMENT_MISMATCH or a layout failure", async () => {
    const wrongHash = { ...s.meta, hash: labelledHash(sodium, LABEL.attachmentHash, content(300_000, 9)) };
    await expectCode(
      collect(decryptAttachment(sodium, stream(s.plan.header, s.chunks), wrongHash)),
      "ATTACHMENT_MISMATCH",
    );
    // One byte smaller: same layout, so the file's last byte would be padding, which is not zero.
    await expectCode(
      collect(
        decryptAttachment(sodium, stream(s.plan.header, s.chunks), { ...s.meta, size: s.meta.size - 1 }),
      ),
      "ATTACHMENT_MISMATCH",
    );
    // One byte larger: the hash no longer matches.
    await expectCode(
      collect(
        decryptAttachment(sodium, stream(s.plan.header, s.chunks), { ...s.meta, size: s.meta.size + 1 }),
      ),
      "ATTACHMENT_MISMATCH",
    );
    // A size of another layout: the chunks do not fit it.
    const far = { ...s.meta, size: 1_000_000 };
    const e = await rejection(collect(decryptAttachment(sodium, stream(s.plan.header, s.chunks), far)));
    expect(isCryptoError(e, "ATTACHMENT_TRUNCATED") || isCryptoError(e, "ATTACHMENT_INVALID")).toBe(true);
  });

  it("a sender's non-zero padding is ATTACHMENT_MISMATCH", async () => {
    const plan = planAttachment(sodium, 1000, random);
    const padded = content(65_536, 5); // the file's 1000 bytes, then non-zero "padding"
    const bad = openless(plan, padded);
    const meta = {
      key: plan.key,
      size: 1000,
      hash: labelledHash(sodium, LABEL.attachmentHash, padded.subarray(0, 1000)),
    };
    await expectCode(
      collect(decryptAttachment(sodium, stream(plan.header, [bad]), meta)),
      "ATTACHMENT_MISMATCH",
    );
  });

  it("the v1 secretstream layout (a bare 24-byte header) and other versions are UNSUPPORTED_VERSION", async () => {
    const v1 = sodium.crypto_secretstream_xchacha20poly1305_init_push(s.meta.key).header;
    expect(v1.length).toBe(24);
    await expectCode(collect(decryptAttachment(sodium, stream(v1, s.chunks), s.meta)), "UNSUPPORTED_VERSION");
    const v3 = s.plan.header.slice();
    v3[0] = 3;
    expect(() => parseAttachmentHeader(v3)).toThrow(expect.objectContaining({ code: "UNSUPPORTED_VERSION" }));
    const otherType = s.plan.header.slice();
    otherType[1] = 0x04;
    expect(() => parseAttachmentHeader(otherType)).toThrow(expect.objectContaining({ code: "WRONG_TYPE" }));
    expect(ATTACHMENT_HEADER_BYTES).toBe(21);
    // A header of the right version and type but one byte too long (the length is checked on its own).
    const long = concat(s.plan.header, Uint8Array.of(0));
    expect(() => parseAttachmentHeader(long)).toThrow(
      expect.objectContaining({ code: "UNSUPPORTED_VERSION" }),
    );
  });
});

/** A chunk sealed straight from `padded` (a sender that does not zero its padding). */
function openless(plan: AttachmentPlan, padded: Uint8Array): Uint8Array {
  return sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(
    padded,
    concat(
      Uint8Array.of(LABEL.attachment.length),
      new TextEncoder().encode(LABEL.attachment),
      plan.header,
      Uint8Array.of(0, 0, 0, 0, 1),
    ),
    null,
    concat(plan.header.subarray(2), Uint8Array.of(0, 0, 0, 0, 1)),
    plan.key,
  );
}

describe("attachment stream v2: what a hostile server or sender meets at the edges", () => {
  const small = seal(content(1000, 3));
  const whole = concat(small.plan.header, ...small.chunks);

  it("metadata whose key or hash is not 32 bytes is MALFORMED", async () => {
    for (const meta of [
      { ...small.meta, key: small.meta.key.subarray(0, 31) },
      { ...small.meta, hash: small.meta.hash.subarray(0, 31) },
    ]) {
      await expectCode(collect(decryptAttachment(sodium, slices(whole, [whole.length]), meta)), "MALFORMED");
    }
  });

  it("a header served one byte first and then with the rest decrypts (no early header check)", async () => {
    const out = await collect(decryptAttachment(sodium, slices(whole, [1, whole.length]), small.meta));
    expect(out).toEqual(content(1000, 3));
  });

  it("an empty file yields no piece at all, and a missing last chunk names the counts", async () => {
    const empty = seal(new Uint8Array(0));
    const pieces: Uint8Array[] = [];
    for await (const p of decryptAttachment(sodium, stream(empty.plan.header, empty.chunks), empty.meta)) {
      pieces.push(p);
    }
    expect(pieces).toEqual([]);
    const e = await expectCode(
      collect(decryptAttachment(sodium, stream(small.plan.header, []), small.meta)),
      "ATTACHMENT_TRUNCATED",
    );
    expect((e as { details?: unknown }).details).toEqual({ chunks: 0, expected: 1 });
  });

  it("frees the hash state when a stream fails midway", async () => {
    let finals = 0;
    const spying = new Proxy(sodium, {
      get(target, prop, receiver) {
        if (prop === "crypto_generichash_final") finals++;
        return Reflect.get(target, prop, receiver);
      },
    }) as typeof sodium;
    const flipped = whole.slice();
    flipped[flipped.length - 1]! ^= 1;
    await expectCode(
      collect(decryptAttachment(spying, slices(flipped, [flipped.length]), small.meta)),
      "ATTACHMENT_INVALID",
    );
    expect(finals).toBe(1);
  });
});
