import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// The SDK runs unchanged in Node 20 and in browsers: no DOM, no storage, no Node built-ins, and no
// libsodium of its own (only @briefgeheim/crypto calls it). Test files may use Node.
const files = readdirSync(import.meta.dirname).filter((f) => f.endsWith(".ts") && !f.endsWith(".test.ts"));

const ALLOWED_IMPORT = /^(\.\/[a-z0-9-]+\.js|@briefgeheim\/(crypto|protocol|api)|hono\/client)$/;
const FORBIDDEN = [
  "document.",
  "window.",
  "localStorage",
  "sessionStorage",
  "indexedDB",
  "navigator.",
  "process.",
  "require(",
  "Buffer.",
  "XMLHttpRequest",
];

describe("packages/client is portable", () => {
  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(10);
  });

  for (const file of files) {
    it(`${file} imports only the SDK, our packages and hono/client, and uses no DOM or Node globals`, () => {
      const text = readFileSync(join(import.meta.dirname, file), "utf8");
      const imports = [...text.matchAll(/^(?:import|export)[^;]*?from\s+"([^"]+)"/gms)].map((m) => m[1]!);
      expect(imports.filter((i) => !ALLOWED_IMPORT.test(i))).toEqual([]);
      const code = text.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, "");
      expect(FORBIDDEN.filter((g) => code.includes(g))).toEqual([]);
    });
  }

  it("imports @briefgeheim/api for its types only", () => {
    for (const file of files) {
      const text = readFileSync(join(import.meta.dirname, file), "utf8");
      for (const m of text.matchAll(/^import (type )?[^;]*?from\s+"@briefgeheim\/api"/gms)) {
        expect(m[1], file).toBe("type ");
      }
    }
  });
});
