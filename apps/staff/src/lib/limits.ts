/**
 * The length limit a counsellor meets before sending, shown under the reply and note boxes. The same
 * number as the help-seeker app's (docs/SEEKER.md, "Limits"): far below the API's envelope limit even
 * in scripts of four bytes a character, so the server's 413 is never what a person meets first.
 */
import { t } from "../i18n/index.js";

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
