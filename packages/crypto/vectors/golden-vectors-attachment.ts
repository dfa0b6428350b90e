/**
 * Golden vector of the attachment stream v2 (docs/PROTOCOL.md §6): a 70,000-byte file (two chunks after
 * Padmé: 65,536 and 2,048 bytes) under a fixed key and nonce prefix. Checked independently of
 * attachment-chunk.ts: each chunk is sealed again with bare XChaCha20-Poly1305 from nonce and AD built
 * here, byte by byte, as §6 writes them (decryption is covered by the stream's own tests).
 */
import { concat } from "../src/core/codec.js";
import type { Sodium } from "../src/core/sodium.js";
import { attachmentChunkRange, encryptAttachmentChunk } from "../src/messages/attachment-encrypt.js";
import { attachmentLayout } from "../src/messages/attachment-layout.js";
import { goldenSeed, hex } from "./golden-vectors-inputs.js";
import { expectBytes, expectSame, type VectorFile } from "./golden-vectors-read.js";
import type { NamedCheck } from "./golden-vectors-verify-keys.js";

const SIZE = 70_000;

/** The file: byte i is (i * 7) mod 251. */
function file(): Uint8Array {
  return Uint8Array.from({ length: SIZE }, (_, i) => (i * 7) % 251);
}

function inputs(sodium: Sodium) {
  const key = goldenSeed(sodium, "attachment-stream-key");
  const header = concat(
    Uint8Array.of(0x02, 0x08),
    goldenSeed(sodium, "attachment-stream-prefix").subarray(0, 19),
  );
  return { key, header };
}

/** `attachmentStream`: the inputs and every byte of the stream. */
export function buildAttachmentVectors(sodium: Sodium) {
  const { key, header } = inputs(sodium);
  const plain = file();
  const plan = { ...attachmentLayout(SIZE), key, header };
  const chunks: string[] = [];
  for (let i = 0; i < plan.chunkCount; i++) {
    const { start, end } = attachmentChunkRange(plan, i);
    chunks.push(hex(sodium, encryptAttachmentChunk(sodium, plan, i, plain.subarray(start, end))));
  }
  return {
    attachmentStream: {
      inputs: {
        key: hex(sodium, key),
        header: hex(sodium, header),
        size: SIZE,
        file: "byte i = (i * 7) mod 251",
      },
      expected: { paddedSize: plan.paddedSize, chunkCount: plan.chunkCount, chunks },
    },
  };
}

/** §6 by hand: nonce = prefix || u32 i || u8 last, AD = L(label) || header || u32 i || u8 last. */
export function attachmentChecks(sodium: Sodium, file_: VectorFile): NamedCheck[] {
  return [
    {
      name: "attachmentStream: seal by hand",
      run: () => {
        const key = file_.bytes("attachmentStream.inputs.key");
        const header = file_.bytes("attachmentStream.inputs.header");
        const count = file_.int("attachmentStream.expected.chunkCount");
        expectSame("paddedSize", file_.int("attachmentStream.expected.paddedSize"), 71_680);
        const padded = new Uint8Array(71_680);
        padded.set(file());
        const label = new TextEncoder().encode("briefgeheim/attachment/v2");
        for (let i = 0; i < count; i++) {
          const pos = Uint8Array.of(0, 0, 0, i, i === count - 1 ? 1 : 0);
          const nonce = concat(header.subarray(2), pos);
          const ad = concat(Uint8Array.of(label.length), label, header, pos);
          const plain = padded.subarray(i * 65_536, Math.min((i + 1) * 65_536, padded.length));
          const sealed = sodium.crypto_aead_xchacha20poly1305_ietf_encrypt(plain, ad, null, nonce, key);
          expectBytes(sodium, `chunk ${i}`, sealed, file_.bytes(`attachmentStream.expected.chunks.${i}`));
        }
      },
    },
  ];
}
