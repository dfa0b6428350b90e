/**
 * Plural forms through `Intl.PluralRules` (issue 10, staff item 1: "1 gesprekken"): every count in
 * the staff app's texts picks its form here, never with `n === 1`, so a language with more forms
 * needs only more entries. Dutch and English have `one` and `other`.
 *
 * @example
 * plural("nl", n, { one: `${n} gesprek`, other: `${n} gesprekken` });
 */
export interface PluralForms {
  readonly one: string;
  readonly other: string;
  readonly zero?: string;
  readonly two?: string;
  readonly few?: string;
  readonly many?: string;
}

const rules = new Map<string, Intl.PluralRules>();

export function plural(locale: string, n: number, forms: PluralForms): string {
  let r = rules.get(locale);
  if (r === undefined) {
    r = new Intl.PluralRules(locale);
    rules.set(locale, r);
  }
  return forms[r.select(n)] ?? forms.other;
}

/** "Anna, Bram en Carla" / "Anna, Bram and Carla". */
export function listOf(locale: string, names: readonly string[]): string {
  return new Intl.ListFormat(locale, { style: "long", type: "conjunction" }).format(names);
}
