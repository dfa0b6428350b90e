/**
 * How long encrypting a file takes, the same code in Chromium (bench/attachments/browser-page) and in
 * Node (bench/attachments/index.ts), three ways over the same file:
 *
 * - `sdk`: the SDK's own `uploadAttachment`, as both apps call it, on a `Blob`: hash the file in 1 MiB
 *   slices, then per 64 KiB chunk read the slice, pad, seal, wipe and build the `PUT`. Its `fetch`
 *   (the `createClient` option) is an endpoint in the same process that acknowledges every request at
 *   once, so the time is the client's own work without the network or a server. `preparingMs` is
 *   the hashing part of it (until the SDK's first `encrypting` progress).
 * - `read`: reading the file from the `Blob` alone, in the SDK's slices (1 MiB, then 64 KiB).
 * - `core`: the crypto core's steps alone on bytes already in memory (hasher, plan, one
 *   `encryptAttachmentChunk` per chunk).
 * - `floor`: bare XChaCha20-Poly1305 (packages/crypto's `aeadSeal`, its nonce drawn once before
 *   timing) over the same padded bytes in the same 64 KiB chunks.
 *
 * A first, uncounted round warms up; its SDK ciphertext is decrypted with `decryptAttachment`
 * afterwards and must give the file back, so a run cannot time work that did not happen.
 */
import { createClient, uploadAttachment } from "@briefgeheim/client";
import {
  aeadSeal,
  attachmentChunkRange,
  attachmentHasher,
  decryptAttachment,
  encryptAttachmentChunk,
  fromBase64,
  type HelplineId,
  newId,
  planAttachment,
  type Sodium,
  type ThreadId,
} from "@briefgeheim/crypto";

export interface EncryptionResult {
  readonly size: number;
  readonly runs: number;
  readonly sdkMs: number[];
  readonly preparingMs: number[];
  /** Reading the Blob in 1 MiB slices (the hashing pass). */
  readonly readHashMs: number[];
  /** Reading the Blob in 64 KiB slices (the encrypting pass). */
  readonly readChunkMs: number[];
  readonly coreMs: number[];
  readonly floorMs: number[];
  /** The first SDK run's ciphertext decrypted to the same bytes. */
  readonly roundTrip: boolean;
}

const CHUNK = 64 * 1024;
/** The SDK's hashing slice (packages/client/src/attachments.ts). */
const HASH_SLICE = 1024 * 1024;

/** The file: random bytes (getRandomValues gives at most 64 KiB per call). */
function fileBytes(size: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += CHUNK) crypto.getRandomValues(out.subarray(at, at + CHUNK));
  return out;
}

/** What the endpoint was sent: the stream header and each chunk's ciphertext. */
interface Received {
  /** Base64, as the create request declared it. */
  header: string | undefined;
  chunks: Uint8Array[];
}

/** Answers the SDK's attachment requests at once, as the server would after its checks. */
function endpoint(received: Received): (input: RequestInfo | URL, init?: RequestInit) => Promise<Response> {
  let status = { id: "", header: "", paddedSize: 0, chunkCount: 0 };
  const json = (body: unknown) =>
    new Response(JSON.stringify(body), { headers: { "content-type": "application/json" } });
  return async (input, init) => {
    const path = new URL(String(input)).pathname;
    const chunk = /\/chunks\/(\d+)$/.exec(path);
    if (init?.method === "POST" && path === "/api/attachments") {
      const req = JSON.parse(String(init.body)) as { id: string; header: string; paddedSize: number };
      const chunkCount = Math.max(1, Math.ceil(req.paddedSize / CHUNK));
      status = { id: req.id, header: req.header, paddedSize: req.paddedSize, chunkCount };
      received.header = req.header;
      return json({ ...status, received: 0, firstMissing: 0, complete: false, expiresAt: null });
    }
    if (init?.method === "PUT" && chunk !== null) {
      received.chunks[Number(chunk[1])] = init.body as Uint8Array;
      return json({ ...status, received: received.chunks.length, firstMissing: null, complete: false });
    }
    if (init?.method === "POST" && path.endsWith("/complete")) {
      return json({ ...status, received: status.chunkCount, firstMissing: null, complete: true });
    }
    return new Response(JSON.stringify({ error: { code: "NOT_FOUND" } }), { status: 404 });
  };
}

/** Times `runs` rounds of the three ways over one file of `size` random bytes. */
export async function measureEncryption(size: number, runs: number): Promise<EncryptionResult> {
  const SIZE = size;
  const plain = fileBytes(SIZE);
  const blob = new Blob([plain]);
  const received: Received = { header: undefined, chunks: [] };
  const client = await createClient({
    // Never contacted: every request goes to the endpoint above.
    baseUrl: "https://bench.invalid",
    origin: "https://bench.invalid",
    fetch: endpoint(received),
  });
  const { sodium, random } = client;
  const session = { client, helplineId: newId<HelplineId>(sodium, random) };
  const target = { threadId: newId<ThreadId>(sodium, random) };
  const result = {
    sdkMs: [] as number[],
    preparingMs: [] as number[],
    readHashMs: [] as number[],
    readChunkMs: [] as number[],
    coreMs: [] as number[],
    floorMs: [] as number[],
  };
  let roundTrip = false;
  // The floor seals the same padded bytes the SDK seals (the file, then zeros up to the padded size).
  const padded = new Uint8Array(planAttachment(sodium, SIZE, random).paddedSize);
  padded.set(plain);

  // Round 0 warms up (wasm, JIT) and checks the round trip; it is not counted.
  for (let run = 0; run <= runs; run++) {
    const keep = run > 0;
    received.chunks = [];
    received.header = undefined;
    let hashed: number | undefined;
    let t = performance.now();
    const meta = await uploadAttachment(session, {
      target,
      file: { data: blob, name: "bench.bin", mediaType: "application/octet-stream" },
      onProgress: (p) => {
        if (p.phase === "encrypting" && hashed === undefined) hashed = performance.now();
      },
      onPrepared: () => undefined,
    });
    const end = performance.now();
    if (keep) result.sdkMs.push(end - t);
    if (keep) result.preparingMs.push((hashed ?? end) - t);
    // Untimed, once: the stream the endpoint got (the declared header, then the chunks) must decrypt
    // to the file.
    if (run === 0) roundTrip = await decrypts(sodium, received, meta, plain);

    // The file read from the Blob in the slices the SDK reads (1 MiB to hash, 64 KiB to encrypt).
    for (const [slice, times] of [
      [HASH_SLICE, result.readHashMs],
      [CHUNK, result.readChunkMs],
    ] as const) {
      t = performance.now();
      for (let at = 0; at < size; at += slice) await blob.slice(at, at + slice).arrayBuffer();
      if (keep) times.push(performance.now() - t);
    }

    t = performance.now();
    const h = attachmentHasher(sodium);
    h.update(plain);
    h.final();
    const plan = planAttachment(sodium, plain.length, random);
    for (let i = 0; i < plan.chunkCount; i++) {
      const { start, end: stop } = attachmentChunkRange(plan, i);
      encryptAttachmentChunk(sodium, plan, i, plain.subarray(start, stop));
    }
    if (keep) result.coreMs.push(performance.now() - t);

    // One nonce drawn before the clock starts: the SDK derives its nonces (prefix || index) and draws
    // none per chunk, and libsodium's randombytes_buf costs about 0.3 ms a call in Node, which would
    // lift this floor above the SDK's own sealing. The ciphertexts are thrown away.
    const key = random(32);
    const nonce = random(24);
    const fixedNonce = () => nonce;
    t = performance.now();
    for (let at = 0; at < padded.length; at += CHUNK) {
      aeadSeal(sodium, key, padded.subarray(at, at + CHUNK), new Uint8Array(0), fixedNonce);
    }
    if (keep) result.floorMs.push(performance.now() - t);
  }
  return { size, runs, ...result, roundTrip };
}

async function decrypts(
  sodium: Sodium,
  received: Received,
  meta: { key: Uint8Array; size: number; hash: Uint8Array },
  plain: Uint8Array,
): Promise<boolean> {
  if (received.header === undefined) return false;
  const header = fromBase64(sodium, received.header);
  async function* stream(): AsyncGenerator<Uint8Array> {
    yield header;
    for (const c of received.chunks) yield c;
  }
  let at = 0;
  for await (const piece of decryptAttachment(sodium, stream(), meta)) {
    for (let i = 0; i < piece.length; i++) if (piece[i] !== plain[at + i]) return false;
    at += piece.length;
  }
  return at === plain.length;
}
