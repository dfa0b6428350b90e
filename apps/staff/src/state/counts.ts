import type { StaffSession } from "@briefgeheim/client";
import { createEffect, createSignal, onCleanup } from "solid-js";
import { t } from "../i18n/index.js";
import { rosterPeople } from "../lib/roster.js";
import { listView } from "./lists.js";

/**
 * What waits for this person (issue 10, staff item 2), for the menu and the tab title: conversations
 * waiting for an answer they can take (intake, and for a counsellor their own threads where the
 * help-seeker wrote last) and, for supervisors, people waiting for admission. Only counts, from the
 * server's metadata: no subject or name ever reaches the title. Refreshed every 30 s and when the tab
 * becomes visible again, without a click; dropped on lock and sign-out.
 */
export interface Counts {
  readonly waitingThreads: number;
  readonly pendingMembers: number;
}

export const COUNTS_REFRESH_MS = 30_000;

const [counts, setCounts] = createSignal<Counts | undefined>();

export { counts };

export async function loadCounts(staff: StaffSession): Promise<Counts> {
  const supervisor = staff.role === "supervisor";
  const me = rosterPeople(staff).find((p) => p.memberId === staff.memberId);
  const readsIntake = supervisor || me?.intakeReader === true;
  const [intake, mine, team] = await Promise.all([
    // The inbox's lists (shared pages and ETags): every 30 s a 304 per unchanged page.
    readsIntake ? listView(staff, "intake") : Promise.resolve([]),
    supervisor ? Promise.resolve([]) : listView(staff, "mine"),
    supervisor ? staff.listStaff() : Promise.resolve([]),
  ]);
  const waitingMine = mine.filter((x) => !x.intake && x.waitingSince !== null).length;
  return {
    waitingThreads: intake.length + waitingMine,
    pendingMembers: team.filter((m) => m.status === "pending").length,
  };
}

/** The tab title: "(3) Briefgeheim – medewerkers", or the plain title when nothing waits. */
export function titleWith(c: Counts | undefined): string {
  const n = c === undefined ? 0 : c.waitingThreads + c.pendingMembers;
  return t().tabTitleCount(n, t().appTitle);
}

/**
 * Keeps `counts()` fresh while `staff()` is signed in and sets the tab title; call once in the
 * signed-in shell. A failed refresh keeps the last counts (the next one may succeed).
 */
export function useCounts(staff: () => StaffSession | undefined): void {
  let timer: ReturnType<typeof setInterval> | undefined;
  const refresh = async () => {
    const s = staff();
    if (s === undefined || !s.active) return;
    try {
      const next = await loadCounts(s);
      if (staff() === s) setCounts(next);
    } catch {
      // Offline or locked meanwhile: keep what was shown; the inbox says what went wrong.
    }
  };
  const onVisible = () => {
    if (document.visibilityState === "visible") void refresh();
  };
  createEffect(() => {
    if (staff() === undefined) setCounts(undefined);
    else void refresh();
  });
  createEffect(() => {
    const title = titleWith(counts());
    // After setLang's own title (same tick), so a language switch keeps the count.
    queueMicrotask(() => {
      document.title = title;
    });
  });
  timer = setInterval(() => void refresh(), COUNTS_REFRESH_MS);
  document.addEventListener("visibilitychange", onVisible);
  onCleanup(() => {
    if (timer !== undefined) clearInterval(timer);
    timer = undefined;
    document.removeEventListener("visibilitychange", onVisible);
    setCounts(undefined);
    document.title = t().appTitle;
  });
}
