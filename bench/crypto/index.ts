/**
 * Benchmark of the crypto core (`npm run bench:crypto`): prints a Markdown table for docs/PERFORMANCE.md.
 * Everything goes through the public API of @briefgeheim/crypto with production randomness; each
 * measurement is preceded by one untimed warm-up run. Takes well under a minute on two cores.
 */
import os from "node:os";
import {
  attachmentChunkRange,
  attachmentHasher,
  bytesEqual,
  createGrant,
  decryptAttachment,
  deriveSeekerKeys,
  type EnvelopeBytes,
  type EpochKeys,
  encryptAttachmentChunk,
  generateAccountKey,
  generateCode,
  loadSodium,
  openEnvelope,
  openGrant,
  planAttachment,
  regrantCaseload,
  type SeekerKeys,
  sealEnvelope,
  systemRandom,
  type ThreadEpoch,
  unwrapWithPassphrase,
  verifyThread,
  walkBackHistory,
  wrapWithPassphrase,
} from "@briefgeheim/crypto";
import { benchHelpline, claimedThread, conversation, keysFor } from "./fixtures.js";
import { markdownTable, measure, measureAsync, type Row } from "./measure.js";

const started = performance.now();
const sodium = await loadSodium();
const random = systemRandom(sodium);
const h = benchHelpline(sodium, random);
const { vera, ines, anna, bram } = h.people;
const rows: Row[] = [];

// §1: a help-seeker types their code; one Argon2id run at 64 MiB, ops 3.
const code = generateCode(sodium, { helplineTag: 7, random });
let seeker: SeekerKeys = deriveSeekerKeys(sodium, code, h.helplineId);
rows.push(
  measure("code → keys (Argon2id 64 MiB, ops 3)", 10, () => {
    seeker = deriveSeekerKeys(sodium, code, h.helplineId);
  }),
);

// §2: a staff member unlocks their account key (Argon2id at the floor, then the AEAD).
const passphrase = "paard batterij nietje correct";
const { wrapped } = wrapWithPassphrase(sodium, generateAccountKey(sodium, random), passphrase, { random });
rows.push(
  measure("staff passphrase unwrap (Argon2id 64 MiB, ops 3)", 10, () => {
    unwrapWithPassphrase(sodium, wrapped, passphrase);
  }),
);

// §4: one staff grant (K_1 ‖ S_1) sealed and signed by the claimer, verified and opened by the supervisor.
const thread = claimedThread(sodium, h, seeker, random);
const record = thread.e1.parsed;
const veraReader = record.readers.find((r) => bytesEqual(sodium, r.boxPk, vera.keys.box.publicKey))!;
rows.push(
  measure("grant seal + open (one staff grant)", 2000, () => {
    const grant = createGrant(sodium, {
      record,
      recipient: veraReader,
      keys: thread.e1.keys,
      signer: ines.keys.signing,
      random,
    });
    openGrant(sodium, grant, record, vera.keys.box);
  }),
);

// §5: single envelopes (padded payload, AEAD, Ed25519 over the ciphertext).
for (const size of [1024, 10 * 1024]) {
  const payload = { subject: "Vraag", body: "x".repeat(size), attachments: [] };
  let bytes: EnvelopeBytes | undefined;
  const seal = () =>
    sealEnvelope(sodium, {
      helplineId: h.helplineId,
      threadId: thread.threadId,
      epochKeys: thread.e1.keys,
      kind: "message",
      sender: ines.keys.signing,
      seq: 1,
      heads: [],
      createdAt: Date.now(),
      payload,
      random,
    });
  const label = `${size / 1024} KB`;
  rows.push(
    measure(
      `sealEnvelope: encrypt + sign, ${label}`,
      2000,
      () => {
        bytes = seal();
      },
      { bytesPerOp: size },
    ),
  );
  rows.push(
    measure(
      `openEnvelope: verify + decrypt, ${label}`,
      2000,
      () => {
        openEnvelope(sodium, bytes!, thread.e1.keys);
      },
      { bytesPerOp: size },
    ),
  );
}

// §5: a whole thread as a counsellor loads it: 1,000 posts of two senders, links checked, all decrypted.
const keys1: EpochKeys = keysFor(sodium, thread.e1, ines.keys.box);
const [keys0] = walkBackHistory(sodium, [thread.e0.parsed, record], keys1);
const envelopes = conversation(sodium, h, thread, seeker, keys1, 1000, random);
const epochs = new Map<number, ThreadEpoch>([
  [0, { readers: thread.e0.parsed.readers, keys: keys0! }],
  [1, { readers: record.readers, keys: keys1 }],
]);
rows.push(
  measure(
    "verifyThread: 1,000 envelopes, 2 senders, decrypted",
    5,
    () => {
      const result = verifyThread(sodium, {
        helplineId: h.helplineId,
        threadId: thread.threadId,
        envelopes,
        epochs,
      });
      if (!result.ok || result.items.length !== 1000) throw new Error("thread did not verify");
    },
    { itemsPerOp: { count: 1000, unit: "envelopes" } },
  ),
);

// §4: a supervisor moves a departing counsellor's caseload of 500 threads to two others.
const setupStart = performance.now();
const caseload = Array.from({ length: 500 }, () => {
  const t = claimedThread(sodium, h, seeker, random);
  return { prev: t.e1.parsed, prevKeys: keysFor(sodium, t.e1, vera.keys.box), heads: [] };
});
const setupMs = performance.now() - setupStart;
rows.push(
  measure(
    "regrantCaseload: 500 threads (record + 3 grants each)",
    3,
    () => {
      const results = regrantCaseload(sodium, {
        threads: caseload,
        to: [anna.member, bram.member],
        roster: h.roster,
        signer: vera.keys.signing,
        random,
        now: Date.now(),
      });
      if (results.some((r) => !r.ok)) throw new Error("a thread failed to regrant");
    },
    { itemsPerOp: { count: 500, unit: "threads" } },
  ),
);

// §6: attachments stream through secretstream in 64 KiB chunks.
const ATTACHMENT_BYTES = 10 * 1024 * 1024;
// Web Crypto, 64 KiB at a time: libsodium.js's randombytes_buf needs ~20 s for 10 MiB in Node.
const plain = new Uint8Array(ATTACHMENT_BYTES);
for (let at = 0; at < ATTACHMENT_BYTES; at += 65536) crypto.getRandomValues(plain.subarray(at, at + 65536));
async function* slices(parts: readonly Uint8Array[]): AsyncGenerator<Uint8Array> {
  for (const p of parts) yield p;
}
const plainParts = Array.from({ length: ATTACHMENT_BYTES / 65536 }, (_, i) =>
  plain.subarray(i * 65536, (i + 1) * 65536),
);
let cipher: Uint8Array[] = [];
let meta: { key: Uint8Array; size: number; hash: Uint8Array } = {
  key: new Uint8Array(32),
  size: 0,
  hash: new Uint8Array(32),
};
rows.push(
  await measureAsync(
    "attachment hash + encrypt, 10 MiB",
    5,
    async () => {
      // As the SDK does it: hash the file once, then make each chunk from its own slice.
      const hasher = attachmentHasher(sodium);
      for (const part of plainParts) hasher.update(part);
      const hash = hasher.final();
      const plan = planAttachment(sodium, ATTACHMENT_BYTES, random);
      const out: Uint8Array[] = [plan.header];
      for (let i = 0; i < plan.chunkCount; i++) {
        const { start, end } = attachmentChunkRange(plan, i);
        out.push(encryptAttachmentChunk(sodium, plan, i, plain.subarray(start, end)));
      }
      cipher = out;
      meta = { key: plan.key, size: ATTACHMENT_BYTES, hash };
    },
    { bytesPerOp: ATTACHMENT_BYTES },
  ),
);
rows.push(
  await measureAsync(
    "attachment decrypt, 10 MiB",
    5,
    async () => {
      let size = 0;
      for await (const p of decryptAttachment(sodium, slices(cipher), meta)) size += p.length;
      if (size !== ATTACHMENT_BYTES) throw new Error("attachment size differs");
    },
    { bytesPerOp: ATTACHMENT_BYTES },
  ),
);

const cpus = os.cpus();
console.log("## Crypto core (bench/crypto)\n");
console.log(`- date: ${new Date().toISOString()}`);
console.log(`- Node ${process.version} on ${process.platform}/${process.arch}`);
console.log(`- CPU: ${cpus[0]?.model ?? "unknown"} × ${cpus.length}`);
console.log("- command: `npm run bench:crypto`\n");
console.log(markdownTable(rows));
console.log(
  `\nSet-up of the 500-thread caseload (open + claim each, not timed above): ${setupMs.toFixed(0)} ms.`,
);
console.log("Throughput in MB/s counts plaintext bytes (10^6); per op is total / iterations.");
console.log(`Peak RSS: ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MiB.`);
console.log(`Whole run: ${((performance.now() - started) / 1000).toFixed(1)} s.`);
