/**
 * Builds the help-seeker app for the browser tests, the way an operator does: `vite build` in a child
 * process (NODE_ENV=production, away from vitest's own Vite), with a pins file and build flags in the
 * environment. A pinned build per test world: the helpline's root is created at run time, and a
 * build that pins it is exactly what a deployment ships.
 */
import { execFile } from "node:child_process";
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import { promisify } from "node:util";
import { ROOT_DIR } from "../../support/api-world.js";

const run = promisify(execFile);
export const SEEKER_DIR = join(ROOT_DIR, "apps", "seeker");
export const SEEKER_DIST = join(SEEKER_DIR, "dist");
const VITE = join(ROOT_DIR, "node_modules", "vite", "bin", "vite.js");

export interface SeekerBuildOptions {
  /** Helpline id -> fingerprint. */
  readonly pins?: Readonly<Record<string, string>>;
  readonly trustOnFirstUse?: boolean;
  readonly exitUrl?: string;
  /** Default: a new temporary folder. */
  readonly outDir?: string;
}

/** Runs `vite build` for apps/seeker and returns the output folder (remove it with `removeBuild`). */
export async function buildSeeker(options: SeekerBuildOptions = {}): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "bg-seeker-build-"));
  const outDir = options.outDir ?? join(work, "dist");
  const pinsFile = join(work, "pins.json");
  writeFileSync(pinsFile, JSON.stringify(options.pins ?? {}));
  await run(process.execPath, [VITE, "build", "--logLevel", "warn"], {
    cwd: SEEKER_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      BRIEFGEHEIM_PINS_FILE: pinsFile,
      BRIEFGEHEIM_TRUST_ON_FIRST_USE: options.trustOnFirstUse ? "1" : "",
      BRIEFGEHEIM_EXIT_URL: options.exitUrl ?? "",
      BRIEFGEHEIM_OUT_DIR: outDir,
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  return outDir;
}

/**
 * Removes a folder made by `buildSeeker` or `buildStaff` (and its temporary parent with the pins
 * file); a folder given as `outDir` goes alone.
 */
export function removeBuild(outDir: string): void {
  const parent = dirname(outDir);
  const ours = /^bg-(seeker|staff)-build-/.test(basename(parent));
  rmSync(ours ? parent : outDir, { recursive: true, force: true });
}

function newestMtime(dir: string): number {
  let newest = 0;
  for (const name of readdirSync(dir)) {
    if (name === "node_modules" || name === "dist") continue;
    const path = join(dir, name);
    const s = statSync(path);
    newest = Math.max(newest, s.isDirectory() ? newestMtime(path) : s.mtimeMs);
  }
  return newest;
}

/** True when the build in `dist` trusts unpinned helplines on first use (a demo build of `npm start`). */
function isDemoBuild(dist: string): boolean {
  const assets = join(dist, "assets");
  // Only the entry chunk holds the build's settings: the SDK chunk passes `trustOnFirstUse: true` to
  // resolveRoot itself (to show a fingerprint), which minifies to the same text in every build.
  return readdirSync(assets).some(
    (f) =>
      f.startsWith("index-") &&
      f.endsWith(".js") &&
      readFileSync(join(assets, f), "utf8").includes("trustOnFirstUse:!0"),
  );
}

/**
 * The production build (`npm run build`, which `npm test` runs first). Rebuilt here only when it is
 * missing, older than the sources (a direct `npx vitest run tests/browser`), or a demo build.
 */
export async function ensureProductionBuild(): Promise<string> {
  const index = join(SEEKER_DIST, "index.html");
  const sources = Math.max(
    newestMtime(SEEKER_DIR),
    newestMtime(join(ROOT_DIR, "packages", "client", "src")),
    newestMtime(join(ROOT_DIR, "packages", "crypto", "src")),
  );
  if (!existsSync(index) || statSync(index).mtimeMs < sources || isDemoBuild(SEEKER_DIST)) {
    const env: NodeJS.ProcessEnv = { ...process.env, NODE_ENV: "production" };
    delete env.BRIEFGEHEIM_TRUST_ON_FIRST_USE;
    await run("npm", ["run", "--silent", "build"], { cwd: ROOT_DIR, env, maxBuffer: 16 * 1024 * 1024 });
  }
  return SEEKER_DIST;
}
