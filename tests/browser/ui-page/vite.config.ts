/** The test-only page of packages/ui (tests/browser/ui-components.test.ts); never shipped. */
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";
import solid from "vite-plugin-solid";

export default defineConfig({
  root: dirname(fileURLToPath(import.meta.url)),
  base: "/",
  plugins: [solid()],
  build: { target: "es2022", modulePreload: { polyfill: false }, reportCompressedSize: false },
});
