import { describe, expect, it } from "vitest";
import type {
  EpochKey,
  HelplineId,
  MemberId,
  SignKeyPair,
  SignPublicKey,
  SignSecretKey,
  StaffEpochKey,
  ThreadId,
} from "../core/brand.js";
import { CryptoError, isCryptoError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { seededRandom } from "../core/random.js";
import { loadSodium, type Sodium } from "../core/sodium.js";
import type { EpochKeys, Payload, ThreadEvent } from "../core/types.js";
import {
  decryptEnvelope,
  envelopeStream,
  messageKey,
  openEnvelope,
  type SealEnvelopeOptions,
  sealEnvelope,
} from "./envelope.js";
import { parseEnvelope } from "./envelope-codec.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(21));

function signer(seed: number): SignKeyPair {
  const kp = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(seed));
  return { publicKey: kp.publicKey as SignPublicKey, secretKey: kp.privateKey as SignSecretKey };
}
function keysOf(epoch: number, withStaff = epoch > 0): EpochKeys {
  const key = random(32) as EpochKey;
  return withStaff ? { epoch, key, staffKey: random(32) as StaffEpochKey } : { epoch, key };
}
function expectCode(fn: () => unknown, code: Parameters<typeof isCryptoError>[1]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isCryptoError(caught, code), String(caught)).toBe(true);
}

const counsellor = signer(2);
const helplineId = newId<HelplineId>(sodium, random);
const threadId = newId<ThreadId>(sodium, random);
const epoch1 = keysOf(1);
const payload: Payload = {
  subject: "Re: je vraag",
  body: "Dank voor je bericht.",
  attachments: [
    {
      attachmentId: newId<ThreadId>(sodium, random),
      name: "folder.pdf",
      mediaType: "application/pdf",
      size: 4096,
      hash: random(32),
      key: random(32),
    },
  ],
};
const base: SealEnvelopeOptions = {
  helplineId,
  threadId,
  epochKeys: epoch1,
  kind: "message",
  sender: counsellor,
  seq: 1,
  heads: [],
  createdAt: 1_700_000_000_000,
  payload,
  random,
};

describe("envelopeStream", () => {
  it("puts notes in the staff stream and messages and status changes in the main stream", () => {
    expect(envelopeStream("note")).toBe("staff");
    expect(envelopeStream("message")).toBe("main");
    expect(envelopeStream("status")).toBe("main");
  });
});

describe("messageKey", () => {
  it("is KDF(K_e, 2, bg-epoch) for messages and status, KDF(S_e, 2, bg-epoch) for notes", () => {
    const main = sodium.crypto_kdf_derive_from_key(32, 2, "bg-epoch", epoch1.key);
    const staff = sodium.crypto_kdf_derive_from_key(32, 2, "bg-epoch", epoch1.staffKey!);
    expect(messageKey(sodium, epoch1, "message")).toEqual(main);
    expect(messageKey(sodium, epoch1, "status")).toEqual(main);
    expect(messageKey(sodium, epoch1, "note")).toEqual(staff);
  });

  it("refuses notes in epoch 0 and notes without the staff key", () => {
    expectCode(() => messageKey(sodium, keysOf(0), "note"), "WRONG_CONTEXT");
    expectCode(() => messageKey(sodium, keysOf(2, false), "note"), "NOT_A_READER");
    expectCode(() => sealEnvelope(sodium, { ...base, epochKeys: keysOf(0), kind: "note" }), "WRONG_CONTEXT");
  });
});

describe("sealEnvelope / openEnvelope", () => {
  it("round-trips a message, a note and a status change", () => {
    for (const [kind, body] of [
      ["message", payload.body],
      ["note", "Intern: check de vorige mail"],
      ["status", "closed"],
    ] as const) {
      const bytes = sealEnvelope(sodium, { ...base, kind, seq: 4, payload: { ...payload, body } });
      const opened = openEnvelope(sodium, bytes, epoch1);
      expect(opened.payload).toEqual({ ...payload, body });
      expect(opened.envelope).toMatchObject({ helplineId, threadId, epoch: 1, kind, seq: 4 });
      expect(opened.envelope.senderSignPk).toEqual(counsellor.publicKey);
    }
  });

  it("is deterministic for a deterministic random source, and pads to at least 1 KiB", () => {
    const a = sealEnvelope(sodium, { ...base, random: seededRandom(sodium, new Uint8Array(32)) });
    const b = sealEnvelope(sodium, { ...base, random: seededRandom(sodium, new Uint8Array(32)) });
    expect(a).toEqual(b);
    expect(parseEnvelope(sodium, a).sealed.length).toBeGreaterThanOrEqual(24 + 1024 + 16);
  });

  it("checks the signature before decrypting: a tampered envelope is BAD_SIGNATURE even with wrong keys", () => {
    const bytes = sealEnvelope(sodium, base);
    const tampered = bytes.slice();
    tampered[bytes.length - 100]! ^= 1; // inside the ciphertext
    expectCode(() => openEnvelope(sodium, tampered, keysOf(1)), "BAD_SIGNATURE");
  });

  it("throws DECRYPT_FAILED for a correctly signed envelope under another key", () => {
    const bytes = sealEnvelope(sodium, base);
    expectCode(() => openEnvelope(sodium, bytes, keysOf(1)), "DECRYPT_FAILED");
    // A note opened with the main key only: the staff key is another key.
    const note = sealEnvelope(sodium, { ...base, kind: "note" });
    expectCode(() => openEnvelope(sodium, note, { ...keysOf(1), key: epoch1.key }), "DECRYPT_FAILED");
  });

  it("a help-seeker (no staff key) cannot open a note", () => {
    const note = sealEnvelope(sodium, { ...base, kind: "note" });
    expectCode(() => openEnvelope(sodium, note, { epoch: 1, key: epoch1.key }), "NOT_A_READER");
  });

  it("refuses keys of another epoch, a bad status body and malformed heads", () => {
    const bytes = sealEnvelope(sodium, base);
    expectCode(() => openEnvelope(sodium, bytes, { ...epoch1, epoch: 2 }), "WRONG_CONTEXT");
    expectCode(
      () => sealEnvelope(sodium, { ...base, kind: "status", payload: { ...payload, body: "x" } }),
      "MALFORMED",
    );
    const bad = {
      stream: "main" as const,
      signPk: counsellor.publicKey,
      seq: 1,
      hash: new Uint8Array(31),
      pastDamaged: false,
    };
    expectCode(() => sealEnvelope(sodium, { ...base, heads: [bad] }), "MALFORMED");
    expectCode(
      () =>
        sealEnvelope(sodium, {
          ...base,
          heads: [
            { ...bad, hash: new Uint8Array(32) },
            { ...bad, hash: new Uint8Array(32) },
          ],
        }),
      "MALFORMED",
    );
    expectCode(() => sealEnvelope(sodium, { ...base, seq: 0 }), "MALFORMED");
  });

  it("refuses to seal an event envelope with a subject, an attachment or no event (MALFORMED)", () => {
    const event: ThreadEvent = {
      type: "handover",
      memberId: newId<MemberId>(sodium, random),
      signPk: counsellor.publicKey,
      displayName: "Bram",
    };
    const bare: Payload = { subject: "", body: "", attachments: [], event };
    expect(() => sealEnvelope(sodium, { ...base, kind: "event", payload: bare })).not.toThrow();
    for (const wrong of [
      { ...bare, subject: "x" },
      { ...bare, attachments: payload.attachments },
      { ...bare, event: undefined },
    ]) {
      expectCode(() => sealEnvelope(sodium, { ...base, kind: "event", payload: wrong }), "MALFORMED");
    }
  });

  it("wipes the message key and the padded plaintext after sealing and after opening", () => {
    const seen = { keys: [] as Uint8Array[], plain: [] as Uint8Array[] };
    const spying = new Proxy(sodium, {
      get(target, prop, receiver) {
        if (prop === "crypto_kdf_derive_from_key") {
          return (...args: Parameters<Sodium["crypto_kdf_derive_from_key"]>) => {
            // The byte-array overload (no output format given); the spread picks the text overload.
            const key = target.crypto_kdf_derive_from_key(...args);
            seen.keys.push(key as unknown as Uint8Array);
            return key;
          };
        }
        if (prop === "crypto_aead_xchacha20poly1305_ietf_encrypt") {
          return (...args: Parameters<Sodium["crypto_aead_xchacha20poly1305_ietf_encrypt"]>) => {
            seen.plain.push(args[0] as Uint8Array);
            return target.crypto_aead_xchacha20poly1305_ietf_encrypt(...args);
          };
        }
        if (prop === "crypto_aead_xchacha20poly1305_ietf_decrypt") {
          return (...args: Parameters<Sodium["crypto_aead_xchacha20poly1305_ietf_decrypt"]>) => {
            const plain = target.crypto_aead_xchacha20poly1305_ietf_decrypt(...args);
            seen.plain.push(plain as unknown as Uint8Array);
            return plain;
          };
        }
        return Reflect.get(target, prop, receiver);
      },
    }) as Sodium;
    const wiped = (b: Uint8Array) => b.every((x) => x === 0);
    const bytes = sealEnvelope(spying, base);
    expect(seen.keys).toHaveLength(1);
    expect(seen.plain).toHaveLength(1);
    expect([...seen.keys, ...seen.plain].every(wiped)).toBe(true);
    seen.keys.length = 0;
    seen.plain.length = 0;
    const opened = decryptEnvelope(spying, parseEnvelope(sodium, bytes), epoch1);
    expect(opened).toEqual(payload);
    expect(seen.keys).toHaveLength(1);
    expect(seen.plain).toHaveLength(1);
    expect([...seen.keys, ...seen.plain].every(wiped)).toBe(true);
  });

  it("every single-bit flip at every byte position makes openEnvelope throw a CryptoError", () => {
    const bytes = sealEnvelope(sodium, { ...base, payload: { subject: "s", body: "b", attachments: [] } });
    let failures = 0;
    for (let at = 0; at < bytes.length; at++) {
      const mutated = bytes.slice();
      mutated[at]! ^= 1 << (at % 8);
      try {
        openEnvelope(sodium, mutated, epoch1);
      } catch (e) {
        if (e instanceof CryptoError) failures++;
      }
    }
    expect(failures).toBe(bytes.length);
    expect(openEnvelope(sodium, bytes, epoch1).payload.body).toBe("b");
  });
});
