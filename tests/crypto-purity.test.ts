import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";

// packages/crypto must run unchanged in Node and in the browser, with no I/O of its own.
// Biome's noRestrictedImports blocks the obvious packages; this test also catches
// globals (fetch, document, storage) that an import rule cannot see.
const root = join(import.meta.dirname, "..", "packages", "crypto", "src");
const files = readdirSync(root).filter((f) => f.endsWith(".ts"));

const ALLOWED_IMPORT = /^(\.\/[a-z0-9-]+\.js|libsodium-wrappers-sumo|vitest|fast-check)$/;
const GOLDEN_DATA = /^\.\.\/vectors\/[a-z0-9-]+\.json$/;
const FORBIDDEN_GLOBALS = [
  "fetch(",
  "XMLHttpRequest",
  "WebSocket",
  "document.",
  "window.",
  "localStorage",
  "sessionStorage",
  "indexedDB",
  "navigator.",
  "process.",
  "require(",
];

describe("packages/crypto is pure", () => {
  it("has source files to check", () => {
    expect(files.length).toBeGreaterThan(5);
  });

  for (const file of files) {
    it(`${file} imports only its siblings and libsodium`, () => {
      const src = readFileSync(join(root, file), "utf8");
      // Comments may show usage examples; only code counts.
      const code = src.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "");
      const specifiers = [...code.matchAll(/(?:import|export)[^"']*?from\s+["']([^"']+)["']/g)].map(
        (m) => m[1],
      );
      const dynamic = [...code.matchAll(/import\(\s*["']([^"']+)["']\s*\)/g)].map((m) => m[1]);
      for (const s of [...specifiers, ...dynamic]) {
        // Tests may read the committed golden vectors (data, not code).
        if (s !== undefined && file.endsWith(".test.ts") && GOLDEN_DATA.test(s)) continue;
        expect(s, `${file} imports ${s}`).toMatch(ALLOWED_IMPORT);
        if (!file.endsWith(".test.ts"))
          expect(s, `${file} (not a test) imports ${s}`).not.toMatch(/^(vitest|fast-check)$/);
      }
      for (const g of FORBIDDEN_GLOBALS) expect(code.includes(g), `${file} uses ${g}`).toBe(false);
    });
  }
});
