/**
 * Checks on a message before it is sent (docs/REQUIREMENTS.md §1: warn, never block). Pure: no DOM, no
 * SDK; the code is passed in by the caller and not kept.
 */

/** Why a message deserves a second look before sending. */
export type TextWarning = "contains-code" | "email" | "phone" | "short";

/** A first message shorter than this (in characters, trimmed) gets the "very short" warning. */
export const SHORT_FIRST_MESSAGE = 80;

const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}-]+(?:\.[\p{L}\p{N}-]+)*\.\p{L}{2,}/u;
/** Nine or more digits with the usual separators: 06-12345678, +31 6 1234 5678, (020) 123 4567. */
const PHONE = /(?:\+|\b00)?\(?\d(?:[\s().-]{0,2}\d){8,}/;

/**
 * Crockford base32 as a person types it: upper case, only letters and digits, O read as 0 and
 * I/L as 1 (the same tolerance as the code input).
 */
export function normaliseCodeLike(text: string): string {
  return text
    .toUpperCase()
    .replace(/O/g, "0")
    .replace(/[IL]/g, "1")
    .replace(/[^0-9A-Z]/g, "");
}

/**
 * True when `text` contains the code, or any 8 consecutive characters of it (two of its groups),
 * whatever the case, spacing or dashes.
 */
export function containsCode(text: string, code: string): boolean {
  const haystack = normaliseCodeLike(text);
  const needle = normaliseCodeLike(code);
  if (needle.length < 8) return false;
  for (let i = 0; i + 8 <= needle.length; i++) {
    if (haystack.includes(needle.slice(i, i + 8))) return true;
  }
  return false;
}

/**
 * The warnings for a message about to be sent.
 *
 * @example
 * messageWarnings({ subject: "Hoi", body: "Bel me: 06-12345678", first: true }); // ["phone", "short"]
 */
export function messageWarnings(input: {
  readonly subject: string;
  readonly body: string;
  /** The help-seeker's code, when it exists already. */
  readonly code?: string | undefined;
  /** A first message (the "very short" check applies only to it). */
  readonly first: boolean;
}): TextWarning[] {
  const text = `${input.subject}\n${input.body}`;
  const found: TextWarning[] = [];
  if (input.code !== undefined && containsCode(text, input.code)) found.push("contains-code");
  if (EMAIL.test(text)) found.push("email");
  if (PHONE.test(text)) found.push("phone");
  if (input.first && input.body.trim().length < SHORT_FIRST_MESSAGE) found.push("short");
  return found;
}

/** The characters of a typed code that count (letters and digits), for the "24 characters" hint. */
export function codeCharacterCount(typed: string): number {
  return typed.replace(/[^0-9A-Za-z]/g, "").length;
}
