/**
 * Fixed inputs of the golden vectors (docs/PROTOCOL.md pinned byte for byte). Everything here is
 * written into `vectors/golden.json` next to the outputs, so another implementation can rebuild
 * every vector from the file alone.
 */
import type { HelplineId, ThreadId } from "../src/core/brand.js";
import { CryptoError } from "../src/core/errors.js";
import { labelledHash } from "../src/core/hash.js";
import { LABEL } from "../src/core/labels.js";
import type { Sodium } from "../src/core/sodium.js";
import type { AttachmentMeta, EnvelopeHead, Payload } from "../src/core/types.js";

/** Format tag of the vector file; a new protocol version gets a new file. */
export const GOLDEN_FORMAT = "briefgeheim-golden-vectors/v1";

/** How the fixed randomness works (recorded in the file for other implementations). */
export const GOLDEN_RANDOMNESS =
  "Every entry that needs randomness names a 32-byte seed = BLAKE2b-256(utf8('briefgeheim/golden-vectors/' + name)) " +
  "and draws from seededRandom (packages/crypto/src/random.ts): request n returns the first `length` bytes of the " +
  "ChaCha20-IETF keystream under the seed with nonce = u32be(n) || 8 zero bytes, n counting from 0. Requests are " +
  "made in the order the package functions make them (e.g. salt before nonce).";

export const GOLDEN_HELPLINE_TAG = 7;
export const GOLDEN_HELPLINE_ID = "obLD1OX2BxgpOktcbX6PkA" as HelplineId;
export const GOLDEN_THREAD_ID = "fw4dLDtKWWh3hpUKGyw9Tg" as ThreadId;
/** 2025-06-15T15:06:40Z; later steps add whole minutes. */
export const GOLDEN_T0 = 1_750_000_000_000;
export const MINUTE = 60_000;

/** The code as a person might type it: lower case, spaces and a dot, O for 0 and L for 1 undone later. */
export function typedVariant(code: string): string {
  return code.toLowerCase().replace(/-/g, " ").replace(/0/g, "o").replace(/1/g, "l").replace(" ", ". ");
}

/** Contains "é" as e + U+0301 (NFD): the wrap must use the NFC form. */
export const GOLDEN_PASSPHRASE = "Paard batterij nietje cafe\u0301 7";
export const GOLDEN_ORIGIN = "https://hulp.example.org";
export const GOLDEN_PADME_LENGTHS = [
  0, 1, 2, 3, 9, 100, 1023, 1024, 1025, 1028, 1029, 1100, 2047, 2048, 4096, 5000, 65_535, 65_536, 262_148,
  1_048_577, 10_000_000,
] as const;

export const GOLDEN_MEMBERS = [
  { name: "vera", role: "supervisor", intakeReader: false, displayName: "Vera (supervisie)", since: 1 },
  { name: "ines", role: "counsellor", intakeReader: true, displayName: "Inès", since: 1 },
  { name: "anna", role: "counsellor", intakeReader: false, displayName: "Anna", since: 2 },
] as const;

/** The seed of one entry (see GOLDEN_RANDOMNESS). */
export function goldenSeed(sodium: Sodium, name: string): Uint8Array {
  return sodium.crypto_generichash(32, new TextEncoder().encode(`briefgeheim/golden-vectors/${name}`), null);
}

export function hex(sodium: Sodium, bytes: Uint8Array): string {
  return sodium.to_hex(bytes);
}

/** Lower-case hex only (one value, one spelling); `MALFORMED` otherwise. */
export function unhex(sodium: Sodium, text: string): Uint8Array {
  if (!/^(?:[0-9a-f]{2})*$/.test(text)) throw new CryptoError("MALFORMED", "not lower-case hex");
  return sodium.from_hex(text);
}

/** A payload in JSON form: binary fields as hex. */
export interface PayloadJson {
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly {
    readonly attachmentId: string;
    readonly name: string;
    readonly mediaType: string;
    readonly size: number;
    readonly hash: string;
    readonly key: string;
  }[];
}

export function payloadToJson(sodium: Sodium, p: Payload): PayloadJson {
  return {
    subject: p.subject,
    body: p.body,
    attachments: p.attachments.map((a) => ({
      attachmentId: a.attachmentId,
      name: a.name,
      mediaType: a.mediaType,
      size: a.size,
      hash: hex(sodium, a.hash),
      key: hex(sodium, a.key),
    })),
  };
}

export function payloadFromJson(sodium: Sodium, p: PayloadJson): Payload {
  return {
    subject: p.subject,
    body: p.body,
    attachments: p.attachments.map(
      (a): AttachmentMeta => ({ ...a, hash: unhex(sodium, a.hash), key: unhex(sodium, a.key) }),
    ),
  };
}

/** The payloads of the message, status, note and draft vectors. */
export function goldenPayloads(sodium: Sodium) {
  const picture = new TextEncoder().encode("not really a PNG, but 42 bytes of content.");
  const message: Payload = {
    subject: "Ik wil iets vertellen",
    body: "Hallo,\n\nIk weet niet goed hoe ik moet beginnen. Kan ik hier écht anoniem schrijven? 🙂\n\nGroet",
    attachments: [
      {
        attachmentId: sodium.to_base64(
          goldenSeed(sodium, "attachment-id").slice(0, 16),
          sodium.base64_variants.URLSAFE_NO_PADDING,
        ),
        name: "tekening.png",
        mediaType: "image/png",
        size: picture.length,
        hash: labelledHash(sodium, LABEL.attachmentHash, picture),
        key: goldenSeed(sodium, "attachment-key"),
      },
    ],
  };
  return {
    message,
    status: { subject: "", body: "waiting", attachments: [] } satisfies Payload,
    note: {
      subject: "",
      body: "Eerste contact. Rustig aan; volgende week navragen hoe het gaat.",
      attachments: [],
    } satisfies Payload,
    draft: { subject: "Concept", body: "Nog niet versturen.", attachments: [] } satisfies Payload,
    /** The attachment plaintext, so a checker can recompute its hash. */
    attachmentPlaintext: picture,
  };
}

/** Heads as they appear in the vectors' inputs (PROTOCOL.md §5). */
export function headsToJson(sodium: Sodium, heads: readonly EnvelopeHead[]) {
  return heads.map((x) => ({
    stream: x.stream,
    signPk: hex(sodium, x.signPk),
    seq: x.seq,
    hash: hex(sodium, x.hash),
    pastDamaged: x.pastDamaged,
  }));
}
