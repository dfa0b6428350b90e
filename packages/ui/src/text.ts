/**
 * Plain text helpers behind the components (pure, so they are unit-tested in Node).
 */

/** Characters as a person counts them (code points, not UTF-16 units). */
export function charCount(text: string): number {
  let n = 0;
  for (const _ of text) n++;
  return n;
}

/** The text is over `max` characters (the cheap UTF-16 length first: it is never below the count). */
export function overLimit(text: string, max: number): boolean {
  return text.length > max && charCount(text) > max;
}

/**
 * The start of a long text for a collapsed view: at most `maxChars` characters and `maxLines`
 * lines, cut at the last space before the limit when there is one (never inside a surrogate pair).
 * Returns undefined when the whole text fits, so nothing is hidden needlessly.
 */
export function excerpt(text: string, maxChars: number, maxLines: number): string | undefined {
  const chars = Array.from(text);
  let lines = 1;
  let end = chars.length;
  for (let i = 0; i < chars.length; i++) {
    if (chars[i] === "\n" && ++lines > maxLines) {
      end = i;
      break;
    }
  }
  end = Math.min(end, maxChars);
  if (end >= chars.length) return undefined;
  const head = chars.slice(0, end).join("");
  // Only a cut inside a word goes back to the last space; a cut at a line end keeps the whole line.
  const midWord = !/\s/.test(chars[end] ?? " ") && !/\s/.test(chars[end - 1] ?? " ");
  const space = midWord ? head.search(/\s\S*$/) : -1;
  const cut = space > end / 2 ? head.slice(0, space) : head;
  return cut.trimEnd();
}
