// `npm test`: the whole suite. Installs packages on a fresh checkout, then lint, typecheck, the build of
// the help-seeker app (the browser tests serve it) and vitest.
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
const r = spawnSync("npx", ["vitest", "run", ...process.argv.slice(2)], { cwd: root, stdio: "inherit" });
process.exit(r.status ?? 1);
