import type { Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";

/**
 * The safety part of a helpline profile (type 0x0b, docs/PROTOCOL.md §10): the crisis options the
 * help-seeker app shows on every screen and the quick-exit destination. Both become links in the
 * help-seeker's browser, so they are checked on signing AND on parsing: a phone number is digits,
 * spaces, dashes and a leading plus (a `tel:` link, nothing else), a web address is `https://` with a
 * plain host name (never `javascript:`, `data:` or another scheme), whoever signed them.
 */
export const SAFETY_LIMITS = {
  maxCrisisOptions: 6,
  labelBytes: 120,
  phoneBytes: 32,
  urlBytes: 512,
} as const;

/** One way to get help right now: a phone number to call or a web page (chat) to open. */
export interface CrisisOption {
  readonly kind: "phone" | "url";
  /** Dutch label, e.g. "113 Zelfmoordpreventie". */
  readonly labelNl: string;
  /** English label, e.g. "113 Suicide prevention". */
  readonly labelEn: string;
  /** `phone`: "0800-0113"; `url`: "https://www.113.nl/". */
  readonly target: string;
}

const KIND_BYTE = { phone: 1, url: 2 } as const;
const PHONE = /^\+?[0-9][0-9 -]*[0-9]$/;
// https only, a host of letters, digits, dots and dashes, an optional port, then printable ASCII
// without spaces, quotes, angle brackets or backslashes.
const HTTPS_URL = /^https:\/\/[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)*(:[0-9]{1,5})?(\/[!#-&(-;=?-[\]-~]*)?$/;

const byteLength = (s: string) => new TextEncoder().encode(s).length;

/** `https://host/path` within the byte limit (the exit destination's "" is handled by the caller). */
export function isSafeHttpsUrl(url: string): boolean {
  return byteLength(url) <= SAFETY_LIMITS.urlBytes && HTTPS_URL.test(url);
}

function checkOption(o: CrisisOption, i: number): void {
  const label = (s: string) => s.trim() !== "" && byteLength(s) <= SAFETY_LIMITS.labelBytes;
  if (!label(o.labelNl) || !label(o.labelEn)) {
    throw new CryptoError("MALFORMED", `crisis option ${i + 1} needs a Dutch and an English label`);
  }
  const target =
    o.kind === "phone"
      ? byteLength(o.target) <= SAFETY_LIMITS.phoneBytes && PHONE.test(o.target)
      : o.kind === "url" && isSafeHttpsUrl(o.target);
  if (!target) {
    throw new CryptoError("MALFORMED", `crisis option ${i + 1} is not a phone number or an https:// address`);
  }
}

/** Throws `MALFORMED` unless the crisis options and the exit destination can safely become links. */
export function checkSafetyFields(crisisOptions: readonly CrisisOption[], exitUrl: string): void {
  if (crisisOptions.length > SAFETY_LIMITS.maxCrisisOptions) {
    throw new CryptoError("MALFORMED", `at most ${SAFETY_LIMITS.maxCrisisOptions} crisis options`);
  }
  crisisOptions.forEach(checkOption);
  if (exitUrl !== "" && !isSafeHttpsUrl(exitUrl)) {
    throw new CryptoError("MALFORMED", "the quick-exit destination must be an https:// address");
  }
}

/** `str exitUrl | u8 count | count x (u8 kind | str labelNl | str labelEn | str target)`. */
export function writeSafetyFields(
  w: Writer,
  crisisOptions: readonly CrisisOption[],
  exitUrl: string,
): Writer {
  w.str(exitUrl).u8(crisisOptions.length);
  for (const o of crisisOptions) w.u8(KIND_BYTE[o.kind]).str(o.labelNl).str(o.labelEn).str(o.target);
  return w;
}

/** Reads what {@link writeSafetyFields} wrote; the caller runs {@link checkSafetyFields}. */
export function readSafetyFields(r: Reader): { crisisOptions: CrisisOption[]; exitUrl: string } {
  const exitUrl = r.str(SAFETY_LIMITS.urlBytes);
  const count = r.u8();
  if (count > SAFETY_LIMITS.maxCrisisOptions) {
    throw new CryptoError("MALFORMED", `${count} crisis options (at most ${SAFETY_LIMITS.maxCrisisOptions})`);
  }
  const crisisOptions: CrisisOption[] = [];
  for (let i = 0; i < count; i++) {
    const k = r.u8();
    const kind = k === KIND_BYTE.phone ? "phone" : k === KIND_BYTE.url ? "url" : undefined;
    if (kind === undefined) throw new CryptoError("MALFORMED", `crisis option kind ${k} is unknown`);
    const labelNl = r.str(SAFETY_LIMITS.labelBytes);
    const labelEn = r.str(SAFETY_LIMITS.labelBytes);
    const target = r.str(SAFETY_LIMITS.urlBytes);
    crisisOptions.push({ kind, labelNl, labelEn, target });
  }
  return { crisisOptions, exitUrl };
}
