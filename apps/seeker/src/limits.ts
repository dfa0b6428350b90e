/**
 * The limits a help-seeker meets, shown before sending (docs/SEEKER.md, "Limits"). A message is at
 * most MAX_MESSAGE_CHARS characters: far below the API's 300 KiB envelope even in scripts that take
 * four bytes a character, so the server's 413 is never what a person meets first.
 */
import { t } from "./i18n/index.js";

export const MAX_MESSAGE_CHARS = 20_000;

/** Characters as a person counts them (code points, not UTF-16 units). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

export function formatCount(n: number): string {
  return new Intl.NumberFormat(t().locale).format(n);
}

/** The text is over the limit. */
export function tooLong(text: string): boolean {
  return text.length > MAX_MESSAGE_CHARS && charCount(text) > MAX_MESSAGE_CHARS;
}
