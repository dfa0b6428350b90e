// `npm test`: the whole suite. Installs packages on a fresh checkout, then lint, typecheck, the build of
// both apps (the browser tests serve them), the reproducibility check (one more build into a temporary
// folder, compared byte for byte with apps/*/dist: scripts/check-reproducible.ts) and vitest (with the
// API's database tests once more through @libsql/client: the `libsql-client` project of vitest.config.ts).
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { ensureDeps } from "./ensure-deps.mjs";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
ensureDeps(root);
for (const script of ["lint", "typecheck", "build"]) {
  const r = spawnSync("npm", ["run", "--silent", script], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
const repro = spawnSync(
  process.execPath,
  ["--import", "tsx", "scripts/check-reproducible.ts", "--against-dist"],
  { cwd: root, stdio: "inherit" },
);
if (repro.status !== 0) process.exit(repro.status ?? 1);
// Both database drivers: the `libsql-client` project of vitest.config.ts runs with this set.
const r = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], {
  cwd: root,
  stdio: "inherit",
  env: { ...process.env, BRIEFGEHEIM_ALL_DRIVERS: "1" },
});
process.exit(r.status ?? 1);
