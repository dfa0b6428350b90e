// Installs the npm packages on a fresh checkout, so `npm start` and `npm test` are each one command.
// Plain Node (no dependencies): it runs before anything is installed.
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { join } from "node:path";

export function ensureDeps(root) {
  const marker = join(root, "node_modules", ".package-lock.json");
  if (existsSync(marker)) return;
  console.log("Briefgeheim: installing npm packages (first run)...");
  const r = spawnSync("npm", ["install", "--no-audit", "--no-fund"], { cwd: root, stdio: "inherit" });
  if (r.status !== 0) process.exit(r.status ?? 1);
}
