import { describe, expect, it } from "vitest";
import type { DraftKey } from "../core/brand.js";
import { concat, labelBytes } from "../core/codec.js";
import { isCryptoError } from "../core/errors.js";
import { padPlaintext } from "../core/padme.js";
import { seededRandom, systemRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import type { Payload } from "../core/types.js";
import { encodeDraft, openDraft, parseDraft, sealDraft } from "./draft.js";
import { encodePayload } from "./payload.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(31));
const draftKey = random(32) as DraftKey;
const payload: Payload = {
  subject: "Mijn vraag",
  body: "Ik weet niet goed hoe ik moet beginnen...",
  attachments: [],
};
const context = "reply:AAAAAAAAAAAAAAAAAAAAAA";

function expectCode(fn: () => unknown, code: Parameters<typeof isCryptoError>[1]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isCryptoError(caught, code), String(caught)).toBe(true);
}

describe("drafts", () => {
  it("round-trips, and parse then encode gives the same bytes", () => {
    const bytes = sealDraft(sodium, draftKey, context, payload, random);
    expect(openDraft(sodium, draftKey, bytes, context)).toEqual(payload);
    expect(bytes[0]).toBe(1);
    expect(bytes[1]).toBe(0x05);
    const parsed = parseDraft(bytes);
    expect(parsed.context).toBe(context);
    expect(encodeDraft(parsed)).toEqual(bytes);
  });

  it("binds L(draft) || version || type || str context as AD, over the padded payload", () => {
    const bytes = sealDraft(sodium, draftKey, context, payload, random);
    const { sealed } = parseDraft(bytes);
    const ad = concat(labelBytes("briefgeheim/draft/v1"), bytes.subarray(0, 2 + 4 + context.length));
    const plain = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
      null,
      sealed.subarray(24),
      ad,
      sealed.subarray(0, 24),
      draftKey,
    );
    expect(plain).toEqual(padPlaintext(encodePayload(sodium, payload)));
  });

  it("refuses a draft moved to another context with WRONG_CONTEXT", () => {
    const bytes = sealDraft(sodium, draftKey, context, payload, random);
    expectCode(() => openDraft(sodium, draftKey, bytes, "new:AAAAAAAAAAAAAAAAAAAAAA"), "WRONG_CONTEXT");
    // Rewriting the context inside the bytes makes the AEAD fail instead.
    const moved = encodeDraft({ ...parseDraft(bytes), context: "reply:BBBBBBBBBBBBBBBBBBBBBB" });
    expectCode(() => openDraft(sodium, draftKey, moved, "reply:BBBBBBBBBBBBBBBBBBBBBB"), "DECRYPT_FAILED");
  });

  it("throws DECRYPT_FAILED for another key or a flipped ciphertext bit", () => {
    const bytes = sealDraft(sodium, draftKey, context, payload, random);
    expectCode(() => openDraft(sodium, random(32) as DraftKey, bytes, context), "DECRYPT_FAILED");
    const flipped = bytes.slice();
    flipped[bytes.length - 1]! ^= 0x80;
    expectCode(() => openDraft(sodium, draftKey, flipped, context), "DECRYPT_FAILED");
  });

  it("limits the context to 64 bytes and checks version and type", () => {
    expect(() => sealDraft(sodium, draftKey, "x".repeat(64), payload, random)).not.toThrow();
    expectCode(() => sealDraft(sodium, draftKey, "x".repeat(65), payload, random), "TOO_LARGE");
    const bytes = sealDraft(sodium, draftKey, context, payload, random);
    const v = bytes.slice();
    v[0] = 9;
    expectCode(() => openDraft(sodium, draftKey, v, context), "UNSUPPORTED_VERSION");
    const t = bytes.slice();
    t[1] = 0x04;
    expectCode(() => openDraft(sodium, draftKey, t, context), "WRONG_TYPE");
    expectCode(() => parseDraft(new Uint8Array([...bytes, 0])), "MALFORMED");
  });

  // 192-bit random nonces never collide at any count a test can reach; what this catches is a source
  // that repeats (a constant, a reseeded or counter-less stream), which shows within a few draws.
  it("never repeats a nonce over 10,000 encryptions with the system random source", () => {
    const system = systemRandom(sodium);
    const small: Payload = { subject: "", body: "", attachments: [] };
    const nonces = new Set<string>();
    const n = 10_000;
    for (let i = 0; i < n; i++) {
      const { sealed } = parseDraft(sealDraft(sodium, draftKey, "c", small, system));
      nonces.add(sodium.to_base64(sealed.subarray(0, 24)));
    }
    expect(nonces.size).toBe(n);
  });
});
