/**
 * The staff app's pool of Web Workers for the SDK's cryptographic jobs (issue 14): verifying and
 * decrypting the inbox off the main thread. The worker script is fetched with its Subresource
 * Integrity value from the page's `briefgeheim-sri` meta tag (scripts/vite-sri.ts) and started from
 * a blob: URL of exactly those bytes: `new Worker(url)` on the script's own URL would fetch it again
 * without any check, and the workers receive the member's box key. Hence CSP `worker-src blob:`.
 * Where this cannot work (no Worker, no SRI values in a dev build, a failed check) there is no pool
 * and the SDK verifies on the main thread, in slices.
 */
import type { WorkPort, WorkRunner } from "@briefgeheim/client";
import type { Sodium } from "@briefgeheim/crypto";
import { loadSdk } from "../lib/sdk.js";
import workerUrl from "./crypto-worker.ts?worker&url";

/**
 * One worker per core the browser reports, at least one, at most four. (One core fewer, to leave the
 * page a core, was tried on two cores: one worker did not shorten the page's longest tasks, and
 * counting survey answers, issue 13, needs the cores side by side. docs/PERFORMANCE.md.)
 */
export function poolSize(cores: number | undefined): number {
  return Math.min(4, Math.max(1, Math.floor(cores ?? 1) || 1));
}

function integrityOf(url: string): string | undefined {
  const meta = document.querySelector('meta[name="briefgeheim-sri"]');
  if (meta === null) return undefined;
  const files = JSON.parse(meta.getAttribute("content") ?? "{}") as Record<string, string>;
  // Keys are paths under the app's base ("assets/crypto-worker-<hash>.js"); the hash makes them unique.
  const file = Object.keys(files).find((f) => url.endsWith(`/${f}`));
  return file === undefined ? undefined : files[file];
}

/**
 * Starts a pool, or returns undefined (the SDK then verifies on the main thread). `sodium` runs the
 * jobs of a worker that fails to start.
 *
 * @example
 * const pool = await startCryptoPool(staff.client.sodium);
 * if (pool !== undefined) staff.useWorkers(pool);
 */
export async function startCryptoPool(sodium: Sodium): Promise<WorkRunner | undefined> {
  if (typeof Worker === "undefined" || typeof URL.createObjectURL !== "function") return undefined;
  const integrity = integrityOf(workerUrl);
  if (integrity === undefined) return undefined;
  try {
    const res = await fetch(workerUrl, { integrity, credentials: "same-origin" });
    if (!res.ok) return undefined;
    const blob = new Blob([await res.arrayBuffer()], { type: "text/javascript" });
    const url = URL.createObjectURL(blob);
    const { WorkerPool, inlineRunner } = await loadSdk();
    // A Worker is a WorkPort; its handler types name DOM events, which the SDK (no DOM) does not know.
    const spawn = () => new Worker(url, { name: "briefgeheim-crypto" }) as unknown as WorkPort;
    return new WorkerPool(spawn, poolSize(navigator.hardwareConcurrency), inlineRunner(sodium), () =>
      URL.revokeObjectURL(url),
    );
  } catch {
    return undefined; // a failed integrity check rejects the fetch: no pool, nothing unchecked runs
  }
}
