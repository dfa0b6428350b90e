/**
 * The one i18n module of the staff app, in the help-seeker app's shape: Dutch first (`nl.ts` defines
 * the keys), English second (`en.ts`, typed against them). Every user-facing string comes from `t()`;
 * dates, times and numbers are formatted with `Intl` in the chosen language. The choice lives in
 * memory only (no storage) and sets `<html lang>` and the tab title.
 *
 * @example
 * <h1>{t().inboxTitle}</h1>
 * <p>{t().footerLock(15)}</p>
 * <p>{t().errors.NETWORK}</p>
 */
import { createSignal } from "solid-js";
import { en } from "./en.js";
import { type Messages, nl } from "./nl.js";

export type { Messages };
export type Lang = "nl" | "en";

export const LANGS: readonly Lang[] = ["nl", "en"];
const dictionaries: Readonly<Record<Lang, Messages>> = { nl, en };
const [lang, setLangSignal] = createSignal<Lang>("nl");

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
  document.title = dictionaries[next].appTitle;
}

/** A text from one of the catalog's maps by a code from outside (server, SDK), if it has one. */
export function lookup<M extends Readonly<Record<string, string>>>(map: M, code: string): string | undefined {
  return Object.hasOwn(map, code) ? map[code as keyof M] : undefined;
}

/** "23 nov 2026, 14:05" in the chosen language. */
export function formatDateTime(ms: number): string {
  return new Intl.DateTimeFormat(t().locale, { dateStyle: "medium", timeStyle: "short" }).format(ms);
}

/** "23 nov 2026". */
export function formatDate(ms: number): string {
  return new Intl.DateTimeFormat(t().locale, { dateStyle: "medium" }).format(ms);
}

/** A duration as days and hours, hours and minutes, or minutes: "2 d 3 u" / "2 d 3 h". */
export function formatDuration(ms: number): string {
  const minutes = Math.max(0, Math.floor(ms / 60_000));
  const d = Math.floor(minutes / 1440);
  const h = Math.floor((minutes % 1440) / 60);
  const m = minutes % 60;
  if (d > 0) return t().durationDh(d, h);
  if (h > 0) return t().durationHm(h, m);
  return t().durationM(m);
}

/** A number in the chosen language. */
export function formatNumber(n: number, digits = 0): string {
  return new Intl.NumberFormat(t().locale, {
    maximumFractionDigits: digits,
    minimumFractionDigits: digits,
  }).format(n);
}
