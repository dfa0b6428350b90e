/**
 * The deployment watchdog: does a running deployment serve exactly the JavaScript of a local,
 * reproducible build?
 *
 *   npm run verify-deployment -- --url https://hulp.example.nl
 *   npm run verify-deployment -- --url https://hulp.example.nl --local <folder with seeker/ and staff/>
 *
 * Without `--local` it first builds both apps into a temporary folder from this checkout, with the
 * same pins file and flags as `npm run build` (BRIEFGEHEIM_PINS_FILE, BRIEFGEHEIM_TRUST_ON_FIRST_USE,
 * BRIEFGEHEIM_EXIT_URL): check out the released version first. Then, for each app (`/` and
 * `/staff/`), it fetches:
 *
 * - the page a browser gets (`/`, `/staff/`) and `index.html`;
 * - `release-manifest.json`, and every file it names;
 * - every script, stylesheet and modulepreload the served page references, and every file listed in
 *   its SRI meta tag (what the app may load later);
 * - every file of the local build;
 *
 * each as plain, gzip and brotli (a server could send different bytes to browsers that accept
 * compression), and compares the decoded bytes with the local build. It also checks that the page
 * comes with the strict Content-Security-Policy (the staff app's with `worker-src blob:`). Any
 * difference is listed by path, and the exit status is 1; 0 means every byte matched. This shows what
 * the deployment served to this watchdog, at this moment, from this network location: a server can
 * answer others differently (THREAT-MODEL.md §3.5).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  CONTENT_SECURITY_POLICY,
  STAFF_PAGE_POLICY,
} from "../apps/api/src/middleware/security-headers/index.js";
import { APPS, type AppName, buildApps } from "./build-apps.js";
import { isDerivedFile, listFiles, MANIFEST_FILE } from "./release-manifest.js";
import { SRI_META_NAME } from "./vite-sri.js";

/** The staff app's pages may start blob: workers (its crypto pool); the help-seeker's may not. */
const STAFF_PREFIX = APPS.find((a) => a.name === "staff")!.prefix;

export interface Finding {
  /** The URL path on the deployment, e.g. `/staff/assets/index-abc.js`. */
  readonly path: string;
  readonly problem: string;
}

export interface VerifyResult {
  readonly ok: boolean;
  /** URL paths whose every encoding matched the local build. */
  readonly matched: readonly string[];
  readonly findings: readonly Finding[];
}

const ENCODINGS = ["identity", "gzip", "br"] as const;

/** The URL paths (under the app's prefix) that the served HTML makes a browser load, or may load. */
export function referencedPaths(html: string, prefix: string): string[] {
  const out = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/g) ?? []) {
    const url = /\b(?:src|href)="([^"]+)"/.exec(tag)?.[1];
    if (url === undefined || url.startsWith("data:")) continue;
    out.add(url);
  }
  const meta = new RegExp(`<meta name="${SRI_META_NAME}" content="([^"]*)"`).exec(html)?.[1];
  if (meta !== undefined) {
    try {
      const files = JSON.parse(meta.replaceAll("&quot;", '"')) as Record<string, string>;
      for (const file of Object.keys(files)) out.add(`${prefix}${file}`);
    } catch {
      out.add(`${prefix}#unreadable-sri-meta`);
    }
  }
  return [...out].sort();
}

/** The file paths a served release manifest names (empty when it is not a manifest). */
function manifestPaths(body: Uint8Array): string[] {
  try {
    const m = JSON.parse(Buffer.from(body).toString("utf8")) as { files?: Record<string, unknown> };
    return m.files !== null && typeof m.files === "object" ? Object.keys(m.files) : [];
  } catch {
    return [];
  }
}

async function fetchAs(origin: string, path: string, encoding: string): Promise<Response> {
  // Node's fetch decodes gzip and brotli itself, so the body is what a browser would run.
  return fetch(new URL(path, origin), {
    headers: { "accept-encoding": encoding, "user-agent": "briefgeheim-verify-deployment" },
    redirect: "manual",
  });
}

/**
 * Compares the deployment at `origin` with local builds (`local.seeker`, `local.staff`: the folders
 * a build wrote). Never throws for what the server answers; a network error is a finding.
 */
export async function verifyDeployment(
  origin: string,
  local: Readonly<Record<AppName, string>>,
): Promise<VerifyResult> {
  const findings: Finding[] = [];
  const matched: string[] = [];
  const checked = new Set<string>();

  /** Fetches `path` in every encoding and compares each body with `expected` (undefined: not local). */
  const check = async (path: string, expected: Buffer | undefined): Promise<Uint8Array | undefined> => {
    if (checked.has(path)) return undefined;
    checked.add(path);
    let first: Uint8Array | undefined;
    const differing: string[] = [];
    for (const encoding of ENCODINGS) {
      let res: Response;
      try {
        res = await fetchAs(origin, path, encoding);
      } catch (e) {
        findings.push({ path, problem: `not reachable (${e instanceof Error ? e.message : String(e)})` });
        return undefined;
      }
      const body = new Uint8Array(await res.arrayBuffer());
      if (expected === undefined) {
        if (res.status !== 404) {
          findings.push({ path, problem: `served (HTTP ${res.status}) but not part of the local build` });
        }
        return undefined;
      }
      if (res.status !== 200) {
        findings.push({ path, problem: `HTTP ${res.status} (${encoding}), the local build has this file` });
        return undefined;
      }
      if (first === undefined) {
        first = body;
        const csp = res.headers.get("content-security-policy");
        const page = path.endsWith("/") || path.endsWith(".html");
        const policy = path.startsWith(STAFF_PREFIX) ? STAFF_PAGE_POLICY : CONTENT_SECURITY_POLICY;
        if (page && csp !== policy) {
          findings.push({ path, problem: `Content-Security-Policy is ${JSON.stringify(csp)}` });
        }
      }
      if (!expected.equals(body)) differing.push(encoding);
    }
    if (differing.length > 0) {
      findings.push({ path, problem: `differs from the local build (${differing.join(", ")})` });
    } else {
      matched.push(path);
    }
    return first;
  };

  for (const app of APPS) {
    const dir = local[app.name];
    const files = new Map(
      listFiles(dir)
        .filter((p) => !/\.(br|gz)$/.test(p))
        .map((p) => [p, readFileSync(join(dir, p))]),
    );
    const expect = (path: string): Buffer | undefined =>
      path.startsWith(app.prefix) ? files.get(path.slice(app.prefix.length)) : undefined;
    const index = files.get("index.html");
    const servedPage = await check(app.prefix, index);
    await check(`${app.prefix}index.html`, index);
    const servedManifest = await check(`${app.prefix}${MANIFEST_FILE}`, files.get(MANIFEST_FILE));
    const wanted = new Set<string>();
    if (servedPage !== undefined) {
      for (const p of referencedPaths(Buffer.from(servedPage).toString("utf8"), app.prefix)) wanted.add(p);
    }
    if (servedManifest !== undefined)
      for (const p of manifestPaths(servedManifest)) wanted.add(`${app.prefix}${p}`);
    for (const p of files.keys()) if (!isDerivedFile(p)) wanted.add(`${app.prefix}${p}`);
    for (const path of [...wanted].sort()) {
      if (!path.startsWith("/") || path.startsWith("//")) {
        findings.push({ path, problem: "the served page loads something from another origin" });
        continue;
      }
      await check(path, expect(path));
    }
  }
  return { ok: findings.length === 0, matched: matched.sort(), findings };
}

function usage(): number {
  console.error(
    "usage: npm run verify-deployment -- --url <https://deployment> [--local <folder with seeker/ and staff/>]",
  );
  return 2;
}

async function main(argv: readonly string[]): Promise<number> {
  let url: string | undefined;
  let localRoot: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--url" && argv[i + 1] !== undefined) url = argv[++i];
    else if (arg === "--local" && argv[i + 1] !== undefined) localRoot = resolve(argv[++i] as string);
    else if (arg !== undefined && i === 0 && /^https?:\/\//.test(arg)) url = arg;
    else return usage();
  }
  if (url === undefined) return usage();
  let origin: string;
  try {
    const parsed = new URL(url);
    if (parsed.protocol !== "https:" && parsed.protocol !== "http:") return usage();
    origin = parsed.origin;
  } catch {
    return usage();
  }
  let work: string | undefined;
  try {
    if (localRoot === undefined) {
      work = mkdtempSync(join(tmpdir(), "bg-verify-"));
      console.log("Building both apps from this checkout (the same settings as npm run build) ...");
      await buildApps(work, { precompress: false });
      localRoot = work;
    }
    const local = { seeker: join(localRoot, "seeker"), staff: join(localRoot, "staff") };
    const result = await verifyDeployment(origin, local);
    if (result.ok) {
      console.log(
        `OK: ${origin} serves exactly the local build (${result.matched.length} paths, each plain, gzip and brotli).`,
      );
      return 0;
    }
    console.error(`DIFFERENT: ${origin} does not serve the local build:`);
    for (const f of result.findings) console.error(`  ${f.path}: ${f.problem}`);
    return 1;
  } finally {
    if (work !== undefined) rmSync(work, { recursive: true, force: true });
  }
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e: unknown) => {
      console.error(e instanceof Error ? (e.stack ?? e.message) : e);
      process.exit(2);
    },
  );
}
