/**
 * A deployment for the staff app's browser tests and its benchmark: the real API (`createApp` of
 * @briefgeheim/api) on 127.0.0.1 with a port the OS picks and a temporary libSQL file, the operator's
 * `createHelpline`, and the staff app built by `vite build` into a temporary folder and served by the
 * API at `/staff/` under its strict CSP. Plain Node (no vitest), so `bench/` uses it too.
 *
 * When the helpline's root key is made in the browser during a test, no build can pin it beforehand:
 * such a test builds with trust on first use (BRIEFGEHEIM_TRUST_ON_FIRST_USE=1), and the app shows the
 * fingerprint with a warning. A world whose helpline is set up in Node first builds with its pin.
 */
import { execFile } from "node:child_process";
import { once } from "node:events";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import {
  createApp,
  createHelpline,
  createWriter,
  type Database,
  memoryLogger,
  openDatabase,
  runMigrations,
  scaleQuotas,
  scaleRateLimits,
  type Writer,
} from "@briefgeheim/api";
import { type BriefgeheimClient, createClient } from "@briefgeheim/client";
import { serve } from "@hono/node-server";
import { ROOT_DIR } from "../../support/api-world.js";
import { removeBuild } from "./build.js";

const run = promisify(execFile);
export const STAFF_DIR = join(ROOT_DIR, "apps", "staff");
const VITE = join(ROOT_DIR, "node_modules", "vite", "bin", "vite.js");

export interface StaffBuildOptions {
  /** Helpline id -> fingerprint. */
  readonly pins?: Readonly<Record<string, string>>;
  readonly trustOnFirstUse?: boolean;
  /** Default: a new temporary folder. */
  readonly outDir?: string;
}

/** Runs `vite build` for apps/staff (as an operator does) and returns the output folder. */
export async function buildStaff(options: StaffBuildOptions = {}): Promise<string> {
  const work = mkdtempSync(join(tmpdir(), "bg-staff-build-"));
  const outDir = options.outDir ?? join(work, "dist");
  const pinsFile = join(work, "pins.json");
  writeFileSync(pinsFile, JSON.stringify(options.pins ?? {}));
  await run(process.execPath, [VITE, "build", "--logLevel", "warn"], {
    cwd: STAFF_DIR,
    env: {
      ...process.env,
      NODE_ENV: "production",
      BRIEFGEHEIM_PINS_FILE: pinsFile,
      BRIEFGEHEIM_TRUST_ON_FIRST_USE: options.trustOnFirstUse ? "1" : "",
      BRIEFGEHEIM_OUT_DIR: outDir,
      // The API serves plain files as well; brotli at level 11 is the slow part of a build.
      BRIEFGEHEIM_PRECOMPRESS: "0",
    },
    maxBuffer: 16 * 1024 * 1024,
  });
  return outDir;
}

export interface StaffWorld {
  readonly db: Database;
  readonly writer: Writer;
  /** `http://127.0.0.1:<port>`: the API and the app (the app at `/staff/`). */
  readonly origin: string;
  /** The operator creates a helpline; its first-supervisor invite link points at this server. */
  createHelpline(input: { slug: string; name: string; tag: number; replyHours: number }): Promise<{
    helplineId: string;
    token: string;
    link: string;
  }>;
  /**
   * Builds the app (or takes a built folder) and serves it at `/staff/` from now on; with `seekerDist`
   * (a help-seeker build, `buildSeeker`) that app at `/` too.
   */
  serveApp(build: StaffBuildOptions | string, seekerDist?: string): Promise<string>;
  /** The server's log lines so far (JSON; one `"event":"request"` line per request, with its `ms`). */
  readonly serverLog: readonly string[];
  /** A Node client of this deployment over real HTTP (in-memory cookie jar). */
  client(options?: { pins?: Record<string, string>; trustOnFirstUse?: boolean }): Promise<BriefgeheimClient>;
  close(): Promise<void>;
}

/**
 * Starts the server (no app served until `serveApp`). `quotaScale` multiplies the help-seekers' daily
 * quotas (default 100: one seeding session may open 1,000 conversations; bench:inbox's 5,000 needs 500).
 */
export async function startStaffWorld(options: { quotaScale?: number } = {}): Promise<StaffWorld> {
  const dir = mkdtempSync(join(tmpdir(), "bg-staff-world-"));
  const db = await openDatabase({ url: `file:${join(dir, "staff.db")}` });
  await runMigrations(db.write);
  const writer = createWriter(db);
  const builds: string[] = [];
  let app: ReturnType<typeof createApp> | undefined;
  // One log for every app this world serves (serveApp makes a new app): benches read the request lines.
  const logger = memoryLogger();
  const server = serve({
    fetch: (req) => (app === undefined ? new Response("starting", { status: 503 }) : app.fetch(req)),
    port: 0,
    hostname: "127.0.0.1",
  });
  await once(server, "listening");
  const origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const makeApp = (dist: string | undefined, seekerDist?: string) =>
    createApp({
      db,
      writer,
      origin,
      logger,
      rateLimits: scaleRateLimits(100),
      // A caseload of hundreds of conversations is seeded through this server: far over one
      // session's daily quota, which the help-seeker browser tests check at its real size.
      quotas: scaleQuotas(options.quotaScale ?? 100),
      staticApps: [
        ...(dist === undefined ? [] : [{ prefix: "/staff/", root: dist }]),
        ...(seekerDist === undefined ? [] : [{ prefix: "/", root: seekerDist }]),
      ],
    });
  app = makeApp(undefined);
  return {
    db,
    writer,
    origin,
    serverLog: logger.lines,
    async createHelpline(input) {
      const made = await createHelpline(
        db,
        { slug: input.slug, name: input.name, tag: input.tag, replyTimeHours: input.replyHours },
        { origin, writer },
      );
      return { helplineId: made.helplineId, token: made.inviteToken, link: made.inviteLink };
    },
    async serveApp(build, seekerDist) {
      const dist = typeof build === "string" ? build : await buildStaff(build);
      // A build made here goes with the world (a temporary folder per build otherwise stays in /tmp).
      if (typeof build !== "string" && build.outDir === undefined) builds.push(dist);
      app = makeApp(dist, seekerDist);
      return dist;
    },
    client: (extra = {}) => createClient({ baseUrl: origin, origin, cookieMode: "jar", ...extra }),
    async close() {
      server.close();
      (server as unknown as { closeAllConnections?: () => void }).closeAllConnections?.();
      await writer.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
      for (const b of builds) removeBuild(b);
    },
  };
}
