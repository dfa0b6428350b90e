/**
 * The SDK (and with it libsodium, about 190 KB gzip of wasm-in-JS) is loaded lazily: the first screen
 * renders without it, and loading starts in the background right after.
 */
import type { BriefgeheimClient } from "@briefgeheim/client";
import { BUILD_CONFIG } from "./config.js";
import { localStorageMemory } from "./device-memory.js";

export type Sdk = typeof import("./sdk-module.js");
export type Crypto = typeof import("@briefgeheim/crypto");

let sdk: Promise<Sdk> | undefined;
let crypto: Promise<Crypto> | undefined;
let client: Promise<BriefgeheimClient> | undefined;

/** The SDK module (loaded once). */
export function loadSdk(): Promise<Sdk> {
  sdk ??= import("./sdk-module.js").catch((e: unknown) => {
    sdk = undefined;
    throw e;
  });
  return sdk;
}

/** The crypto package (already part of the SDK's chunk; used for recovery only). */
export function loadCrypto(): Promise<Crypto> {
  crypto ??= import("@briefgeheim/crypto").catch((e: unknown) => {
    crypto = undefined;
    throw e;
  });
  return crypto;
}

/**
 * The tab's one client: same-origin API, the browser keeps the HttpOnly session cookie, roots pinned by
 * this build. It holds no secret (verified roster chains only), so it lives as long as the tab; what it
 * remembers across visits (non-secret heads) is in localStorage (lib/device-memory.ts).
 */
export function getClient(): Promise<BriefgeheimClient> {
  client ??= loadSdk()
    .then((m) =>
      m.createClient({
        baseUrl: location.origin,
        origin: location.origin,
        cookieMode: "browser",
        pins: BUILD_CONFIG.pins,
        trustOnFirstUse: BUILD_CONFIG.trustOnFirstUse,
        // Roster heads (and the thread facts of PROTOCOL.md §5) survive the tab on this work device.
        memory: localStorageMemory(),
      }),
    )
    .catch((e: unknown) => {
      client = undefined;
      throw e;
    });
  return client;
}

/** Starts loading the SDK and libsodium when the browser is idle (after the first paint). */
export function preloadSdk(): void {
  const start = () => void getClient().catch(() => undefined);
  if ("requestIdleCallback" in window) window.requestIdleCallback(start, { timeout: 1500 });
  else setTimeout(start, 200);
}

/** The `code` of a ClientError (or of anything with a string code), else undefined. */
export function errorCode(e: unknown): string | undefined {
  if (typeof e === "object" && e !== null && "code" in e) {
    const code = (e as { code: unknown }).code;
    if (typeof code === "string") return code;
  }
  return undefined;
}
