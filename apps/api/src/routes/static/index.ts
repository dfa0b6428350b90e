/**
 * The browser apps, built by Vite, served by the API under the same strict CSP as everything else
 * (the security-headers middleware runs for every response; only the staff app's index.html may
 * start workers, from blob: URLs: `StaticApp.workers`):
 *
 * - `/` the help-seeker app (`apps/seeker/dist`), `/staff/` the staff app (`apps/staff/dist`);
 * - each build's `release-manifest.json` (every file with its SHA-256 and SRI value, written by the
 *   build: scripts/release-manifest.ts) at `/release-manifest.json` and `/staff/release-manifest.json`,
 *   revalidated like index.html, so a watchdog (`npm run verify-deployment`) can compare;
 * - hashed files under `assets/` are immutable (`Cache-Control: public, max-age=31536000, immutable`),
 *   `index.html` and other files `no-cache` (revalidated on every visit, so a new build is picked up);
 * - precompressed `.br` / `.gz` siblings (written by the build) are sent when the browser accepts them;
 * - any other path without a file extension that is not under `/api` gets the app's `index.html`
 *   (the apps route with `#/...`, so this is only a fallback); `/api/*` never reaches this group, and
 *   a missing file with an extension is a 404;
 * - an app that has not been built is a 404 (`npm run build` builds the help-seeker app).
 */
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { serveStatic } from "@hono/node-server/serve-static";
import { type Context, Hono, type MiddlewareHandler } from "hono";
import { allowBlobWorkers } from "../../middleware/security-headers/index.js";

/** One built app: served under `prefix` (ends with `/`) from the folder `root`. */
export interface StaticApp {
  readonly prefix: string;
  readonly root: string;
  /**
   * Its index.html starts workers from blob: URLs (the staff app's crypto pool), so it gets
   * `STAFF_PAGE_POLICY`. Default: true for the mount at `/staff/` (the staff app), false otherwise.
   */
  readonly workers?: boolean;
}

/** Where the staff app is mounted. */
export const STAFF_PREFIX = "/staff/";

const APPS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), "../../../..");

export const IMMUTABLE = "public, max-age=31536000, immutable";
export const REVALIDATE = "no-cache";

/** The default mounts: the staff app at `/staff/`, the help-seeker app at `/`. */
export function defaultStaticApps(): StaticApp[] {
  return [
    { prefix: STAFF_PREFIX, root: join(APPS_DIR, "staff", "dist") },
    { prefix: "/", root: join(APPS_DIR, "seeker", "dist") },
  ];
}

const noFile = async () => undefined;

/**
 * The route group. Mount it after the API routes: `app.route("/", staticRoutes())`.
 *
 * @example
 * app.route("/", staticRoutes([{ prefix: "/", root: "/srv/briefgeheim/seeker" }]));
 */
export function staticRoutes(apps: readonly StaticApp[] = defaultStaticApps()) {
  // Longest prefix first, so `/staff/...` never falls back to the help-seeker app.
  const mounts = [...apps]
    .sort((a, b) => b.prefix.length - a.prefix.length)
    .map((app) => ({ ...app, workers: app.workers ?? app.prefix === STAFF_PREFIX, files: fileServer(app) }));
  return new Hono().get("*", async (c, next) => {
    const path = c.req.path;
    if (path === "/api" || path.startsWith("/api/")) return next();
    const mount = mounts.find((m) => path.startsWith(m.prefix) || `${path}/` === m.prefix);
    if (mount === undefined) return next();
    if (`${path}/` === mount.prefix) return c.redirect(mount.prefix, 308);
    if (!existsSync(join(mount.root, "index.html"))) return next();
    const rel = path.slice(mount.prefix.length - 1); // "/assets/x.js", "/", "/index.html"
    if (rel !== "/" && rel !== "/index.html") {
      c.header("Cache-Control", rel.startsWith("/assets/") ? IMMUTABLE : REVALIDATE);
      const found = await mount.files.any(c, noFile);
      if (found instanceof Response) return found;
      if (/\.[A-Za-z0-9]+$/.test(rel)) {
        c.header("Cache-Control", undefined);
        return next(); // a missing file is a 404, not the app
      }
    }
    c.header("Cache-Control", REVALIDATE);
    if (mount.workers) allowBlobWorkers(c);
    const index = await mount.files.index(c, noFile);
    return index instanceof Response ? index : next();
  });
}

function fileServer(app: StaticApp): { any: MiddlewareHandler; index: MiddlewareHandler } {
  const rewriteRequestPath = (p: string) => p.slice(app.prefix.length - 1);
  // Built lazily: the folder may appear after the server starts (a build while it runs).
  let any: MiddlewareHandler | undefined;
  let index: MiddlewareHandler | undefined;
  return {
    any: (c: Context, next) => {
      any ??= serveStatic({ root: app.root, rewriteRequestPath, precompressed: true });
      return any(c, next);
    },
    index: (c: Context, next) => {
      index ??= serveStatic({ root: app.root, path: "index.html", precompressed: true });
      return index(c, next);
    },
  };
}
