/**
 * Builds the browser apps into a folder of one's choice, the way `npm run build` does (the same Vite
 * configs, the same environment: pins file and flags), for the reproducibility check and the
 * deployment watchdog. `apps/*\/dist` is never touched.
 */
import { execFile } from "node:child_process";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

const run = promisify(execFile);

export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The apps and where the API serves them. */
export const APPS = [
  { name: "seeker", prefix: "/" },
  { name: "staff", prefix: "/staff/" },
] as const;
export type AppName = (typeof APPS)[number]["name"];

export interface BuildOptions {
  /** Write .br/.gz beside the files (what `npm run build` does); off saves most of the time. */
  readonly precompress: boolean;
  /** Extra environment (it wins over process.env). */
  readonly env?: NodeJS.ProcessEnv;
  /** Run Vite from the repository root instead of the app's folder (catches cwd-dependent output). */
  readonly fromRepoRoot?: boolean;
}

/** `vite build` of one app into `outDir` (emptied first by Vite). */
export async function buildApp(app: AppName, outDir: string, options: BuildOptions): Promise<void> {
  const appDir = join(REPO_ROOT, "apps", app);
  const vite = join(REPO_ROOT, "node_modules", "vite", "bin", "vite.js");
  const args = options.fromRepoRoot
    ? [vite, "build", join("apps", app), "--logLevel", "warn"]
    : [vite, "build", "--logLevel", "warn"];
  await run(process.execPath, args, {
    cwd: options.fromRepoRoot ? REPO_ROOT : appDir,
    env: {
      ...process.env,
      ...options.env,
      BRIEFGEHEIM_OUT_DIR: outDir,
      BRIEFGEHEIM_PRECOMPRESS: options.precompress ? "1" : "0",
    },
    maxBuffer: 16 * 1024 * 1024,
  });
}

/** Both apps into `<outRoot>/seeker` and `<outRoot>/staff`, side by side (two cores). */
export async function buildApps(outRoot: string, options: BuildOptions): Promise<Record<AppName, string>> {
  const dirs = { seeker: join(outRoot, "seeker"), staff: join(outRoot, "staff") };
  await Promise.all(APPS.map((a) => buildApp(a.name, dirs[a.name], options)));
  return dirs;
}
