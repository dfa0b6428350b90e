/**
 * The release manifest: every file a build of an app serves, with its size, SHA-256 and SRI value,
 * plus the app, its version and the build settings that go into the bytes (the pins and flags of
 * the Vite config). Written by the build as `dist/release-manifest.json`, served by the API at
 * `/release-manifest.json` (help-seeker app) and `/staff/release-manifest.json` (staff app), and
 * printed by `npm run release-manifest`. It holds no time and no machine path, so two builds of the
 * same source with the same settings write the same manifest, byte for byte.
 *
 * The `.br` / `.gz` siblings are left out: they are the same content compressed (the reproducibility
 * check and the watchdog decode them and compare with the plain file), and compressed bytes can
 * differ between zlib versions without any change to what the browser runs.
 *
 * Run directly (`node --import tsx scripts/release-manifest.ts [--dist DIR]...`): prints the
 * manifests of the built apps and the SHA-256 of each manifest file (what a release announcement
 * publishes).
 */
import { createHash } from "node:crypto";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { join, relative, resolve, sep } from "node:path";
import { fileURLToPath } from "node:url";
import type { Plugin } from "vite";
import { integrityOf } from "./vite-sri.js";

export const MANIFEST_FILE = "release-manifest.json";

export interface ManifestFile {
  readonly bytes: number;
  /** Hex SHA-256 of the file, as `sha256sum` prints it. */
  readonly sha256: string;
  /** The `integrity` value (sha384, base64) the HTML gives the browser. */
  readonly integrity: string;
}

export interface ReleaseManifest {
  readonly format: 1;
  readonly app: string;
  readonly package: string;
  readonly version: string;
  /** Where the app is served (`/` or `/staff/`). */
  readonly base: string;
  /** The build-time settings that are compiled into the JavaScript (pins, flags). */
  readonly build: Readonly<Record<string, unknown>>;
  /** Path relative to the app's folder (forward slashes) -> hashes; sorted by path. */
  readonly files: Readonly<Record<string, ManifestFile>>;
}

/** True for files the manifest and the comparisons leave out (compressed siblings, the manifest). */
export function isDerivedFile(path: string): boolean {
  return /\.(br|gz)$/.test(path) || path === MANIFEST_FILE;
}

/** Every file under `dir`, as sorted forward-slash paths relative to it. */
export function listFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.push(relative(dir, p).split(sep).join("/"));
    }
  };
  walk(dir);
  return out.sort();
}

export function describeFile(data: Uint8Array): ManifestFile {
  return {
    bytes: data.length,
    sha256: createHash("sha256").update(data).digest("hex"),
    integrity: integrityOf(data),
  };
}

/** The manifest of a built app folder (every file but the derived ones). */
export function manifestOf(dir: string, meta: Omit<ReleaseManifest, "files" | "format">): ReleaseManifest {
  const files: Record<string, ManifestFile> = {};
  for (const path of listFiles(dir)) {
    if (!isDerivedFile(path)) files[path] = describeFile(readFileSync(join(dir, path)));
  }
  return { format: 1, ...meta, files };
}

/** The bytes of a manifest file: stable key order, two-space indent, final newline. */
export function serializeManifest(m: ReleaseManifest): string {
  return `${JSON.stringify(m, null, 2)}\n`;
}

/**
 * The Vite plugin: writes `release-manifest.json` into the output folder after the files are written
 * (put it after the SRI plugin; the precompress plugin may come before or after).
 */
export function releaseManifest(options: {
  app: string;
  packageJson: string;
  build: Readonly<Record<string, unknown>>;
}): Plugin {
  let base = "/";
  return {
    name: "briefgeheim-release-manifest",
    apply: "build",
    enforce: "post",
    configResolved(config) {
      base = config.base;
    },
    writeBundle(output) {
      if (output.dir === undefined) return;
      const pkg = JSON.parse(readFileSync(options.packageJson, "utf8")) as { name: string; version: string };
      const m = manifestOf(output.dir, {
        app: options.app,
        package: pkg.name,
        version: pkg.version,
        base,
        build: options.build,
      });
      writeFileSync(join(output.dir, MANIFEST_FILE), serializeManifest(m));
    },
  };
}

function main(argv: readonly string[]): number {
  const root = resolve(fileURLToPath(import.meta.url), "../..");
  const dists: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === "--dist" && argv[i + 1] !== undefined) dists.push(resolve(argv[++i] as string));
    else {
      console.error("usage: npm run release-manifest [-- --dist <built app folder>]...");
      return 2;
    }
  }
  if (dists.length === 0)
    dists.push(join(root, "apps", "seeker", "dist"), join(root, "apps", "staff", "dist"));
  for (const dir of dists) {
    const file = join(dir, MANIFEST_FILE);
    if (!existsSync(file)) {
      console.error(`no ${MANIFEST_FILE} in ${dir}: run \`npm run build\` first`);
      return 2;
    }
    const data = readFileSync(file);
    const m = JSON.parse(data.toString("utf8")) as ReleaseManifest;
    console.log(`# ${m.app} ${m.version}, served at ${m.base}${MANIFEST_FILE}`);
    console.log(`# sha256 of this manifest: ${createHash("sha256").update(data).digest("hex")}`);
    console.log(data.toString("utf8"));
  }
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  process.exit(main(process.argv.slice(2)));
}
