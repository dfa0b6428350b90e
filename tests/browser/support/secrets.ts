/**
 * Searching for a secret (the help-seeker's code) everywhere it must never be: request URLs,
 * headers and bodies, page URLs, and every storage area of a browser context.
 */
import type { BrowserContext, Page } from "playwright-core";
import type { SeenRequest } from "./browser.js";

/** The forms a code can take in text: as shown, without dashes, lower case, spaced, base64 of it. */
export function codeForms(code: string): string[] {
  const bare = code.replace(/[^0-9A-Za-z]/g, "");
  const forms = new Set([
    code,
    bare,
    code.toLowerCase(),
    bare.toLowerCase(),
    code.replace(/-/g, " "),
    encodeURIComponent(code),
    Buffer.from(code).toString("base64"),
    Buffer.from(bare).toString("base64"),
    Buffer.from(bare).toString("base64url"),
    Buffer.from(bare).toString("hex"),
  ]);
  // Any two groups in a row (8 characters) is already too much of it.
  for (let i = 0; i + 8 <= bare.length; i += 4) forms.add(bare.slice(i, i + 8));
  return [...forms];
}

/** Where the code shows up in these requests (empty when nowhere). */
export function leaksInRequests(requests: readonly SeenRequest[], code: string): string[] {
  const forms = codeForms(code);
  const found: string[] = [];
  for (const r of requests) {
    const haystacks = [r.url, JSON.stringify(r.headers), r.body];
    for (const text of haystacks) {
      for (const form of forms) {
        if (text.includes(form) || text.toUpperCase().includes(form.toUpperCase())) {
          found.push(`${r.method} ${r.url}: contains "${form}"`);
        }
      }
    }
  }
  return found;
}

/** Which of these secrets appear, as given, in a request's URL or body ("METHOD url: secret"). */
export function secretsInRequests(requests: readonly SeenRequest[], secrets: readonly string[]): string[] {
  return requests.flatMap((r) =>
    secrets.filter((s) => r.url.includes(s) || r.body.includes(s)).map((s) => `${r.method} ${r.url}: ${s}`),
  );
}

/** Everything the page could have stored: Web Storage, IndexedDB, Cache Storage, service workers. */
export interface StorageSnapshot {
  readonly localStorage: number;
  readonly sessionStorage: number;
  readonly indexedDb: string[];
  readonly caches: string[];
  readonly serviceWorkers: number;
  readonly text: string;
}

export async function storageSnapshot(page: Page): Promise<StorageSnapshot> {
  return page.evaluate(async () => {
    const dump = (s: Storage) => Object.entries({ ...s }).join("\n");
    const dbs = "databases" in indexedDB ? (await indexedDB.databases()).map((d) => d.name ?? "") : [];
    const cacheNames = "caches" in self ? await caches.keys() : [];
    const workers =
      "serviceWorker" in navigator ? (await navigator.serviceWorker.getRegistrations()).length : 0;
    return {
      localStorage: localStorage.length,
      sessionStorage: sessionStorage.length,
      indexedDb: dbs,
      caches: cacheNames,
      serviceWorkers: workers,
      text: `${dump(localStorage)}\n${dump(sessionStorage)}`,
    };
  });
}

/** Cookie names of the context (the API sets only `__Host-bg_session`). */
export async function cookieNames(context: BrowserContext): Promise<string[]> {
  return (await context.cookies()).map((c) => c.name);
}

/** What a page keeps on the device: localStorage as a map, the other areas counted, its cookie and URL. */
export async function deviceStorage(page: Page) {
  return page.evaluate(async () => ({
    local: Object.fromEntries(Object.entries({ ...localStorage })) as Record<string, string>,
    session: sessionStorage.length,
    idb: (await indexedDB.databases()).length,
    cookie: document.cookie,
    workers: (await navigator.serviceWorker?.getRegistrations())?.length ?? 0,
    url: location.href,
  }));
}
