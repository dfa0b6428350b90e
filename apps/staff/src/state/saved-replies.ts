/**
 * The saved replies of the signed-in session (issue 10, staff item 6), in memory only: loaded once per
 * session for the reply form's picker and signature, loaded again each time the Standaardantwoorden
 * screen opens or saves. The team set is checked again against the newest verified roster each time
 * the reply form takes it from here, so a set whose signer was removed or demoted meanwhile is no longer
 * offered. Keyed by the session object, so another sign-in never sees them and they go with the session.
 */
import type { OwnSavedReplies, StaffSession, TeamSavedReplies } from "@briefgeheim/client";
import { lookup, t } from "../i18n/index.js";
import { errorCode } from "../lib/sdk.js";
import { failure } from "./session.js";

/** A set as loaded: its content, or the sentence that says why it cannot be shown (and its revision). */
export type Loaded<T> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly text: string;
      readonly code: string | undefined;
      readonly revision: number;
    };

export interface SessionReplies {
  readonly own: Loaded<OwnSavedReplies>;
  readonly team: Loaded<TeamSavedReplies>;
}

const loaded = new WeakMap<StaffSession, Promise<SessionReplies>>();

/** Why a loaded set cannot be shown, or undefined when it can. */
export function problemOf<T>(loaded: Loaded<T>): string | undefined {
  return loaded.ok ? undefined : loaded.text;
}

/** The sentence for a saved-replies failure: the screen's own words first, then the app's. */
export function repliesFailure(e: unknown): string {
  const code = errorCode(e);
  return (code === undefined ? undefined : lookup(t().repliesErrors, code)) ?? failure(e);
}

async function settle<T>(p: Promise<T>): Promise<Loaded<T>> {
  try {
    return { ok: true, value: await p };
  } catch (e) {
    const details = (e as { details?: { revision?: unknown } }).details;
    const revision = typeof details?.revision === "number" ? details.revision : 0;
    return { ok: false, text: repliesFailure(e), code: errorCode(e), revision };
  }
}

/**
 * Both sets of `staff`, loaded at most once per session unless `fresh` (the Standaardantwoorden
 * screen). A team set kept from earlier is checked again against the newest roster the session has
 * verified since (the inbox refreshes it): a signer removed or demoted meanwhile turns it into the
 * refusal (`TEAM_REPLIES_SIGNER`), as a fresh load would.
 *
 * @example
 * const { own, team } = await sessionReplies(staff);
 */
export async function sessionReplies(staff: StaffSession, fresh = false): Promise<SessionReplies> {
  const api = staff.savedReplies();
  const kept = fresh ? undefined : loaded.get(staff);
  if (kept === undefined) {
    const p = (async () => ({ own: await settle(api.own()), team: await settle(api.team()) }))();
    loaded.set(staff, p);
    return p;
  }
  const sets = await kept;
  if (!sets.team.ok) return sets;
  const team = sets.team.value;
  const rechecked = await settle(
    Promise.resolve().then(() => {
      api.recheckTeam(team);
      return team;
    }),
  );
  if (rechecked.ok) return sets;
  const next = { ...sets, team: rechecked };
  loaded.set(staff, Promise.resolve(next));
  return next;
}
