/**
 * Threads as this tab knows them: the inbox lists (server metadata), the decrypted and verified views
 * (plaintext, in memory only, for subjects and search), and which threads are unread. `resetThreads`
 * drops all of it on lock and sign-out.
 */
import type { StaffSession, StaffThreadView } from "@briefgeheim/client";
import type { ThreadSummary } from "@briefgeheim/protocol";
import { createSignal } from "solid-js";
import { byWaitingTime } from "../lib/due.js";
import { rosterPeople } from "../lib/roster.js";
import { errorCode } from "../lib/sdk.js";
import { matches, queryWords } from "../lib/search.js";

export interface Inbox {
  /** Intake (null: the member reads no intake). */
  readonly intake: readonly ThreadSummary[] | null;
  /** "Mine" for counsellors, "all" for supervisors. */
  readonly mine: readonly ThreadSummary[];
  readonly loadedAt: number;
}

/** A decrypted thread (or why it could not be), with the summary it was read for. */
export type Decrypted =
  | { readonly ok: true; readonly key: string; readonly view: StaffThreadView }
  | { readonly ok: false; readonly key: string; readonly code: string };

const [inbox, setInbox] = createSignal<Inbox | undefined>();

export { inbox };

/** Bumped whenever the decrypted cache changes (the Map itself is not reactive). */
const [cacheVersion, setCacheVersion] = createSignal(0);

export { cacheVersion };

let decrypted = new Map<string, Decrypted>();
/** Per thread: the help-seeker's last message time that this user has seen (opened) in this tab. */
let seen = new Map<string, number>();
let queue: string[] = [];
let running = 0;
let generation = 0;
const summaries = new Map<string, ThreadSummary>();

const CONCURRENCY = 2;

/** What must change for a cached view to be stale. */
export function summaryKey(t: ThreadSummary): string {
  return [t.currentEpoch, t.lastSeekerMessageAt, t.lastStaffMessageAt, t.status, t.flagged].join(":");
}

/** Loads the inbox lists and queues every listed thread for decryption. */
export async function refreshInbox(staff: StaffSession): Promise<Inbox> {
  // Intake is for supervisors and the intake readers of the newest verified roster (others get 403).
  await staff.client.helplines.latestRoster(staff.helplineId);
  const me = rosterPeople(staff).find((p) => p.memberId === staff.memberId);
  const readsIntake = staff.role === "supervisor" || me?.intakeReader === true;
  const [intake, mine] = await Promise.all([
    readsIntake ? staff.listThreads("intake") : Promise.resolve(null),
    staff.listThreads(staff.role === "supervisor" ? "all" : "mine"),
  ]);
  const next: Inbox = {
    intake: intake === null ? null : [...intake].sort(byWaitingTime),
    mine: [...mine].filter((t) => !t.intake).sort(byWaitingTime),
    loadedAt: Date.now(),
  };
  setInbox(next);
  for (const t of [...(next.intake ?? []), ...next.mine]) summaries.set(t.id, t);
  queueDecrypt(staff, [...(next.intake ?? []), ...next.mine]);
  return next;
}

/** Queues threads whose cached view is missing or stale. */
export function queueDecrypt(staff: StaffSession, threads: readonly ThreadSummary[]): void {
  for (const t of threads) {
    summaries.set(t.id, t);
    const cached = decrypted.get(t.id);
    if (cached?.key === summaryKey(t) || queue.includes(t.id)) continue;
    queue.push(t.id);
  }
  pump(staff);
}

function pump(staff: StaffSession): void {
  const gen = generation;
  while (running < CONCURRENCY && queue.length > 0) {
    const id = queue.shift()!;
    const summary = summaries.get(id);
    if (summary === undefined) continue;
    running++;
    const key = summaryKey(summary);
    staff
      .readThread(id as never)
      .then(
        (view): Decrypted => ({ ok: true, key, view }),
        (e: unknown): Decrypted => ({ ok: false, key, code: errorCode(e) ?? "UNKNOWN" }),
      )
      .then((result) => {
        if (gen !== generation) return;
        decrypted.set(id, result);
        setCacheVersion((v) => v + 1);
      })
      .finally(() => {
        if (gen !== generation) return;
        running--;
        if (staff.active) pump(staff);
      });
  }
}

/**
 * Drops the threads still waiting to be decrypted (those under way finish). Called when the inbox is
 * left, so background decryption does not compete with what the user does next (a reassignment).
 */
export function stopDecrypting(): void {
  queue = [];
}

/** The decrypted view of a thread, if this tab has it (reactive on the cache). */
export function decryptedOf(threadId: string): Decrypted | undefined {
  cacheVersion();
  return decrypted.get(threadId);
}

/** Stores a view read by the thread screen (fresh), so the inbox shows it at once. */
export function remember(threadId: string, summaryKeyText: string, view: StaffThreadView): void {
  decrypted.set(threadId, { ok: true, key: summaryKeyText, view });
  setCacheVersion((v) => v + 1);
}

/** How many of the listed threads are decrypted (for the search's coverage note). */
export function decryptedCount(ids: readonly string[]): number {
  cacheVersion();
  return ids.filter((id) => decrypted.get(id)?.ok === true).length;
}

// ------------------------------------------------------------------------------------ unread

const [seenVersion, setSeenVersion] = createSignal(0);

/** Unread: the help-seeker wrote after this user last opened the thread in this tab (memory only). */
export function isUnread(t: ThreadSummary): boolean {
  seenVersion();
  if (t.lastSeekerMessageAt === null || t.waitingSince === null) return false;
  return (seen.get(t.id) ?? 0) < t.lastSeekerMessageAt;
}

export function markSeen(t: Pick<ThreadSummary, "id" | "lastSeekerMessageAt">): void {
  seen.set(t.id, t.lastSeekerMessageAt ?? Date.now());
  setSeenVersion((v) => v + 1);
}

// ------------------------------------------------------------------------------------ search

/**
 * Threads whose decrypted subject or any message or note body contains every word of the query
 * (in this tab only: nothing is sent anywhere).
 */
export function searchThreads(ids: readonly string[], query: string): Set<string> {
  cacheVersion();
  const words = queryWords(query);
  const hits = new Set<string>();
  for (const id of ids) {
    const d = decrypted.get(id);
    if (d?.ok !== true) continue;
    const bodies = d.view.messages.filter((m) => m.kind !== "status").map((m) => m.body);
    if (matches(words, [d.view.subject, ...bodies].join("\n"))) hits.add(id);
  }
  return hits;
}

/** Forgets everything (lock, sign-out). */
export function resetThreads(): void {
  generation++;
  decrypted = new Map();
  seen = new Map();
  queue = [];
  running = 0;
  summaries.clear();
  setInbox(undefined);
  setCacheVersion((v) => v + 1);
  setSeenVersion((v) => v + 1);
}

/** The summary of a thread from the loaded inbox lists, if listed. */
export function listedSummary(threadId: string): ThreadSummary | undefined {
  return summaries.get(threadId);
}
