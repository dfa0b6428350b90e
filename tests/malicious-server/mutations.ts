/**
 * The hostile server's small tools: list edits (drop, move, duplicate), byte edits on base64url
 * fields (flip one bit, replace a key) and swapping a field between two answers. Pure functions: they
 * return new values and never change their input, so an honest answer captured earlier stays honest.
 */

/** The list without item `i` (hiding an envelope, a roster, a record). */
export function dropAt<T>(list: readonly T[], i: number): T[] {
  check(list, i);
  return list.filter((_, j) => j !== i);
}

/** The list with item `from` moved to position `to` (reordering). */
export function moveItem<T>(list: readonly T[], from: number, to: number): T[] {
  check(list, from);
  const out = [...list];
  const [item] = out.splice(from, 1);
  out.splice(to, 0, item as T);
  return out;
}

/** The list with item `i` served twice, the copy right after it (a replay). */
export function duplicateAt<T>(list: readonly T[], i: number): T[] {
  check(list, i);
  const out = [...list];
  out.splice(i + 1, 0, list[i] as T);
  return out;
}

/** Swaps the values of `key` between two objects (e.g. two envelopes' bytes, two grants). */
export function swapField<T extends object, K extends keyof T>(a: T, b: T, key: K): [T, T] {
  return [
    { ...a, [key]: b[key] },
    { ...b, [key]: a[key] },
  ];
}

export function decode(b64url: string): Uint8Array {
  return new Uint8Array(Buffer.from(b64url, "base64url"));
}

export function encode(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

/**
 * Flips the lowest bit of one byte of a base64url field. A negative `offset` counts from the end
 * (`-1` is the last byte), so `flipByte(env, -80)` lands in the ciphertext before a 64-byte signature.
 */
export function flipByte(b64url: string, offset: number): string {
  const bytes = decode(b64url);
  const at = offset < 0 ? bytes.length + offset : offset;
  if (at < 0 || at >= bytes.length) throw new RangeError(`offset ${offset} outside ${bytes.length} bytes`);
  bytes[at] = (bytes[at] as number) ^ 0x01;
  return encode(bytes);
}

/**
 * Replaces every occurrence of `find` (a key, typically) in a base64url field by `replacement` of the
 * same length. Throws when `find` does not occur, so an attack can never silently do nothing.
 */
export function replaceBytes(b64url: string, find: Uint8Array, replacement: Uint8Array): string {
  if (find.length !== replacement.length || find.length === 0) {
    throw new RangeError("replaceBytes needs two non-empty byte strings of one length");
  }
  const bytes = decode(b64url);
  let found = 0;
  for (let i = 0; i + find.length <= bytes.length; i++) {
    if (find.every((b, j) => bytes[i + j] === b)) {
      bytes.set(replacement, i);
      found++;
      i += find.length - 1;
    }
  }
  if (found === 0) throw new Error("the bytes to replace do not occur in this field");
  return encode(bytes);
}

function check(list: readonly unknown[], i: number): void {
  if (!Number.isInteger(i) || i < 0 || i >= list.length) {
    throw new RangeError(`index ${i} outside a list of ${list.length}`);
  }
}
