/**
 * The deployment watchdog (scripts/verify-deployment.ts) against the real API server on loopback,
 * serving a copy of the built apps: an honest copy passes; a copy with one changed byte in one file,
 * or in only the brotli copy of a file, a page that loads an extra script, a missing file, and (a
 * layer in front of the server) pages without the strict CSP, or help-seeker pages with the staff
 * app's, are each reported with exactly those paths. The command line is run once each way for its exit status.
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { cpSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { brotliCompressSync } from "node:zlib";
import { createApp, memoryLogger } from "@briefgeheim/api";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openDatabase } from "../../apps/api/src/db/client.js";
import { runMigrations } from "../../apps/api/src/db/migrate.js";
import { createWriter } from "../../apps/api/src/db/writer.js";
import {
  CONTENT_SECURITY_POLICY,
  STAFF_PAGE_POLICY,
} from "../../apps/api/src/middleware/security-headers/index.js";
import { type AppName, buildApps, REPO_ROOT } from "../../scripts/build-apps.js";
import { MANIFEST_FILE } from "../../scripts/release-manifest.js";
import { verifyDeployment } from "../../scripts/verify-deployment.js";

const run = promisify(execFile);

let work: string;
let local: Record<AppName, string>;
let served: Record<AppName, string>;
let origin: string;
let close: () => Promise<void>;

/** apps/*\/dist when both apps are built with a manifest (npm test builds them), else a fresh build. */
async function localBuild(): Promise<Record<AppName, string>> {
  const dist = {
    seeker: join(REPO_ROOT, "apps", "seeker", "dist"),
    staff: join(REPO_ROOT, "apps", "staff", "dist"),
  };
  if (Object.values(dist).every((d) => existsSync(join(d, MANIFEST_FILE)))) {
    // Copied, so that another test rebuilding apps/*/dist meanwhile cannot change it under us.
    const copy = { seeker: join(work, "local", "seeker"), staff: join(work, "local", "staff") };
    cpSync(dist.seeker, copy.seeker, { recursive: true });
    cpSync(dist.staff, copy.staff, { recursive: true });
    return copy;
  }
  return buildApps(join(work, "local"), { precompress: true });
}

/** A fresh copy of the local build, served from now on; returns its folders to tamper with. */
function serveFreshCopy(): Record<AppName, string> {
  const name = `served-${Math.random().toString(36).slice(2)}`;
  served = { seeker: join(work, name, "seeker"), staff: join(work, name, "staff") };
  cpSync(local.seeker, served.seeker, { recursive: true });
  cpSync(local.staff, served.staff, { recursive: true });
  remount();
  return served;
}

function changeOneByte(file: string): void {
  const data = readFileSync(file);
  const at = Math.floor(data.length / 2);
  data[at] = data[at] === 0x61 ? 0x62 : 0x61; // 'a' <-> 'b' in the middle of the file
  writeFileSync(file, data);
}

const asset = (dir: string, re: RegExp): string => {
  const name = readdirSync(join(dir, "assets")).find((f) => re.test(f));
  if (name === undefined) throw new Error(`no asset ${re} in ${dir}`);
  return name;
};

/** A hostile layer over the real server's responses (identity unless a test sets it). */
let layer: (res: Response) => Response = (res) => res;

/** Rebuilds the API app with static mounts on the current `served` copy (set once the port is known). */
let remount: () => void = () => undefined;

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "bg-verify-test-"));
  local = await localBuild();
  serveFreshCopy();
  const db = await openDatabase({ url: `file:${join(work, "api.db")}` });
  await runMigrations(db.write);
  const writer = createWriter(db);
  let app: ReturnType<typeof createApp> | undefined;
  const server = serve({
    fetch: async (req) =>
      app === undefined ? new Response("starting", { status: 503 }) : layer(await app.fetch(req)),
    port: 0,
    hostname: "127.0.0.1",
  });
  await once(server, "listening");
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  // The real API with its static routes; each test swaps in another copy of the apps.
  remount = () => {
    app = createApp({
      db,
      writer,
      origin,
      logger: memoryLogger(),
      staticApps: [
        { prefix: "/staff/", root: served.staff },
        { prefix: "/", root: served.seeker },
      ],
    });
  };
  remount();
  close = async () => {
    server.close();
    (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
    await writer.close();
    db.close();
  };
}, 180_000);

afterAll(async () => {
  await close?.();
  if (work !== undefined) rmSync(work, { recursive: true, force: true });
});

describe("verify-deployment against the real server on loopback", () => {
  it("passes when the deployment serves the local build", async () => {
    serveFreshCopy();
    const result = await verifyDeployment(origin, local);
    expect(result.findings).toEqual([]);
    expect(result.ok).toBe(true);
    const sdk = asset(local.seeker, /^sdk-.*\.js$/);
    expect(result.matched).toEqual(
      expect.arrayContaining([
        "/",
        "/index.html",
        `/${MANIFEST_FILE}`,
        `/assets/${sdk}`,
        "/staff/",
        `/staff/${MANIFEST_FILE}`,
      ]),
    );
  });

  it("reports exactly the path of a file with one changed byte", async () => {
    const copy = serveFreshCopy();
    const sdk = asset(copy.seeker, /^sdk-.*\.js$/);
    changeOneByte(join(copy.seeker, "assets", sdk));
    const result = await verifyDeployment(origin, local);
    expect(result.ok).toBe(false);
    // The plain file differs; the honest .gz/.br beside it still match.
    expect(result.findings).toEqual([
      {
        path: `/assets/${sdk}`,
        problem: "differs from the local build (identity)",
      },
    ]);
  });

  it("reports a file changed only in the copy sent to browsers that accept brotli", async () => {
    const copy = serveFreshCopy();
    const entry = asset(copy.staff, /^index-.*\.js$/);
    const file = join(copy.staff, "assets", entry);
    const evil = Buffer.concat([readFileSync(file), Buffer.from("\n;globalThis.x=1;\n")]);
    writeFileSync(`${file}.br`, brotliCompressSync(evil));
    const result = await verifyDeployment(origin, local);
    expect(result.findings).toEqual([
      {
        path: `/staff/assets/${entry}`,
        problem: "differs from the local build (br)",
      },
    ]);
  });

  it("reports a page that loads a script the local build does not have", async () => {
    const copy = serveFreshCopy();
    const page = join(copy.seeker, "index.html");
    writeFileSync(
      page,
      readFileSync(page, "utf8").replace(
        "</head>",
        '<script type="module" src="/assets/extra.js"></script></head>',
      ),
    );
    rmSync(`${page}.br`);
    rmSync(`${page}.gz`);
    writeFileSync(join(copy.seeker, "assets", "extra.js"), "globalThis.x = 1;");
    const result = await verifyDeployment(origin, local);
    const paths = result.findings.map((f) => f.path).sort();
    expect(paths).toEqual(["/", "/assets/extra.js", "/index.html"]);
    expect(result.findings.find((f) => f.path === "/assets/extra.js")?.problem).toMatch(
      /served \(HTTP 200\) but not part of the local build/,
    );
  });

  it("reports a file the deployment no longer serves", async () => {
    const copy = serveFreshCopy();
    const lazy = asset(copy.staff, /^Recover-.*\.js$/);
    for (const suffix of ["", ".br", ".gz"]) rmSync(join(copy.staff, "assets", `${lazy}${suffix}`));
    const result = await verifyDeployment(origin, local);
    expect(result.findings).toEqual([
      { path: `/staff/assets/${lazy}`, problem: "HTTP 404 (identity), the local build has this file" },
    ]);
  });

  it("reports pages served without the strict Content-Security-Policy (a layer in front of the server)", async () => {
    serveFreshCopy();
    layer = (res) => {
      if (!res.headers.get("content-type")?.startsWith("text/html")) return res;
      const headers = new Headers(res.headers);
      headers.delete("content-security-policy");
      return new Response(res.body, { status: res.status, headers });
    };
    try {
      const result = await verifyDeployment(origin, local);
      expect(result.findings).toEqual(
        ["/", "/index.html", "/staff/", "/staff/index.html"].map((path) => ({
          path,
          problem: "Content-Security-Policy is null",
        })),
      );
    } finally {
      layer = (res) => res;
    }
  });

  it("reports help-seeker pages that may start workers (the staff app's policy, worker-src blob:)", async () => {
    serveFreshCopy();
    layer = (res) => {
      const csp = res.headers.get("content-security-policy");
      if (csp !== CONTENT_SECURITY_POLICY || !res.headers.get("content-type")?.startsWith("text/html"))
        return res;
      const headers = new Headers(res.headers);
      headers.set("content-security-policy", STAFF_PAGE_POLICY);
      return new Response(res.body, { status: res.status, headers });
    };
    try {
      const result = await verifyDeployment(origin, local);
      expect(result.findings).toEqual(
        ["/", "/index.html"].map((path) => ({
          path,
          problem: `Content-Security-Policy is ${JSON.stringify(STAFF_PAGE_POLICY)}`,
        })),
      );
    } finally {
      layer = (res) => res;
    }
  });

  it("the command exits 0 for an honest deployment and 1 with the differing path for a tampered one", async () => {
    serveFreshCopy();
    const localRoot = join(local.seeker, "..");
    const cli = ["--import", "tsx", join(REPO_ROOT, "scripts", "verify-deployment.ts")];
    const ok = await run(process.execPath, [...cli, "--url", origin, "--local", localRoot], {
      cwd: REPO_ROOT,
    });
    expect(ok.stdout).toMatch(/^OK: /);
    const copy = serveFreshCopy();
    const css = asset(copy.staff, /\.css$/);
    changeOneByte(join(copy.staff, "assets", css));
    const bad = await run(process.execPath, [...cli, "--url", origin, "--local", localRoot], {
      cwd: REPO_ROOT,
    }).then(
      () => ({ code: 0, stderr: "" }),
      (e: { code: number; stderr: string }) => e,
    );
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain(`/staff/assets/${css}: differs from the local build`);
  });
});
