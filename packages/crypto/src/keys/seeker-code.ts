import {
  base32Checksum,
  CROCKFORD_ALPHABET,
  groupBase32,
  isCanonicalBase32,
  normaliseBase32,
} from "../core/base32.js";
import type { SeekerCode } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { LABEL } from "../core/labels.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";

/**
 * Help-seeker code (PROTOCOL.md §1): 24 Crockford characters = 120 bits, shown as 6 groups of 4.
 *
 *   tag (2 chars, 10 bits) | secret (20 chars, 100 bits) | check (2 chars, 10 bits)
 *
 * The secret is 100 bits from the CSPRNG, above the product's floor of 88 bits; Argon2id (ops 3,
 * 64 MiB) then makes each guess expensive. The tag is the helpline's public number so that the code
 * alone brings a help-seeker back. The check catches a typo before any network call.
 */
export const SEEKER_CODE_SECRET_BITS = 100;
export const SEEKER_CODE_LENGTH = 24;
export const MAX_HELPLINE_TAG = 1023;

const TAG_CHARS = 2;
const SECRET_CHARS = 20;
const CHECK_BITS = 10;
const SECRET_RANDOM_BYTES = 13;

/**
 * Make a new code for the helpline with public number `helplineTag` (0..1023).
 *
 * @example
 * const code = generateCode(sodium, { helplineTag: 7, random: systemRandom(sodium) });
 * // "07K2-MQX9-R4TB-..." (canonical display form)
 */
export function generateCode(
  sodium: Sodium,
  options: { readonly helplineTag: number; readonly random: RandomSource },
): SeekerCode {
  const { helplineTag, random } = options;
  if (!Number.isInteger(helplineTag) || helplineTag < 0 || helplineTag > MAX_HELPLINE_TAG) {
    throw new CryptoError("MALFORMED", `helpline tag must be an integer 0..${MAX_HELPLINE_TAG}`);
  }
  const raw = random(SECRET_RANDOM_BYTES);
  if (raw.length !== SECRET_RANDOM_BYTES)
    throw new CryptoError("MALFORMED", "random source returned a wrong length");
  // 104 random bits; the top 4 bits of the last byte are dropped, leaving 96 + 4 = 100.
  let secret = "";
  let acc = 0;
  let accBits = 0;
  const push = (value: number, bits: number) => {
    acc = (acc << bits) | value;
    accBits += bits;
    while (accBits >= 5) {
      accBits -= 5;
      secret += CROCKFORD_ALPHABET[(acc >> accBits) & 31];
    }
    acc &= (1 << accBits) - 1;
  };
  for (let i = 0; i < SECRET_RANDOM_BYTES - 1; i++) push(raw[i]!, 8);
  push(raw[SECRET_RANDOM_BYTES - 1]! & 0x0f, 4);
  sodium.memzero(raw);
  const data = tagChars(helplineTag) + secret;
  return groupBase32(data + base32Checksum(sodium, LABEL.codeChecksum, data, CHECK_BITS), "-") as SeekerCode;
}

/**
 * Read a code as typed: tolerant of case, spaces, dashes, dots, underscores and O/0, I/L/1
 * confusions; strict about everything else. Pure and local: call it before any network request.
 * Throws `INVALID_CODE_FORMAT` (wrong length or characters) or `INVALID_CODE_CHECKSUM` (a typo).
 * Error messages never contain the input: it is a secret.
 *
 * @example
 * const { code, helplineTag } = parseCode(sodium, " 07k2 mqx9-r4tb ... ");
 */
export function parseCode(sodium: Sodium, input: string): { code: SeekerCode; helplineTag: number } {
  const text = normaliseBase32(input);
  if (text.length !== SEEKER_CODE_LENGTH || !isCanonicalBase32(text)) {
    throw new CryptoError(
      "INVALID_CODE_FORMAT",
      `a code has ${SEEKER_CODE_LENGTH} characters from 0-9 and A-Z (without I, L, O, U)`,
    );
  }
  const data = text.slice(0, TAG_CHARS + SECRET_CHARS);
  if (base32Checksum(sodium, LABEL.codeChecksum, data, CHECK_BITS) !== text.slice(TAG_CHARS + SECRET_CHARS)) {
    throw new CryptoError("INVALID_CODE_CHECKSUM", "the code contains a typo");
  }
  return { code: groupBase32(text, "-") as SeekerCode, helplineTag: tagValue(text) };
}

/** The public helpline number carried in a (validated) code. */
export function codeHelplineTag(sodium: Sodium, code: SeekerCode): number {
  return parseCode(sodium, code).helplineTag;
}

/**
 * The Argon2id password of a code: `ascii(tag || secret)`, i.e. the 22 canonical characters without
 * the check digits (they add no information) and without separators.
 */
export function codePassword(sodium: Sodium, code: SeekerCode): Uint8Array {
  const text = normaliseBase32(parseCode(sodium, code).code);
  return new TextEncoder().encode(text.slice(0, TAG_CHARS + SECRET_CHARS));
}

function tagChars(tag: number): string {
  return CROCKFORD_ALPHABET[tag >> 5]! + CROCKFORD_ALPHABET[tag & 31]!;
}

function tagValue(text: string): number {
  return CROCKFORD_ALPHABET.indexOf(text[0]!) * 32 + CROCKFORD_ALPHABET.indexOf(text[1]!);
}
