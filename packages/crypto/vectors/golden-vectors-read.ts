import { CryptoError } from "../src/core/errors.js";
import type { Sodium } from "../src/core/sodium.js";
import { type PayloadJson, unhex } from "./golden-vectors-inputs.js";

/**
 * Typed reads from a vector file of unknown shape. The checker gets the file as `unknown` (parsed
 * JSON, possibly tampered with), so every field is looked up by path and checked; a missing or
 * mistyped field is `MALFORMED` naming the path, never a TypeError.
 */
export class VectorFile {
  constructor(
    private readonly sodium: Sodium,
    readonly root: unknown,
  ) {}

  /** The value at a dotted path (`rosters.expected.v1.bytes`, `epoch0.expected.grants.0.bytes`). */
  at(path: string): unknown {
    let value: unknown = this.root;
    for (const part of path.split(".")) {
      if (typeof value !== "object" || value === null || !Object.hasOwn(value, part)) {
        throw new CryptoError("MALFORMED", `golden vectors: ${path} is missing`);
      }
      value = (value as Record<string, unknown>)[part];
    }
    return value;
  }

  text(path: string): string {
    const v = this.at(path);
    if (typeof v !== "string") throw new CryptoError("MALFORMED", `golden vectors: ${path} is not a string`);
    return v;
  }

  int(path: string): number {
    const v = this.at(path);
    if (!Number.isSafeInteger(v))
      throw new CryptoError("MALFORMED", `golden vectors: ${path} is not an integer`);
    return v as number;
  }

  bool(path: string): boolean {
    const v = this.at(path);
    if (typeof v !== "boolean")
      throw new CryptoError("MALFORMED", `golden vectors: ${path} is not a boolean`);
    return v;
  }

  bytes(path: string): Uint8Array {
    try {
      return unhex(this.sodium, this.text(path));
    } catch (cause) {
      throw new CryptoError("MALFORMED", `golden vectors: ${path} is not hex`, { cause });
    }
  }

  list(path: string): unknown[] {
    const v = this.at(path);
    if (!Array.isArray(v)) throw new CryptoError("MALFORMED", `golden vectors: ${path} is not a list`);
    return v;
  }

  /** A payload in the file's JSON form, checked field by field. */
  payload(path: string): PayloadJson {
    return {
      subject: this.text(`${path}.subject`),
      body: this.text(`${path}.body`),
      attachments: this.list(`${path}.attachments`).map((_, i) => {
        const a = `${path}.attachments.${i}`;
        this.bytes(`${a}.hash`);
        this.bytes(`${a}.key`);
        return {
          attachmentId: this.text(`${a}.attachmentId`),
          name: this.text(`${a}.name`),
          mediaType: this.text(`${a}.mediaType`),
          size: this.int(`${a}.size`),
          hash: this.text(`${a}.hash`),
          key: this.text(`${a}.key`),
        };
      }),
    };
  }
}

/** Throws `MALFORMED` with `what` unless the two byte strings are equal (public test data: no timing concern). */
export function expectBytes(sodium: Sodium, what: string, actual: Uint8Array, expected: Uint8Array): void {
  if (sodium.to_hex(actual) !== sodium.to_hex(expected)) {
    throw new CryptoError(
      "MALFORMED",
      `${what}: got ${sodium.to_hex(actual)}, file has ${sodium.to_hex(expected)}`,
    );
  }
}

/** Throws `MALFORMED` with `what` unless the two JSON values are equal. */
export function expectSame(what: string, actual: unknown, expected: unknown): void {
  const diff = firstDifference(actual, expected);
  if (diff !== undefined) throw new CryptoError("MALFORMED", `${what}: ${diff}`);
}

/**
 * Where two JSON values first differ (`undefined` when equal), as `path: a vs b` with long values
 * shortened. Object key order does not matter; array order does.
 */
export function firstDifference(actual: unknown, expected: unknown, path = "$"): string | undefined {
  if (Array.isArray(actual) || Array.isArray(expected)) {
    if (!Array.isArray(actual) || !Array.isArray(expected))
      return `${path}: ${show(actual)} vs ${show(expected)}`;
    if (actual.length !== expected.length) {
      return `${path}: ${actual.length} items vs ${expected.length} in the file`;
    }
    for (let i = 0; i < actual.length; i++) {
      const d = firstDifference(actual[i], expected[i], `${path}[${i}]`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (isObject(actual) && isObject(expected)) {
    const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
    for (const key of [...keys].sort()) {
      if (!Object.hasOwn(actual, key)) return `${path}.${key}: not rebuilt but in the file`;
      if (!Object.hasOwn(expected, key)) return `${path}.${key}: rebuilt but missing from the file`;
      const d = firstDifference(actual[key], expected[key], `${path}.${key}`);
      if (d !== undefined) return d;
    }
    return undefined;
  }
  if (Object.is(actual, expected)) return undefined;
  if (typeof actual === "string" && typeof expected === "string" && actual.length + expected.length > 80) {
    // Long hex: say where, with a little context, rather than two identical-looking prefixes.
    let at = 0;
    while (actual[at] === expected[at]) at++;
    const around = (s: string) => JSON.stringify(s.slice(Math.max(0, at - 8), at + 8));
    return `${path}: differs at character ${at}: ${around(actual)} vs ${around(expected)} in the file`;
  }
  return `${path}: ${show(actual)} vs ${show(expected)} in the file`;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function show(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v);
  return s.length > 40 ? `${s.slice(0, 37)}...` : s;
}
