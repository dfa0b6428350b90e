/**
 * A hostile sender names a file so that it shows as one thing and saves as another
 * (`factuur\u202Efdp.exe` shows as "factuurexe.pdf"): the payload codec refuses such a name when
 * encoding and when a hand-made payload carries it, with ATTACHMENT_NAME_INVALID.
 */
import { describe, expect, it } from "vitest";
import { isCryptoError } from "../core/errors.js";
import { loadSodium } from "../core/sodium.js";
import { checkAttachmentName } from "./attachment-name.js";
import { encodePayload, parsePayload } from "./payload.js";

const sodium = await loadSodium();

const meta = (name: string) => ({
  attachmentId: sodium.to_base64(new Uint8Array(16).fill(3), sodium.base64_variants.URLSAFE_NO_PADDING),
  name,
  mediaType: "application/pdf",
  size: 1000,
  hash: new Uint8Array(32).fill(4),
  key: new Uint8Array(32).fill(5),
});

function code(fn: () => unknown): string | undefined {
  try {
    fn();
  } catch (e) {
    return isCryptoError(e) ? e.code : String(e);
  }
  return undefined;
}

const REFUSED = [
  "\u0000",
  "\u0009",
  "\u001b",
  "\u007f",
  "\u0085",
  "\u061c",
  "\u200e",
  "\u200f",
  "\u202a",
  "\u202b",
  "\u202c",
  "\u202d",
  "\u202e",
  "\u2066",
  "\u2067",
  "\u2068",
  "\u2069",
];

describe("attachment names: no control or bidirectional formatting characters", () => {
  it("encoding refuses each of them, anywhere in the name", () => {
    for (const c of REFUSED) {
      const name = `factuur${c}fdp.exe`;
      expect(
        code(() => checkAttachmentName(name)),
        JSON.stringify(name),
      ).toBe("ATTACHMENT_NAME_INVALID");
      expect(code(() => encodePayload(sodium, { subject: "", body: "", attachments: [meta(name)] }))).toBe(
        "ATTACHMENT_NAME_INVALID",
      );
    }
  });

  it("a payload a hostile sender wrote by hand with U+202E in a name does not parse", () => {
    // Encoded with a harmless 3-byte character, then its bytes replaced by U+202E's (same length).
    const bytes = encodePayload(sodium, {
      subject: "",
      body: "",
      attachments: [meta("factuur\u2603fdp.exe")],
    });
    const at = Buffer.from(bytes).indexOf(Buffer.from("\u2603"));
    expect(at).toBeGreaterThan(0);
    bytes.set(new TextEncoder().encode("\u202e"), at);
    expect(code(() => parsePayload(sodium, bytes))).toBe("ATTACHMENT_NAME_INVALID");
  });

  it("names in any script, with spaces, accents and emoji (ZWJ included), pass", () => {
    for (const name of ["résumé 日本.pdf", "مرحبا.pdf", "שלום.txt", "👨‍👩‍👧 foto.jpg", "a b-c_(1).png"]) {
      const bytes = encodePayload(sodium, { subject: "", body: "", attachments: [meta(name)] });
      expect(parsePayload(sodium, bytes).attachments[0]!.name).toBe(name);
    }
  });
});
