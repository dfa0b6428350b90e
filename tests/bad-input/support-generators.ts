/** Bad input (see tests/bad-input/support.ts): JSON paths, body route shapes and the generators of bad values. */
import fc from "fast-check";
import type { z } from "zod";

export type Json = null | boolean | number | string | Json[] | { [k: string]: Json };
export type Path = (string | number)[];

// --------------------------------------------------------------------------------- body routes

/** A binary field of a body: fixed length (random bytes of that length still refused?), a structure, or opaque. */
export type Binary =
  | { readonly path: Path; readonly fixed: number; readonly anyBytesRefused: boolean }
  | { readonly path: Path; readonly struct: "signed" | number }
  | { readonly path: Path; readonly opaque: number };

export interface BodyRoute {
  readonly key: string;
  readonly method: "POST" | "PUT" | "PATCH";
  path: string;
  cookie: string | undefined;
  template: { [k: string]: Json };
  readonly schema: z.ZodType;
  readonly limit: number;
  readonly binary: readonly Binary[];
  readonly numbers?: readonly Path[];
  readonly texts?: readonly { readonly path: Path; readonly schema: z.ZodType }[];
  /** The batch answers per item. */
  readonly batch?: boolean;
}

export function clone<T>(v: T): T {
  return structuredClone(v);
}

export function getAt(obj: Json, path: Path): Json | undefined {
  let cur: Json | undefined = obj;
  for (const p of path) {
    if (cur === null || typeof cur !== "object") return undefined;
    cur = (cur as Record<string | number, Json>)[p];
  }
  return cur;
}

export function setAt(obj: Json, path: Path, value: Json | undefined): Json {
  if (path.length === 0) return value ?? null;
  const root = clone(obj);
  let cur = root as Record<string | number, Json>;
  for (const p of path.slice(0, -1)) cur = cur[p] as Record<string | number, Json>;
  const last = path.at(-1)!;
  if (value === undefined) {
    if (Array.isArray(cur) && typeof last === "number") cur.splice(last, 1);
    else delete cur[last];
  } else cur[last] = value;
  return root;
}

/** Every path in a JSON value (objects' keys and arrays' elements), the root first. */
export function pathsOf(v: Json, prefix: Path = []): Path[] {
  const out: Path[] = [prefix];
  if (Array.isArray(v)) {
    for (const [i, x] of v.entries()) out.push(...pathsOf(x, [...prefix, i]));
  } else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) out.push(...pathsOf(x, [...prefix, k]));
  }
  return out;
}

export function objectPaths(v: Json): Path[] {
  return pathsOf(v).filter((p) => {
    const x = getAt(v, p);
    return x !== null && typeof x === "object" && !Array.isArray(x);
  });
}

export const refusedBy = (schema: z.ZodType, body: unknown) => !schema.safeParse(body).success;

/** Percent-encoding of the UTF-8 bytes (lone surrogates become U+FFFD, as a browser would send them). */
export function percentEncode(text: string): string {
  return [...Buffer.from(text)].map((b) => `%${b.toString(16).padStart(2, "0")}`).join("");
}

export function b64(bytes: Uint8Array): string {
  return Buffer.from(bytes).toString("base64url");
}

// ------------------------------------------------------------------------------------ generators

export const anyJson: fc.Arbitrary<Json> = fc.oneof(
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null),
  fc.string({ maxLength: 40 }),
  fc.array(fc.jsonValue({ maxDepth: 2 }) as fc.Arbitrary<Json>, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 1 }) as fc.Arbitrary<Json>, {
    maxKeys: 3,
  }),
);

export const NOT_JSON = [
  "",
  "{",
  "}",
  "[",
  "nul",
  "tru",
  "{'a':1}",
  '{"a":1,}',
  "NaN",
  "Infinity",
  "\uFEFF{}",
  '{"a":"\\x00"}',
  '{"a":"\\ud800',
  "{a:1}",
  "[1,2",
  '{"a" 1}',
  "\u0000",
  "<xml/>",
  "a=1&b=2",
];

/** Not JSON as the server reads it (a body's leading UTF-8 byte order mark is dropped when decoding). */
export const notJson = (s: string) => {
  try {
    JSON.parse(s.replace(/^\uFEFF/, ""));
    return false;
  } catch {
    return true;
  }
};

export const HUGE = [
  "1e400",
  "-1e400",
  "1e308",
  "9007199254740993",
  "123456789012345678901234567890",
  "-0",
  "0.5",
  "1e-400",
  "-1",
  "0",
  "4294967296",
  "18446744073709551616",
];

/** Unicode that looks like (or normalises towards) something valid: confusables, controls, bidi, marks. */
export const ODD_TEXT = [
  "\u212Aarin", // Kelvin sign: lower-cases to "k"
  "ＳＰＡＲＥ", // fullwidth
  "spa\u200Bre", // zero-width space
  "spare\u202E", // right-to-left override
  "\u00A0spare\u00A0", // no-break spaces around
  "İnes", // dotted capital I: lower-cases to two code points
  "spa\u0301re", // combining accent
  "sp\u0000are", // NUL
  "spare\n",
  "😀😀😀",
  "\uD800spare", // lone surrogate
  "\u3000spare",
  "spar\u0435", // Cyrillic e
  "a".repeat(65),
  "",
  " ",
];

export const CONTENT_TYPES = [
  "text/plain",
  "text/plain; charset=utf-8",
  "application/x-www-form-urlencoded",
  "multipart/form-data; boundary=x",
  "application/xml",
  "application/json5",
  "application/jsonp",
  "text/json",
  "application/octet-stream",
  "application/vnd.api+json",
  "json",
  "application/ json",
  "",
  "*/*",
];

/** Random bytes as base64url, or text that is not base64url at all. */
export function badBase64(b: Binary): fc.Arbitrary<string> {
  const invalidText = fc.oneof(
    fc
      .string({ minLength: 1, maxLength: 60 })
      .filter((s) => !/^[A-Za-z0-9_-]*$/.test(s) || s.length % 4 === 1),
    fc.constantFrom("AAAA====", "AA==", "+/+/", "A", "Zm9v\n", " AAAA", "AAAA ", "%41%41"),
  );
  let bytes: fc.Arbitrary<string>;
  if ("fixed" in b) {
    bytes = fc
      .uint8Array({ minLength: 0, maxLength: 120 })
      .filter((x) => x.length !== b.fixed || b.anyBytesRefused)
      .map(b64);
  } else if ("struct" in b) {
    bytes = fc.uint8Array({ minLength: 0, maxLength: 600 }).map(b64);
  } else {
    bytes = fc.integer({ min: b.opaque + 1, max: b.opaque + 64 }).map((n) => b64(new Uint8Array(n).fill(7)));
  }
  return fc.oneof(invalidText, bytes);
}

/** Flips 1-4 bits of a structure (anywhere if signed; in the header only if the rest is opaque AEAD). */
export function tamper(b: Extract<Binary, { struct: unknown }>, original: string): fc.Arbitrary<string> {
  const bytes = Buffer.from(original, "base64url");
  const region = b.struct === "signed" ? bytes.length : Math.min(b.struct, bytes.length);
  return fc
    .array(fc.tuple(fc.integer({ min: 0, max: region - 1 }), fc.integer({ min: 0, max: 7 })), {
      minLength: 1,
      maxLength: 4,
    })
    .map((flips) => {
      const out = Buffer.from(bytes);
      for (const [at, bit] of flips) out[at]! ^= 1 << bit;
      return out.toString("base64url");
    })
    .filter((t) => t !== original);
}
