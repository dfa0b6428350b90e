// `npm run measure:bundle`: sizes of the built help-seeker app (apps/seeker/dist; `npm run build` first).
// The entry is what the first screen loads (index.html's module script, its CSS and static imports);
// the total is every JS and CSS file of the build (the lazy SDK chunk with libsodium included).
// Sizes are gzip level 9 (and brotli 11 for reference). Targets: entry <= 40 KB, total <= 240 KB gzip.
// Options: --dist <folder>, --json (machine-readable), --check (exit 1 when a target is missed).
import { existsSync, readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { brotliCompressSync, constants, gzipSync } from "node:zlib";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const args = process.argv.slice(2);
const distArg = args.indexOf("--dist");
const dist = distArg >= 0 ? args[distArg + 1] : join(root, "apps", "seeker", "dist");
const KB = 1024;
const TARGET = { entry: 40 * KB, total: 240 * KB };

if (!existsSync(join(dist, "index.html"))) {
  console.error(`no build in ${dist}: run \`npm run build\` first`);
  process.exit(2);
}

const walk = (dir) =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : [path];
  });

function sizes(file) {
  const data = readFileSync(file);
  return {
    raw: data.length,
    gzip: gzipSync(data, { level: 9 }).length,
    brotli: brotliCompressSync(data, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
}

const html = readFileSync(join(dist, "index.html"), "utf8");
// What index.html makes the browser fetch before the first paint: module scripts, preloads, styles.
const entryRefs = [
  ...html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g),
  ...html.matchAll(/<link[^>]*rel="stylesheet"[^>]*href="([^"]+)"/g),
].map((m) => join(dist, m[1].replace(/^\//, "")));

const assets = walk(dist).filter((f) => /\.(js|css)$/.test(f));
const rows = assets
  .map((file) => ({ file: file.slice(dist.length + 1), entry: entryRefs.includes(file), ...sizes(file) }))
  .sort((a, b) => Number(b.entry) - Number(a.entry) || b.gzip - a.gzip);
const sum = (list, key) => list.reduce((n, r) => n + r[key], 0);
const entry = rows.filter((r) => r.entry);
const result = {
  entry: { raw: sum(entry, "raw"), gzip: sum(entry, "gzip"), brotli: sum(entry, "brotli") },
  total: { raw: sum(rows, "raw"), gzip: sum(rows, "gzip"), brotli: sum(rows, "brotli") },
  html: sizes(join(dist, "index.html")),
  files: rows,
  targets: { entryGzip: TARGET.entry, totalGzip: TARGET.total },
};
result.ok = result.entry.gzip <= TARGET.entry && result.total.gzip <= TARGET.total;

if (args.includes("--json")) {
  console.log(JSON.stringify(result, null, 2));
} else {
  const kb = (n) => `${(n / KB).toFixed(1)} KB`;
  const pad = (s, n) => String(s).padEnd(n);
  const lpad = (s, n) => String(s).padStart(n);
  console.log(`Help-seeker app bundle (${dist})\n`);
  console.log(
    `| ${pad("file", 34)} | ${pad("loaded", 8)} | ${lpad("raw", 10)} | ${lpad("gzip", 10)} | ${lpad("brotli", 10)} |`,
  );
  console.log(
    `| ${"-".repeat(34)} | ${"-".repeat(8)} | ${"-".repeat(9)}: | ${"-".repeat(9)}: | ${"-".repeat(9)}: |`,
  );
  for (const r of rows) {
    console.log(
      `| ${pad(r.file, 34)} | ${pad(r.entry ? "first" : "lazy", 8)} | ${lpad(kb(r.raw), 10)} | ${lpad(kb(r.gzip), 10)} | ${lpad(kb(r.brotli), 10)} |`,
    );
  }
  const mark = (n, t) => (n <= t ? `within ${kb(t)}` : `OVER the ${kb(t)} target`);
  console.log(
    `\nentry (first screen): ${kb(result.entry.gzip)} gzip, ${kb(result.entry.brotli)} brotli — ${mark(result.entry.gzip, TARGET.entry)}`,
  );
  console.log(
    `total (all JS + CSS): ${kb(result.total.gzip)} gzip, ${kb(result.total.brotli)} brotli — ${mark(result.total.gzip, TARGET.total)}`,
  );
  console.log(`index.html: ${result.html.raw} bytes`);
}
if (args.includes("--check") && !result.ok) process.exit(1);
