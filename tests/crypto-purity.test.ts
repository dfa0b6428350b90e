import { readdirSync, readFileSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { describe, expect, it } from "vitest";

// packages/crypto must run unchanged in Node and in the browser, with no I/O of its own.
// Biome's noRestrictedImports blocks the obvious packages; this test also catches
// globals (fetch, document, storage) that an import rule cannot see.
// The protocol (src/), its golden-vector builders (vectors/) and its test fixtures (test-support/).
const root = join(import.meta.dirname, "..", "packages", "crypto");
const files = ["src", "vectors", "test-support"].flatMap((dir) =>
  (readdirSync(join(root, dir), { recursive: true }) as string[])
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f)),
);

const ALLOWED_IMPORT =
  /^((\.{1,2}\/)+([a-z0-9-]+\/)*[a-z0-9-]+\.js|libsodium-wrappers-sumo|vitest|fast-check)$/;
const GOLDEN_DATA = /^(\.{1,2}\/)+vectors\/[a-z0-9-]+\.json$/;
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
        if (s?.startsWith(".")) {
          // A relative import must stay inside packages/crypto.
          const target = relative(root, resolve(dirname(join(root, file)), s));
          expect(target.startsWith(".."), `${file} imports ${s} from outside packages/crypto`).toBe(false);
        }
        if (!file.endsWith(".test.ts"))
          expect(s, `${file} (not a test) imports ${s}`).not.toMatch(/^(vitest|fast-check)$/);
      }
      for (const g of FORBIDDEN_GLOBALS) expect(code.includes(g), `${file} uses ${g}`).toBe(false);
    });
  }
});
