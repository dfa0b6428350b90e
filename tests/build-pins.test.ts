/**
 * config/pins.json as the app builds read it (scripts/vite-shared.ts): the plain-string pin of a root,
 * and the object form with the minimum roster head the build is made with (PROTOCOL.md §3).
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { readPins } from "../scripts/vite-shared.js";

const dir = mkdtempSync(join(tmpdir(), "pins-"));
const id = "q1w2e3r4t5y6u7i8o9p0aA";
const hash = "A".repeat(43);

function pinsFrom(json: unknown): ReturnType<typeof readPins> {
  const file = join(dir, "pins.json");
  writeFileSync(file, JSON.stringify(json));
  process.env.BRIEFGEHEIM_PINS_FILE = file;
  return readPins(dir);
}

afterEach(() => {
  delete process.env.BRIEFGEHEIM_PINS_FILE;
});

describe("build pins", () => {
  it("keeps the plain string form and reads the object form with a roster head", () => {
    expect(pinsFrom({ $comment: "x", [id]: "7K2M QX9R" })).toEqual({ [id]: "7K2M QX9R" });
    const pin = { root: "7K2M QX9R", roster: { version: 4, hash } };
    expect(pinsFrom({ [id]: pin })).toEqual({ [id]: pin });
    expect(pinsFrom({ [id]: { ...pin, slug: "luisterlijn" } })).toEqual({
      [id]: { ...pin, slug: "luisterlijn" },
    });
    expect(() => pinsFrom({ [id]: { ...pin, slug: "Niet Goed" } })).toThrow(/slug must be/);
  });

  it("refuses a roster head that is not a version and a 32-byte base64url hash", () => {
    for (const roster of [
      undefined,
      { version: 0, hash },
      { version: 2.5, hash },
      { version: 3, hash: "abc" },
    ]) {
      expect(() => pinsFrom({ [id]: { root: "7K2M QX9R", roster } })).toThrow(/roster must be/);
    }
    expect(() => pinsFrom({ [id]: { roster: { version: 3, hash } } })).toThrow(/not a helpline id/);
  });
});
