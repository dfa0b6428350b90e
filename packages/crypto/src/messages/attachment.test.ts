import { describe, expect, it } from "vitest";
import { concat } from "../core/codec.js";
import { isCryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import {
  ATTACHMENT_CHUNK_BYTES,
  ATTACHMENT_CIPHER_CHUNK_BYTES,
  ATTACHMENT_HEADER_BYTES,
  decryptAttachment,
  encryptAttachment,
} from "./attachment.js";

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

/** Yields `data` in slices whose sizes cycle through `sizes`. */
async function* slices(data: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < data.length; i++) {
    const n = sizes[i % sizes.length]!;
    yield data.subarray(at, at + n);
    at += n;
  }
}

async function* fromChunks(chunks: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const c of chunks) yield c;
}

async function collect(source: AsyncIterable<Uint8Array>): Promise<Uint8Array[]> {
  const out: Uint8Array[] = [];
  for await (const c of source) out.push(c);
  return out;
}

async function encryptAll(data: Uint8Array, sizes: readonly number[] = [ATTACHMENT_CHUNK_BYTES]) {
  const enc = encryptAttachment(sodium, slices(data, sizes), { random });
  const chunks = await collect(enc.chunks);
  const digest = await enc.done;
  return { key: enc.key, chunks, ...digest };
}

async function expectRejects(promise: Promise<unknown>, code: "ATTACHMENT_TRUNCATED" | "ATTACHMENT_INVALID") {
  let caught: unknown;
  try {
    await promise;
  } catch (e) {
    caught = e;
  }
  expect(isCryptoError(caught, code), String(caught)).toBe(true);
}

describe("attachments", () => {
  it("round-trips 10 MB through uneven slices on both sides, with the hash of §6", async () => {
    const data = content(10_000_000);
    const enc = await encryptAll(data, [1, 70_000, 13, 200_000, 65_536, 4097]);
    expect(enc.size).toBe(data.length);
    expect(enc.hash).toEqual(labelledHash(sodium, LABEL.attachmentHash, data));
    expect(enc.chunks[0]!.length).toBe(ATTACHMENT_HEADER_BYTES);
    expect(enc.chunks.length).toBe(1 + Math.ceil(data.length / ATTACHMENT_CHUNK_BYTES));

    const cipher = concat(...enc.chunks);
    const plain = await collect(decryptAttachment(sodium, slices(cipher, [100_003, 7, 65_553, 1]), enc));
    expect(plain.every((p) => p.length <= ATTACHMENT_CHUNK_BYTES)).toBe(true);
    // toEqual on 10 MB walks every element slowly; memcmp compares the bytes.
    const joined = concat(...plain);
    expect(joined.length).toBe(data.length);
    expect(sodium.memcmp(joined, data)).toBe(true);
  });

  it("handles an empty attachment and an exact multiple of the chunk size (last full chunk is final)", async () => {
    for (const size of [0, 1, ATTACHMENT_CHUNK_BYTES, 2 * ATTACHMENT_CHUNK_BYTES]) {
      const data = content(size, size + 3);
      const enc = await encryptAll(data, [size || 1]);
      expect(enc.chunks.length).toBe(1 + Math.max(1, Math.ceil(size / ATTACHMENT_CHUNK_BYTES)));
      const plain = concat(...(await collect(decryptAttachment(sodium, fromChunks(enc.chunks), enc))));
      expect(plain.length === data.length && sodium.memcmp(plain, data)).toBe(true);
    }
  });

  it("never holds more than about two chunks while encrypting", async () => {
    const data = content(3_000_000);
    let read = 0;
    async function* counted() {
      for await (const piece of slices(data, [10_000, 150_000, 33])) {
        read += piece.length;
        yield piece;
      }
    }
    const enc = encryptAttachment(sodium, counted(), { random });
    let maxChunk = 0;
    let written = 0;
    let maxAhead = 0;
    for await (const chunk of enc.chunks) {
      maxChunk = Math.max(maxChunk, chunk.length);
      if (chunk.length > ATTACHMENT_HEADER_BYTES) written += chunk.length - 17;
      maxAhead = Math.max(maxAhead, read - written);
    }
    expect(maxChunk).toBeLessThanOrEqual(ATTACHMENT_CIPHER_CHUNK_BYTES);
    // Plaintext read but not yet emitted: the chunk being filled plus the rest of one source slice.
    expect(maxAhead).toBeLessThanOrEqual(ATTACHMENT_CHUNK_BYTES + 150_000);
    expect(read).toBe(data.length);
    expect((await enc.done).size).toBe(data.length);
  });

  it("a stream without its last chunk is ATTACHMENT_TRUNCATED, also when cut in the header", async () => {
    const data = content(200_000);
    const enc = await encryptAll(data);
    await expectRejects(
      collect(decryptAttachment(sodium, fromChunks(enc.chunks.slice(0, -1)), enc)),
      "ATTACHMENT_TRUNCATED",
    );
    await expectRejects(collect(decryptAttachment(sodium, fromChunks([]), enc)), "ATTACHMENT_TRUNCATED");
    const cut = enc.chunks[0]!.subarray(0, 10);
    await expectRejects(collect(decryptAttachment(sodium, fromChunks([cut]), enc)), "ATTACHMENT_TRUNCATED");
  });

  it("swapped, altered or extra chunks are ATTACHMENT_INVALID", async () => {
    const data = content(300_000);
    const enc = await encryptAll(data);
    const [header, a, b, ...rest] = enc.chunks;
    const swapped = [header!, b!, a!, ...rest];
    await expectRejects(collect(decryptAttachment(sodium, fromChunks(swapped), enc)), "ATTACHMENT_INVALID");

    const altered = enc.chunks.map((c) => c.slice());
    altered[2]![100]! ^= 1;
    await expectRejects(collect(decryptAttachment(sodium, fromChunks(altered), enc)), "ATTACHMENT_INVALID");

    const extra = [...enc.chunks, new Uint8Array([0])];
    await expectRejects(collect(decryptAttachment(sodium, fromChunks(extra), enc)), "ATTACHMENT_INVALID");

    const otherKey = { ...enc, key: random(32) };
    await expectRejects(
      collect(decryptAttachment(sodium, fromChunks(enc.chunks), otherKey)),
      "ATTACHMENT_INVALID",
    );
  });

  it("a wrong hash or size in the metadata is ATTACHMENT_INVALID", async () => {
    const data = content(100_000);
    const enc = await encryptAll(data);
    const wrongHash = { ...enc, hash: labelledHash(sodium, LABEL.attachmentHash, content(100_000, 9)) };
    await expectRejects(
      collect(decryptAttachment(sodium, fromChunks(enc.chunks), wrongHash)),
      "ATTACHMENT_INVALID",
    );
    for (const size of [enc.size - 1, enc.size + 1]) {
      await expectRejects(
        collect(decryptAttachment(sodium, fromChunks(enc.chunks), { ...enc, size })),
        "ATTACHMENT_INVALID",
      );
    }
  });

  it("uses AD = L(attachment label) on every chunk", async () => {
    const data = content(70_000);
    const enc = await encryptAll(data);
    const state = sodium.crypto_secretstream_xchacha20poly1305_init_pull(enc.chunks[0]!, enc.key);
    const ad = concat(Uint8Array.of(LABEL.attachment.length), new TextEncoder().encode(LABEL.attachment));
    const first = sodium.crypto_secretstream_xchacha20poly1305_pull(state, enc.chunks[1]!, ad);
    if (first === false) throw new Error("first chunk did not open with AD = L(attachment)");
    expect(first.message).toEqual(data.subarray(0, ATTACHMENT_CHUNK_BYTES));
    const last = sodium.crypto_secretstream_xchacha20poly1305_pull(state, enc.chunks[2]!, ad);
    if (last === false) throw new Error("last chunk did not open with AD = L(attachment)");
    expect(last.tag).toBe(sodium.crypto_secretstream_xchacha20poly1305_TAG_FINAL);
  });

  it("rejects `done` when the reader stops early", async () => {
    const enc = encryptAttachment(sodium, slices(content(300_000), [50_000]), { random });
    for await (const _ of enc.chunks) break;
    await expectRejects(enc.done, "ATTACHMENT_TRUNCATED");
  });
});
