import { describe, expect, it } from "vitest";
import type {
  EpochKey,
  HelplineId,
  SignKeyPair,
  SignPublicKey,
  SignSecretKey,
  ThreadId,
} from "../core/brand.js";
import { isCryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { newId } from "../core/ids.js";
import { LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import { sealEnvelope } from "./envelope.js";
import {
  ENVELOPE_HEAD_BYTES,
  ENVELOPE_HEADER_BYTES,
  encodeEnvelope,
  encodeEnvelopeHeader,
  envelopeHash,
  parseEnvelope,
} from "./envelope-codec.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(11));
const kp = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(1));
const sender: SignKeyPair = {
  publicKey: kp.publicKey as SignPublicKey,
  secretKey: kp.privateKey as SignSecretKey,
};
const helplineId = newId<HelplineId>(sodium, random);
const threadId = newId<ThreadId>(sodium, random);
const own = random(32);
const other = random(32);
const otherPk = new Uint8Array(32).fill(0x01) as SignPublicKey;
// Given unsorted: sealEnvelope sorts by (stream, signPk).
const heads = [
  { stream: "staff" as const, signPk: otherPk, seq: 4, hash: other, pastDamaged: true },
  { stream: "main" as const, signPk: sender.publicKey, seq: 2, hash: own, pastDamaged: false },
];
const bytes = sealEnvelope(sodium, {
  helplineId,
  threadId,
  epochKeys: { epoch: 7, key: random(32) as EpochKey },
  kind: "status",
  sender,
  seq: 3,
  heads,
  createdAt: 1_700_000_000_123,
  payload: { subject: "", body: "waiting", attachments: [] },
  random,
});

function expectCode(fn: () => unknown, code: Parameters<typeof isCryptoError>[1]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isCryptoError(caught, code), String(caught)).toBe(true);
}

describe("envelope codec", () => {
  it("parses the header fields of §5 at their offsets and computes the hash", () => {
    const env = parseEnvelope(sodium, bytes);
    expect(env).toMatchObject({
      helplineId,
      threadId,
      epoch: 7,
      kind: "status",
      seq: 3,
      createdAt: 1_700_000_000_123,
    });
    expect(env.senderSignPk).toEqual(sender.publicKey);
    expect(env.heads).toEqual([heads[1], heads[0]]);
    expect(bytes[0]).toBe(2);
    expect(bytes[1]).toBe(0x04);
    // helplineId 2..17, threadId 18..33, u32 epoch 34..37, u8 kind 38, senderSignPk 39..70, u32 seq 71..74.
    const view = new DataView(bytes.buffer, bytes.byteOffset);
    expect(view.getUint32(34)).toBe(7);
    expect(bytes[38]).toBe(3);
    expect(bytes.subarray(39, 71)).toEqual(sender.publicKey);
    expect(view.getUint32(71)).toBe(3);
    // u64 createdAt 75..82, u8 headCount 83, then 70 bytes per head: stream, flags, signPk, seq, hash.
    expect(bytes[83]).toBe(2);
    expect([bytes[84], bytes[85]]).toEqual([1, 0]);
    expect(bytes.subarray(86, 118)).toEqual(sender.publicKey);
    expect(view.getUint32(118)).toBe(2);
    expect(bytes.subarray(122, 154)).toEqual(own);
    expect([bytes[154], bytes[155]]).toEqual([2, 1]);
    expect(env.hash).toEqual(labelledHash(sodium, LABEL.envelopeHash, bytes));
    expect(env.hash).toEqual(envelopeHash(sodium, bytes));
    expect(encodeEnvelopeHeader(sodium, env)).toEqual(
      bytes.subarray(0, ENVELOPE_HEADER_BYTES + 2 * ENVELOPE_HEAD_BYTES),
    );
  });

  it("re-encodes a parsed envelope to the same bytes", () => {
    expect(encodeEnvelope(sodium, parseEnvelope(sodium, bytes))).toEqual(bytes);
  });

  it("refuses to encode a signature that is not 64 bytes (a cut signature would pass as other bytes)", () => {
    const env = parseEnvelope(sodium, bytes);
    expectCode(() => encodeEnvelope(sodium, { ...env, signature: env.signature.subarray(1) }), "MALFORMED");
    expectCode(
      () => encodeEnvelope(sodium, { ...env, signature: new Uint8Array([...env.signature, 0]) }),
      "MALFORMED",
    );
  });

  it("rejects protocol 1, another type, an unknown kind, seq 0, trailing and missing bytes", () => {
    const v = bytes.slice();
    v[0] = 1;
    expect(() => parseEnvelope(sodium, v)).toThrow(/made by protocol 1, which this version no longer reads/);
    expectCode(() => parseEnvelope(sodium, v), "UNSUPPORTED_VERSION");
    v[0] = 3;
    expectCode(() => parseEnvelope(sodium, v), "UNSUPPORTED_VERSION");
    const t = bytes.slice();
    t[1] = 0x03;
    expectCode(() => parseEnvelope(sodium, t), "WRONG_TYPE");
    const k = bytes.slice();
    k[2 + 16 + 16 + 4] = 9;
    expectCode(() => parseEnvelope(sodium, k), "MALFORMED");
    const s = bytes.slice();
    s.fill(0, 2 + 16 + 16 + 4 + 1 + 32, 2 + 16 + 16 + 4 + 1 + 32 + 4);
    expectCode(() => parseEnvelope(sodium, s), "MALFORMED");
    expectCode(() => parseEnvelope(sodium, new Uint8Array([...bytes, 0])), "MALFORMED");
    expectCode(() => parseEnvelope(sodium, bytes.subarray(0, bytes.length - 1)), "MALFORMED");
    expectCode(() => parseEnvelope(sodium, new Uint8Array(0)), "MALFORMED");
  });

  it("rejects heads out of order, twice for one sender, an unknown stream or flag, a bare seq 0", () => {
    const swapped = bytes.slice();
    swapped.set(bytes.subarray(84 + ENVELOPE_HEAD_BYTES, 84 + 2 * ENVELOPE_HEAD_BYTES), 84);
    swapped.set(bytes.subarray(84, 84 + ENVELOPE_HEAD_BYTES), 84 + ENVELOPE_HEAD_BYTES);
    expectCode(() => parseEnvelope(sodium, swapped), "MALFORMED");
    const twice = bytes.slice();
    twice.set(bytes.subarray(84, 84 + ENVELOPE_HEAD_BYTES), 84 + ENVELOPE_HEAD_BYTES);
    expectCode(() => parseEnvelope(sodium, twice), "MALFORMED");
    const stream = bytes.slice();
    stream[84] = 3;
    expectCode(() => parseEnvelope(sodium, stream), "MALFORMED");
    const flag = bytes.slice();
    flag[85] = 2;
    expectCode(() => parseEnvelope(sodium, flag), "MALFORMED");
    const zero = bytes.slice();
    zero.fill(0, 118, 122);
    expectCode(() => parseEnvelope(sodium, zero), "MALFORMED");
  });
});
