/**
 * The inbox lists as this tab asks the server for them, shared by the inbox and the menu's counts:
 * each list's pages are kept with their ETags (memory only), so a refresh costs a `304` per unchanged
 * page, and a list already being fetched is joined instead of fetched a second time (the counts and
 * the inbox both start when the app shell opens).
 */
import type { InboxView, ListSnapshot, StaffSession } from "@briefgeheim/client";
import type { ThreadSummary } from "@briefgeheim/protocol";

type OnPage = (soFar: readonly ThreadSummary[]) => void;

interface Listing {
  readonly session: StaffSession;
  readonly threads: Promise<ThreadSummary[]>;
  /** Told of each page but the last (the inbox shows a long list's head early). */
  readonly onPage: Set<OnPage>;
}

let snapshots = new Map<InboxView, ListSnapshot>();
let listing = new Map<InboxView, Listing>();

/**
 * One list, every page, asked with the ETags of the last answer. `onPage` sees the threads so far after
 * each page but the last; a call that joins a listing under way sees the pages still to come.
 *
 * @example
 * const mine = await listView(staff, "mine");
 */
export function listView(staff: StaffSession, view: InboxView, onPage?: OnPage): Promise<ThreadSummary[]> {
  const running = listing.get(view);
  if (running !== undefined && running.session === staff) {
    if (onPage !== undefined) running.onPage.add(onPage);
    return running.threads;
  }
  const listeners = new Set<OnPage>(onPage === undefined ? [] : [onPage]);
  const held = snapshots;
  const threads = staff
    .listThreadsWithTags(view, held.get(view), (soFar) => {
      for (const tell of listeners) tell(soFar);
    })
    .then((listed) => {
      held.set(view, listed.snapshot);
      return listed.threads;
    })
    .finally(() => {
      if (listing.get(view)?.threads === threads) listing.delete(view);
    });
  listing.set(view, { session: staff, threads, onPage: listeners });
  return threads;
}

/** Forgets the pages and any listing under way (lock, sign-out). */
export function resetLists(): void {
  snapshots = new Map();
  listing = new Map();
}
