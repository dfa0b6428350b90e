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
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";
import { releaseManifest } from "../../scripts/release-manifest.js";
import { precompress, readPins } from "../../scripts/vite-shared.js";
import { subresourceIntegrity } from "../../scripts/vite-sri.js";

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, "../..");

// Compiled into the JavaScript, and recorded in dist/release-manifest.json so that anyone can rebuild it.
const buildSettings = {
  pins: readPins(repoRoot),
  trustOnFirstUse: process.env.BRIEFGEHEIM_TRUST_ON_FIRST_USE === "1",
};

export default defineConfig({
  root: here,
  base: "/staff/",
  plugins: [
    solid(),
    ...subresourceIntegrity(),
    releaseManifest({ app: "staff", packageJson: join(here, "package.json"), build: buildSettings }),
    ...(process.env.BRIEFGEHEIM_PRECOMPRESS === "0" ? [] : [precompress()]),
  ],
  define: {
    __BRIEFGEHEIM_STAFF_CONFIG__: JSON.stringify(buildSettings),
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
