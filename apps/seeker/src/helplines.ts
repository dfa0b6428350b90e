/**
 * The helpline list for the first screen, with a plain `fetch` (public data: names, descriptions,
 * promised reply times, root keys). The SDK is not needed for it, so the list shows before libsodium
 * has loaded; fingerprints are added once it has.
 */
import type { Helpline } from "./sdk/types.js";

interface HelplinePage {
  readonly helplines: Helpline[];
  readonly nextCursor: string | null;
}

/** Every helpline of the deployment (follows the API's paging). Throws on a network or HTTP error. */
export async function fetchHelplines(): Promise<Helpline[]> {
  const all: Helpline[] = [];
  let cursor: string | null = null;
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`;
    const res = await fetch(`/api/helplines?limit=200${query}`, {
      credentials: "same-origin",
      headers: { Accept: "application/json" },
    });
    if (!res.ok) throw new Error(`helplines: HTTP ${res.status}`);
    const page = (await res.json()) as HelplinePage;
    all.push(...page.helplines);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return all;
}
