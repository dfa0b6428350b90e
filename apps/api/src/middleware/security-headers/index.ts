import type { MiddlewareHandler } from "hono";

/** The Content-Security-Policy of every response (docs/REQUIREMENTS.md §3: no inline script, wasm allowed).
 * `img-src blob:` lets the apps show a decrypted image attachment from memory
 * (`URL.createObjectURL`); `data:` is the empty favicon. `worker-src blob:` (and no origin) lets the
 * staff app start its crypto workers from the bytes it fetched and checked against their SRI value
 * (apps/staff/src/workers/pool.ts): a worker started from its own URL is fetched again unchecked. A
 * blob: worker inherits this policy, so it too runs only 'self' scripts and wasm. */
export const CONTENT_SECURITY_POLICY =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data: blob:; " +
  "worker-src blob:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'none'; " +
  "form-action 'self'";

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
 * Sets the security headers on every response, and `Cache-Control: no-store` on API responses
 * (nothing a browser caches can outlive the tab).
 *
 * @example
 * app.use("*", securityHeaders());
 */
export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    for (const [name, value] of Object.entries(SECURITY_HEADERS)) c.res.headers.set(name, value);
    if (c.req.path.startsWith("/api/")) c.res.headers.set("Cache-Control", "no-store");
    c.res.headers.delete("X-Powered-By");
  };
}
