/**
 * The one i18n module of the help-seeker app: Dutch first (`nl.ts` defines the keys), English second
 * (`en.ts`, typed against them). Every user-facing string comes from `t()`; dates and times are
 * formatted with `Intl` in the chosen language. The choice lives in memory only (no storage).
 *
 * @example
 * <h1>{t().startTitle}</h1>
 * <p>{t().replyTime(72)}</p>
 * <p>{formatRelative(message.receivedAt)}</p>
 */
import { createSignal } from "solid-js";
import { en } from "./en.js";
import { type Messages, nl } from "./nl.js";

export type { Messages };
export type Lang = "nl" | "en";

const dictionaries: Readonly<Record<Lang, Messages>> = { nl, en };
const [lang, setLangSignal] = createSignal<Lang>("nl");
const [now, setNow] = createSignal(Date.now());

/** The current language. */
export { lang };

/** The messages of the current language (reactive). */
export function t(): Messages {
  return dictionaries[lang()];
}

/** Switches the language; the document's `lang` and title follow. */
export function setLang(next: Lang): void {
  setLangSignal(next);
  document.documentElement.lang = next;
  document.title = dictionaries[next].tabTitle;
}

/** A clock for relative times ("3 hours ago") that ticks once a minute while the page is open. */
export function startClock(): void {
  setInterval(() => setNow(Date.now()), 60_000);
}

/** "23 november 2026" / "23 November 2026". */
export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(t().locale, { dateStyle: "long" }).format(ms);
}

/** "23 nov 2026, 14:05" in the chosen language. */
export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(t().locale, { dateStyle: "medium", timeStyle: "short" }).format(ms);
}

/** "14:05". */
export function formatTime(ms: number): string {
  return new Intl.DateTimeFormat(t().locale, { timeStyle: "short" }).format(ms);
}

const UNITS: ReadonlyArray<[Intl.RelativeTimeFormatUnit, number]> = [
  ["year", 365 * 86_400_000],
  ["month", 30 * 86_400_000],
  ["week", 7 * 86_400_000],
  ["day", 86_400_000],
  ["hour", 3_600_000],
  ["minute", 60_000],
];

/** "3 uur geleden" / "3 hours ago" (reactive: follows the language and a one-minute clock). */
export function formatRelative(ms: number): string {
  const diff = ms - now();
  // The clock ticks once a minute, so "now" may lag a fresh message: anything this recent is "just now".
  if (diff > -60_000) return t().justNow;
  const format = new Intl.RelativeTimeFormat(t().locale, { numeric: "auto" });
  for (const [unit, size] of UNITS) {
    if (Math.abs(diff) >= size) return format.format(Math.round(diff / size), unit);
  }
  return t().justNow;
}
