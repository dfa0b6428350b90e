/**
 * Reproducible builds: two clean builds of both apps must give the same bytes.
 *
 *   npm run check:reproducible                  two clean builds into two temporary folders, every
 *                                               file compared byte for byte (.br/.gz included)
 *   node --import tsx scripts/check-reproducible.ts --against-dist
 *                                               what `npm test` runs right after `npm run build`: one
 *                                               more build into a temporary folder, compared with
 *                                               apps/*\/dist (which is left as it is)
 *
 * The second build differs from the first in what should not matter: it runs from the repository
 * root instead of the app's folder, in another time zone and locale, into another folder. Both are
 * also searched for this checkout's absolute path and the output folder's, which would differ on
 * every other machine. In `--against-dist` the extra build skips the .br/.gz siblings (brotli 11 is
 * most of a build's time); instead every sibling in apps/*\/dist must decode to exactly its plain
 * file, so what a browser gets compressed is what was compared.
 *
 * Exit status 1 with the list of differing files, 0 when identical.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliDecompressSync, gunzipSync } from "node:zlib";
import { APPS, type AppName, buildApps, REPO_ROOT } from "./build-apps.js";
import { listFiles } from "./release-manifest.js";

/** What must not matter, set on the second build. */
const OTHER_ENVIRONMENT: NodeJS.ProcessEnv = { TZ: "Pacific/Chatham", LANG: "C", LC_ALL: "C" };

export interface Difference {
  readonly path: string;
  readonly reason: string;
}

/** Compares two folders file by file; `skip` leaves paths out of both. */
export function compareFolders(
  a: string,
  b: string,
  skip: (path: string) => boolean = () => false,
): Difference[] {
  const left = listFiles(a).filter((p) => !skip(p));
  const right = new Set(listFiles(b).filter((p) => !skip(p)));
  const out: Difference[] = [];
  for (const path of left) {
    if (!right.has(path)) out.push({ path, reason: "only in the first build" });
    else if (!readFileSync(join(a, path)).equals(readFileSync(join(b, path))))
      out.push({ path, reason: "differs" });
    right.delete(path);
  }
  for (const path of right) out.push({ path, reason: "only in the second build" });
  return out;
}

/** Every .br/.gz in `dir` must decode to its plain sibling. */
export function checkCompressedSiblings(dir: string): Difference[] {
  const out: Difference[] = [];
  for (const path of listFiles(dir)) {
    const m = /^(.*)\.(br|gz)$/.exec(path);
    if (m === null) continue;
    const plain = readFileSync(join(dir, m[1] as string));
    const packed = readFileSync(join(dir, path));
    const decoded = m[2] === "br" ? brotliDecompressSync(packed) : gunzipSync(packed);
    if (!decoded.equals(plain)) out.push({ path, reason: `does not decode to ${m[1]}` });
  }
  return out;
}

/** Machine-specific strings (absolute paths) in the built text files. */
export function findLeaks(dir: string, needles: readonly string[]): Difference[] {
  const out: Difference[] = [];
  for (const path of listFiles(dir)) {
    if (!/\.(js|css|html|json)$/.test(path)) continue;
    const text = readFileSync(join(dir, path), "utf8");
    for (const needle of needles) {
      if (needle.length > 1 && text.includes(needle))
        out.push({ path, reason: `contains the path ${needle}` });
    }
  }
  return out;
}

async function main(argv: readonly string[]): Promise<number> {
  const againstDist = argv.includes("--against-dist");
  const unknown = argv.filter((a) => a !== "--against-dist");
  if (unknown.length > 0) {
    console.error("usage: npm run check:reproducible [-- --against-dist]");
    return 2;
  }
  const work = mkdtempSync(join(tmpdir(), "bg-repro-"));
  const problems: Difference[] = [];
  const started = Date.now();
  try {
    let first: Record<AppName, string>;
    if (againstDist) {
      first = {
        seeker: join(REPO_ROOT, "apps", "seeker", "dist"),
        staff: join(REPO_ROOT, "apps", "staff", "dist"),
      };
    } else {
      first = await buildApps(join(work, "a"), { precompress: true });
    }
    const second = await buildApps(join(work, "b"), {
      precompress: !againstDist,
      env: OTHER_ENVIRONMENT,
      fromRepoRoot: true,
    });
    for (const { name } of APPS) {
      const skip = againstDist ? (p: string) => /\.(br|gz)$/.test(p) : undefined;
      const tag = (d: Difference): Difference => ({ path: `${name}/${d.path}`, reason: d.reason });
      problems.push(...compareFolders(first[name], second[name], skip).map(tag));
      if (againstDist) problems.push(...checkCompressedSiblings(first[name]).map(tag));
      const needles = [REPO_ROOT, work, first[name], second[name]];
      problems.push(
        ...findLeaks(first[name], needles).map(tag),
        ...findLeaks(second[name], needles).map(tag),
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const seconds = ((Date.now() - started) / 1000).toFixed(1);
  if (problems.length > 0) {
    console.error(`The app builds are not reproducible (${seconds} s):`);
    for (const p of problems) console.error(`  ${p.path}: ${p.reason}`);
    return 1;
  }
  const what = againstDist ? "a second build matches apps/*/dist" : "two clean builds are identical";
  console.log(`Reproducible: ${what}, byte for byte (${seconds} s).`);
  return 0;
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(1);
    },
  );
}
