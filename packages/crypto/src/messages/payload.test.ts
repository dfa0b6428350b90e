import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { isCryptoError } from "../core/errors.js";
import { loadSodium } from "../core/sodium.js";
import type { Payload } from "../core/types.js";
import { encodePayload, MAX_BODY_BYTES, MAX_SUBJECT_BYTES, parsePayload } from "./payload.js";

const sodium = await loadSodium();

function expectCode(fn: () => unknown, code: Parameters<typeof isCryptoError>[1]): void {
  let caught: unknown;
  try {
    fn();
  } catch (e) {
    caught = e;
  }
  expect(isCryptoError(caught, code), String(caught)).toBe(true);
}

const attachment = {
  attachmentId: sodium.to_base64(new Uint8Array(16).fill(3), sodium.base64_variants.URLSAFE_NO_PADDING),
  name: "verslag.pdf",
  mediaType: "application/pdf",
  size: 123_456,
  hash: new Uint8Array(32).fill(4),
  key: new Uint8Array(32).fill(5),
};

describe("payload", () => {
  it("round-trips a payload with attachments, and bytes -> parse -> encode is the identity", () => {
    const payload: Payload = { subject: "Vraag ü €", body: "Hallo\n\u{1F600}", attachments: [attachment] };
    const bytes = encodePayload(sodium, payload);
    const parsed = parsePayload(sodium, bytes);
    expect(parsed).toEqual(payload);
    expect(encodePayload(sodium, parsed)).toEqual(bytes);
  });

  it("round-trips arbitrary strings and attachment lists", () => {
    const meta = fc.record({
      attachmentId: fc
        .uint8Array({ minLength: 16, maxLength: 16 })
        .map((b) => sodium.to_base64(b, sodium.base64_variants.URLSAFE_NO_PADDING)),
      // Control and bidi characters are refused in names (tested below).
      name: fc
        .string({ maxLength: 40 })
        .filter((n) => !/[\p{Cc}\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/u.test(n)),
      mediaType: fc.string({ maxLength: 20 }),
      size: fc.maxSafeNat(),
      hash: fc.uint8Array({ minLength: 32, maxLength: 32 }),
      key: fc.uint8Array({ minLength: 32, maxLength: 32 }),
    });
    fc.assert(
      fc.property(
        fc.string({ maxLength: 100 }),
        fc.string({ maxLength: 300 }),
        fc.array(meta, { maxLength: 3 }),
        (subject, body, attachments) => {
          const bytes = encodePayload(sodium, { subject, body, attachments });
          const parsed = parsePayload(sodium, bytes);
          expect(encodePayload(sodium, parsed)).toEqual(bytes);
          expect(parsed.attachments).toEqual(attachments);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("keeps a leading byte-order mark (parse then encode is exact)", () => {
    const payload = { subject: "\uFEFFonderwerp", body: "\uFEFF", attachments: [] };
    const bytes = encodePayload(sodium, payload);
    expect(parsePayload(sodium, bytes)).toEqual(payload);
  });

  it("accepts the limits and refuses one byte more with TOO_LARGE, when encoding and parsing", () => {
    const atLimit = {
      subject: "s".repeat(MAX_SUBJECT_BYTES),
      body: "b".repeat(MAX_BODY_BYTES),
      attachments: [],
    };
    expect(parsePayload(sodium, encodePayload(sodium, atLimit))).toEqual(atLimit);
    expectCode(() => encodePayload(sodium, { ...atLimit, subject: `${atLimit.subject}x` }), "TOO_LARGE");
    expectCode(() => encodePayload(sodium, { ...atLimit, body: `${atLimit.body}x` }), "TOO_LARGE");
    // Multi-byte characters count in bytes, not code units: 512 x "é" is 1024 bytes, 513 is too many.
    expectCode(() => encodePayload(sodium, { ...atLimit, subject: "é".repeat(513) }), "TOO_LARGE");

    // Hand-build an oversized subject to check the parser, not only the encoder.
    const subject = new Uint8Array(MAX_SUBJECT_BYTES + 1).fill(0x61);
    const raw = new Uint8Array(1 + 4 + subject.length + 4 + 2);
    raw[0] = 1;
    new DataView(raw.buffer).setUint32(1, subject.length);
    raw.set(subject, 5);
    expectCode(() => parsePayload(sodium, raw), "TOO_LARGE");
  });

  it("rejects another payload version, trailing bytes, truncation and invalid UTF-8", () => {
    const bytes = encodePayload(sodium, { subject: "a", body: "b", attachments: [attachment] });
    const v2 = bytes.slice();
    v2[0] = 2;
    expectCode(() => parsePayload(sodium, v2), "UNSUPPORTED_VERSION");
    expectCode(() => parsePayload(sodium, new Uint8Array([...bytes, 0])), "MALFORMED");
    expectCode(() => parsePayload(sodium, bytes.subarray(0, bytes.length - 1)), "MALFORMED");
    const badUtf8 = encodePayload(sodium, { subject: "a", body: "b", attachments: [] });
    badUtf8[5] = 0xff; // the subject byte
    expectCode(() => parsePayload(sodium, badUtf8), "MALFORMED");
  });

  it("rejects a bad attachment id, hash or key when encoding", () => {
    expectCode(
      () =>
        encodePayload(sodium, { subject: "", body: "", attachments: [{ ...attachment, attachmentId: "x" }] }),
      "MALFORMED",
    );
    expectCode(
      () =>
        encodePayload(sodium, {
          subject: "",
          body: "",
          attachments: [{ ...attachment, hash: new Uint8Array(31) }],
        }),
      "MALFORMED",
    );
    expectCode(
      () =>
        encodePayload(sodium, {
          subject: "",
          body: "",
          attachments: [{ ...attachment, key: new Uint8Array(33) }],
        }),
      "MALFORMED",
    );
  });
});
