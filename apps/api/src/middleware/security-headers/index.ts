import type { Context, MiddlewareHandler } from "hono";

/** The Content-Security-Policy with `workers` as its `worker-src` (docs/REQUIREMENTS.md §3: no inline
 * script, wasm allowed). `img-src blob:` lets the apps show a decrypted image attachment from memory
 * (`URL.createObjectURL`); `data:` is the empty favicon. */
function policy(workers: string): string {
  return (
    "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
    `worker-src ${workers}; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; ` +
    "form-action 'self'"
  );
}

/** The Content-Security-Policy of every response but the staff app's pages: no workers of any kind
 * (the help-seeker app starts none; without `worker-src` the browser would allow 'self' scripts). */
export const CONTENT_SECURITY_POLICY = policy("'none'");

/** The staff app's HTML: `worker-src blob:` (and no origin) lets it start its crypto workers from the
 * bytes it fetched and checked against their SRI value (apps/staff/src/workers/pool.ts): a worker started
 * from its own URL is fetched again unchecked. A blob: worker inherits its page's policy, so it too runs
 * only 'self' scripts and wasm; a script or JSON response needs no worker-src (only a page starts one). */
export const STAFF_PAGE_POLICY = policy("blob:");

/** Requests whose response is a page that starts the staff app's crypto workers (`allowBlobWorkers`). */
const workerPages = new WeakSet<Request>();

/**
 * Marks the response to this request as a page that starts workers from blob: URLs, so it gets
 * `STAFF_PAGE_POLICY`: routes/static does so for the index.html of an app mounted with `workers`
 * (the staff app). A policy is chosen from these two only; nothing else can set one.
 *
 * @example
 * allowBlobWorkers(c); // before returning the staff app's index.html
 */
export function allowBlobWorkers(c: Context): void {
  workerPages.add(c.req.raw);
}

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
  "Content-Security-Policy": CONTENT_SECURITY_POLICY,
  "Strict-Transport-Security": "max-age=63072000; includeSubDomains",
  "X-Content-Type-Options": "nosniff",
  "X-Frame-Options": "DENY",
  "Referrer-Policy": "no-referrer",
  "Cross-Origin-Opener-Policy": "same-origin",
  "Cross-Origin-Resource-Policy": "same-origin",
  "Permissions-Policy": "camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()",
  "X-DNS-Prefetch-Control": "off",
};

/**
 * Sets the security headers on every response (the CSP: `STAFF_PAGE_POLICY` where `allowBlobWorkers`
 * said so, else `CONTENT_SECURITY_POLICY`), and `Cache-Control: no-store` on API responses (nothing
 * a browser caches can outlive the tab).
 *
 * @example
 * app.use("*", securityHeaders());
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
    if (workerPages.has(c.req.raw)) c.res.headers.set("Content-Security-Policy", STAFF_PAGE_POLICY);
    if (c.req.path.startsWith("/api/")) c.res.headers.set("Cache-Control", "no-store");
    c.res.headers.delete("X-Powered-By");
  };
}
