/**
 * Vite build of the staff app (apps/staff/dist, served by the API at `/staff/`). The same build-time
 * settings as the help-seeker app (apps/seeker/vite.config.ts), read when `vite build` runs, never at
 * run time, so the server cannot change what the app trusts:
 * - BRIEFGEHEIM_PINS_FILE: JSON file of pinned helpline roots, `{ "<helplineId>": "<fingerprint or root key>" }`
 *   (default: config/pins.json at the repository root; a missing file means "no pins").
 * - BRIEFGEHEIM_TRUST_ON_FIRST_USE=1: development and tests only; an unpinned helpline becomes usable,
 *   with a warning and its fingerprint on every screen, instead of refused.
 * - BRIEFGEHEIM_OUT_DIR: output folder (default apps/staff/dist; tests build elsewhere).
 * - BRIEFGEHEIM_PRECOMPRESS=0: skip writing .gz/.br beside the files (test builds, to save time).
 * See docs/STAFF.md.
 */
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";
import { defineConfig, type Plugin } from "vite";
import solid from "vite-plugin-solid";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");

/** Reads the operator's pins: `{ helplineId: fingerprint-or-key }`; absent file = no pins. */
function readPins(): Record<string, string> {
  const file = process.env.BRIEFGEHEIM_PINS_FILE || join(repoRoot, "config", "pins.json");
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected an object { "<helplineId>": "<fingerprint or root key>" }`);
  }
  const pins: Record<string, string> = {};
  for (const [id, pin] of Object.entries(parsed)) {
    if (id.startsWith("$")) continue; // "$comment" and the like
    if (!/^[A-Za-z0-9_-]{22}$/.test(id) || typeof pin !== "string" || pin.trim() === "") {
      throw new Error(`${file}: "${id}" is not a helpline id with a fingerprint or root key`);
    }
    pins[id] = pin;
  }
  return pins;
}

/** Writes .gz and .br next to every JS, CSS and HTML file, for serveStatic's `precompressed`. */
function precompress(): Plugin {
  return {
    name: "briefgeheim-precompress",
    apply: "build",
    writeBundle(options) {
      const dir = options.dir;
      if (dir === undefined) return;
      const walk = (d: string): string[] =>
        readdirSync(d).flatMap((f) => {
          const p = join(d, f);
          return statSync(p).isDirectory() ? walk(p) : [p];
        });
      for (const file of walk(dir)) {
        if (!/\.(js|css|html|txt)$/.test(file)) continue;
        const data = readFileSync(file);
        writeFileSync(`${file}.gz`, gzipSync(data, { level: 9 }));
        writeFileSync(
          `${file}.br`,
          brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }),
        );
      }
    },
  };
}

export default defineConfig({
  root: here,
  base: "/staff/",
  plugins: [solid(), ...(process.env.BRIEFGEHEIM_PRECOMPRESS === "0" ? [] : [precompress()])],
  define: {
    __BRIEFGEHEIM_STAFF_CONFIG__: JSON.stringify({
      pins: readPins(),
      trustOnFirstUse: process.env.BRIEFGEHEIM_TRUST_ON_FIRST_USE === "1",
    }),
  },
  build: {
    outDir: process.env.BRIEFGEHEIM_OUT_DIR || join(here, "dist"),
    emptyOutDir: true,
    target: "es2022",
    sourcemap: false,
    modulePreload: { polyfill: false },
    // The lazy libsodium chunk is big by nature (wasm inside JS); the entry stays small.
    chunkSizeWarningLimit: 1024,
    reportCompressedSize: false,
  },
  server: { port: 5174, strictPort: false },
});
