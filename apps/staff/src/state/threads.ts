/**
 * Threads as this tab knows them: the inbox lists (server metadata), the decrypted and verified views
 * (plaintext, in memory only, for subjects and search), and which threads are unread. `resetThreads`
 * drops all of it on lock and sign-out.
 */
import type { InboxView, StaffSession, StaffThreadView, WorkRunner } from "@briefgeheim/client";
import type { Sodium } from "@briefgeheim/crypto";
import type { ThreadSummary } from "@briefgeheim/protocol";
import { createSignal } from "solid-js";
import { byWaitingTime } from "../lib/due.js";
import { rosterPeople } from "../lib/roster.js";
import { errorCode } from "../lib/sdk.js";
import { fold, queryWords } from "../lib/search.js";
import { startCryptoPool } from "../workers/pool.js";
import { listView, resetLists } from "./lists.js";

export interface Inbox {
  /** Intake (null: the member reads no intake). */
  readonly intake: readonly ThreadSummary[] | null;
  /** "Mine" for counsellors, "all" for supervisors. */
  readonly mine: readonly ThreadSummary[];
  readonly loadedAt: number;
  /** False while the first load shows the lists' first pages and the rest is still coming. */
  readonly complete: boolean;
}

/** A decrypted thread (or why it could not be), with the summary it was read for. */
export type Decrypted =
  | { readonly ok: true; readonly key: string; readonly view: StaffThreadView }
  | { readonly ok: false; readonly key: string; readonly code: string };

const [inbox, setInbox] = createSignal<Inbox | undefined>();

export { inbox };

/**
 * Bumped when the decrypted cache changes, at most every `BUMP_MS` (search and counts read it); each
 * row reads only its own thread's signal, so one thread verified re-renders one row, not the list.
 */
const [cacheVersion, setCacheVersion] = createSignal(0);

export { cacheVersion };

const BUMP_MS = 150;
let bumpTimer: ReturnType<typeof setTimeout> | undefined;
function bump(): void {
  if (bumpTimer !== undefined) return;
  bumpTimer = setTimeout(() => {
    bumpTimer = undefined;
    setCacheVersion((v) => v + 1);
  }, BUMP_MS);
}

type Cell = ReturnType<typeof createSignal<Decrypted | undefined>>;
let cells = new Map<string, Cell>();
function cell(threadId: string): Cell {
  let c = cells.get(threadId);
  if (c === undefined) {
    c = createSignal<Decrypted | undefined>(undefined, { equals: false });
    cells.set(threadId, c);
  }
  return c;
}

let decrypted = new Map<string, Decrypted>();
/**
 * Per thread, its subject and bodies folded for search (lib/search.ts), made at its first search after
 * it was stored: a query typed while 1,000 conversations are verified is answered again at every
 * update (`BUMP_MS`), and folding every text each time cost one pass over all plaintext per update.
 */
let haystacks = new Map<string, string>();
/** Per thread: the help-seeker's last message time that this user has seen (opened) in this tab. */
let seen = new Map<string, number>();
let queue: string[] = [];
let running = false;
/** Threads being read now, with the summary key they are read for (not queued twice). */
let inFlight = new Map<string, string>();
let halted = false;
let generation = 0;
const summaries = new Map<string, ThreadSummary>();

/** Threads per round of batch reads; the SDK asks the server for 50 at a time within it. */
const ROUND = 200;

/** What must change for a cached view to be stale. */
export function summaryKey(t: ThreadSummary): string {
  return [t.currentEpoch, t.lastSeekerMessageAt, t.lastStaffMessageAt, t.status, t.flagged].join(":");
}

/**
 * Loads the inbox lists and queues every listed thread for decryption, oldest waiting first. The first
 * load of a session shows the lists as soon as each has its first page (the server sends them oldest
 * waiting first, so the head is in its final order) and starts decrypting those while the rest comes.
 */
export async function refreshInbox(staff: StaffSession): Promise<Inbox> {
  // Intake is for supervisors and the intake readers of the newest verified roster (others get 403).
  await staff.client.helplines.latestRoster(staff.helplineId);
  // The crypto workers start (script checked, libsodium compiled) while the lists load, not after.
  void ensurePool(staff);
  const me = rosterPeople(staff).find((p) => p.memberId === staff.memberId);
  const readsIntake = staff.role === "supervisor" || me?.intakeReader === true;
  const gen = generation;
  // The lists so far (undefined: no page yet), and how many lists are complete.
  const heads: { intake: readonly ThreadSummary[] | null | undefined; mine?: readonly ThreadSummary[] } = {
    intake: readsIntake ? undefined : null,
  };
  let complete = readsIntake ? 0 : 1;
  const first = inbox() === undefined;
  const seen = (list: "intake" | "mine", whole: boolean) => (soFar: readonly ThreadSummary[]) => {
    heads[list] = soFar;
    if (whole) complete++;
    // Shown early only on the first load, once every list has a page, and not when all are complete
    // (the final show below does that).
    if (!first || complete === 2 || gen !== generation) return;
    if (heads.intake === undefined || heads.mine === undefined) return;
    show(staff, inboxOf(heads.intake, heads.mine, false));
  };
  const list = (view: InboxView, name: "intake" | "mine") =>
    listView(staff, view, seen(name, false)).then((all) => {
      seen(name, true)(all);
      return all;
    });
  const [intake, mine] = await Promise.all([
    readsIntake ? list("intake", "intake") : Promise.resolve(null),
    list(staff.role === "supervisor" ? "all" : "mine", "mine"),
  ]);
  const next = inboxOf(intake, mine, true);
  if (gen === generation) show(staff, next);
  return next;
}

function inboxOf(
  intake: readonly ThreadSummary[] | null,
  mine: readonly ThreadSummary[],
  complete: boolean,
): Inbox {
  return {
    intake: intake === null ? null : [...intake].sort(byWaitingTime),
    mine: mine.filter((t) => !t.intake).sort(byWaitingTime),
    loadedAt: Date.now(),
    complete,
  };
}

function show(staff: StaffSession, next: Inbox): void {
  setInbox(next);
  queueDecrypt(staff, [...(next.intake ?? []), ...next.mine].sort(byWaitingTime));
}

/** Queues threads whose cached view is missing or stale (in the order given). */
export function queueDecrypt(staff: StaffSession, threads: readonly ThreadSummary[]): void {
  halted = false;
  const queued = new Set(queue);
  for (const t of threads) {
    summaries.set(t.id, t);
    const cached = decrypted.get(t.id);
    const key = summaryKey(t);
    if (cached?.key === key || inFlight.get(t.id) === key || queued.has(t.id)) continue;
    queue.push(t.id);
    queued.add(t.id);
  }
  pump(staff);
}

function store(id: string, result: Decrypted): void {
  decrypted.set(id, result);
  haystacks.delete(id);
  cell(id)[1](result);
  bump();
}

/** Pools being started, per session (a session's pool is started once; the session ends it on wipe). */
const pools = new WeakMap<StaffSession, Promise<void>>();

/**
 * A pool started while a sign-in form shows, for the next session to take: its workers check and
 * compile their script while the person types instead of beside the first list. It holds no key until
 * a session sends it jobs, and the session ends it on wipe like any other.
 */
let spare: Promise<WorkRunner | undefined> | undefined;

export function prestartPool(sodium: Sodium): void {
  spare ??= startCryptoPool(sodium).catch(() => undefined);
}

/**
 * Gives the session its pool of crypto workers (workers/pool.ts) before the first batch read, so the
 * inbox is verified off the main thread; without one (no Worker, a failed integrity check) the SDK
 * verifies on the main thread in slices, as before. Lock, sign-out and an ended session wipe the
 * session, which terminates the workers and the keys they were sent.
 */
export function ensurePool(staff: StaffSession): Promise<void> {
  let started = pools.get(staff);
  if (started === undefined) {
    const starting = spare ?? startCryptoPool(staff.client.sodium);
    spare = undefined;
    started = starting
      .then((pool) => {
        if (pool === undefined) return;
        if (staff.active) staff.useWorkers(pool);
        else pool.close();
      })
      .catch(() => undefined); // no pool: the main thread verifies
    pools.set(staff, started);
  }
  return started;
}

/** One loop at a time: rounds of batch reads, each thread stored as soon as it is verified. */
function pump(staff: StaffSession): void {
  if (running) return;
  running = true;
  const gen = generation;
  const stop = () => gen !== generation || halted || !staff.active;
  void (async () => {
    try {
      await ensurePool(staff);
      while (queue.length > 0 && !stop()) {
        const ids = queue.splice(0, ROUND);
        const keys = new Map(ids.map((id) => [id, summaryKey(summaries.get(id)!)]));
        inFlight = new Map(keys);
        try {
          await staff.readThreads(
            ids as never[],
            (r) => {
              if (gen !== generation) return;
              const key = keys.get(r.threadId) ?? "";
              inFlight.delete(r.threadId);
              store(
                r.threadId,
                r.ok ? { ok: true, key, view: r.view } : { ok: false, key, code: r.error.code },
              );
            },
            stop,
          );
        } catch (e) {
          // The batch as a whole failed (network, session): each thread says so; a refresh retries.
          if (gen !== generation) return;
          const code = errorCode(e) ?? "UNKNOWN";
          for (const id of ids) if (!decrypted.has(id)) store(id, { ok: false, key: "", code });
        }
      }
    } finally {
      if (gen === generation) {
        running = false;
        inFlight = new Map();
      }
    }
  })();
}

/**
 * Stops background decryption after the thread being verified (the rest stays queued for the next
 * refresh). Called when the inbox is left, so it does not compete with what the user does next (a
 * reassignment).
 */
export function stopDecrypting(): void {
  halted = true;
  queue = [];
}

/** The decrypted view of a thread, if this tab has it (reactive on that thread only). */
export function decryptedOf(threadId: string): Decrypted | undefined {
  return cell(threadId)[0]();
}

/** Stores a view read by the thread screen (fresh), so the inbox shows it at once. */
export function remember(threadId: string, summaryKeyText: string, view: StaffThreadView): void {
  store(threadId, { ok: true, key: summaryKeyText, view });
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
  if (words.length === 0) return hits;
  for (const id of ids) {
    const d = decrypted.get(id);
    if (d?.ok !== true) continue;
    let folded = haystacks.get(id);
    if (folded === undefined) {
      const bodies = d.view.messages.filter((m) => m.kind !== "status").map((m) => m.body);
      folded = fold([d.view.subject, ...bodies].join("\n"));
      haystacks.set(id, folded);
    }
    const text = folded;
    if (words.every((w) => text.includes(w))) hits.add(id);
  }
  return hits;
}

/** Forgets everything (lock, sign-out). */
export function resetThreads(): void {
  generation++;
  decrypted = new Map();
  haystacks = new Map();
  cells = new Map();
  seen = new Map();
  queue = [];
  running = false;
  inFlight = new Map();
  resetLists();
  summaries.clear();
  setInbox(undefined);
  setCacheVersion((v) => v + 1);
  setSeenVersion((v) => v + 1);
}

/**
 * Brings a listed thread's flag, status and epoch in line with what the thread screen just read, so the
 * inbox does not show a resolved flag or an old status until the next list refresh. Returns the patched
 * summary (undefined when the thread is not listed).
 */
export function patchListed(
  threadId: string,
  fresh: Pick<ThreadSummary, "flagged" | "status" | "currentEpoch">,
): ThreadSummary | undefined {
  const old = summaries.get(threadId);
  if (old === undefined) return undefined;
  const next: ThreadSummary = { ...old, ...fresh };
  summaries.set(threadId, next);
  const box = inbox();
  if (box !== undefined) {
    const swap = (list: readonly ThreadSummary[]) => list.map((t) => (t.id === threadId ? next : t));
    setInbox({ ...box, intake: box.intake === null ? null : swap(box.intake), mine: swap(box.mine) });
  }
  return next;
}
