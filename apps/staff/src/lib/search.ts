/** Lower case without diacritics: "Café" matches "cafe", "Één" matches "een". */
export function fold(text: string): string {
  return text
    .normalize("NFD")
    .replace(/\p{M}+/gu, "")
    .toLowerCase();
}

/** The words of a query, folded. */
export function queryWords(query: string): string[] {
  return fold(query).split(/\s+/).filter(Boolean);
}

/**
 * Whether a text holds every word of the query (any order, as parts of words).
 *
 * @example
 * matches(["wakker", "praten"], "Ik lig wakker en wil praten"); // true
 */
export function matches(words: readonly string[], text: string): boolean {
  if (words.length === 0) return false;
  const folded = fold(text);
  return words.every((w) => folded.includes(w));
}
