/**
 * Vite build of the help-seeker app (apps/seeker/dist, served by the API at `/`).
 *
 * Build-time settings (environment variables, read when `vite build` runs):
 * - BRIEFGEHEIM_PINS_FILE: JSON file of pinned helpline roots, `{ "<helplineId>": "<fingerprint or root key>" }`
 *   (default: config/pins.json at the repository root; a missing file means "no pins").
 * - BRIEFGEHEIM_TRUST_ON_FIRST_USE=1: demos and development only; an unpinned helpline becomes usable
 *   (with a visible warning and its fingerprint) instead of refused.
 * - BRIEFGEHEIM_EXIT_URL: where the quick exit goes (default https://www.buienradar.nl/).
 * - BRIEFGEHEIM_OUT_DIR: output folder (default apps/seeker/dist; tests build elsewhere).
 * - BRIEFGEHEIM_PRECOMPRESS=0: skip writing .gz/.br beside the files (test builds, to save time).
 * See docs/SEEKER.md.
 */
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { releaseManifest } from "../../scripts/release-manifest.js";
import { precompress, readPins } from "../../scripts/vite-shared.js";
import { subresourceIntegrity } from "../../scripts/vite-sri.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");

const DEFAULT_EXIT_URL = "https://www.buienradar.nl/";

function exitUrl(): string {
  const url = process.env.BRIEFGEHEIM_EXIT_URL || DEFAULT_EXIT_URL;
  const parsed = new URL(url); // throws on nonsense
  if (parsed.protocol !== "https:" && parsed.protocol !== "http:") {
    throw new Error("BRIEFGEHEIM_EXIT_URL must be an http(s) address");
  }
  return parsed.href;
}

// Compiled into the JavaScript, and recorded in dist/release-manifest.json so that anyone can rebuild it.
const buildSettings = {
  pins: readPins(repoRoot),
  trustOnFirstUse: process.env.BRIEFGEHEIM_TRUST_ON_FIRST_USE === "1",
  exitUrl: exitUrl(),
};

export default defineConfig({
  root: here,
  base: "/",
  plugins: [
    solid(),
    ...subresourceIntegrity(),
    releaseManifest({ app: "seeker", packageJson: join(here, "package.json"), build: buildSettings }),
    ...(process.env.BRIEFGEHEIM_PRECOMPRESS === "0" ? [] : [precompress()]),
  ],
  define: {
    __BRIEFGEHEIM_BUILD__: JSON.stringify(buildSettings),
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
  server: { port: 5173, strictPort: false },
});
