/**
 * The signed-in staff member. The StaffSession holds the keys in memory only; locking, signing out and
 * an expired server session all wipe them, and with them every decrypted text this tab holds.
 */
import type { StaffSession, StaffSignInProgress } from "@briefgeheim/client";
import { createSignal } from "solid-js";
import { wipeAttachments } from "../attachments/store.js";
import { errorText, SESSION_GONE } from "../lib/errors.js";
import { errorCode, getClient, loadSdk } from "../lib/sdk.js";
import { currentView, show, type View } from "./nav.js";
import { prestartPool, resetThreads } from "./threads.js";

const [staff, setStaff] = createSignal<StaffSession | undefined>(undefined, { equals: false });

export { staff };

/** The one-time recovery sheet after accepting an invite (in memory until the user moves on). */
export interface RecoverySheet {
  readonly username: string;
  readonly displayName: string;
  readonly helplineName: string;
  readonly role: "counsellor" | "supervisor";
  readonly recoveryKeyText: string;
  readonly rootRecoveryText?: string;
  readonly fingerprint?: string;
  /** The new member's safety code, shown again on the waiting page (not printed: not a secret). */
  readonly safetyCode: string;
  readonly createdAt: number;
  /** Where to go after the sheet: the app (already signed in) or the waiting page. */
  readonly next: "app" | "pending";
}

const [sheet, setSheet] = createSignal<RecoverySheet | undefined>();

export { setSheet, sheet };

/** The current session or an error (views are only rendered while one exists). */
export function requireStaff(): StaffSession {
  const s = staff();
  if (s === undefined || !s.active) throw new Error("not signed in");
  return s;
}

/**
 * Signs in with username and passphrase (Argon2id in this tab; progress through `onProgress`).
 *
 * @example
 * await signIn("anna", passphrase, (step) => setStep(step));
 */
export async function signIn(
  username: string,
  passphrase: string,
  onProgress: (step: StaffSignInProgress | "loading") => void,
): Promise<StaffSession> {
  onProgress("loading");
  const [sdk, client] = await Promise.all([loadSdk(), getClient()]);
  // signInStaff lets its progress text paint before Argon2id occupies the main thread.
  const session = await sdk.signInStaff(client, { username, passphrase, onProgress });
  setStaff(session);
  startIdleLock(session.helpline.lockAfterMinutes);
  return session;
}

/**
 * While a sign-in form shows: loads the SDK, touches Argon2id's memory in the background, so the
 * derivation after the click does not pay the first touch of 64 MiB (`warmUpKeyDerivation`), and
 * starts the crypto workers the inbox will use.
 */
export function prepareSignIn(): void {
  void Promise.all([loadSdk(), getClient()])
    .then(([sdk, client]) => {
      sdk.warmUpKeyDerivation(client);
      prestartPool(client.sodium);
    })
    .catch(() => undefined); // signing in loads it again and says what failed
}

/** After signing in: the view to show. */
export function enterApp(resume?: View): void {
  show({ name: "app", view: resume ?? { name: "inbox" } });
}

/**
 * Wipes keys and every decrypted text at once; the server session is ended too (best effort, in the
 * background: the returned promise settles when the server has answered), unless the server has
 * ended it already.
 */
function endSession(serverEnded = false): { session: StaffSession | undefined; ended: Promise<void> } {
  stopIdleLock();
  const s = staff();
  setStaff(undefined);
  resetThreads();
  wipeAttachments(); // slice B: aborts transfers, drops picked files, revokes blob: URLs
  let ended = Promise.resolve();
  if (s !== undefined) {
    s.wipe();
    // The sign-out request needs no key: the browser sends the HttpOnly session cookie.
    if (!serverEnded) ended = s.signOut().catch(() => undefined);
  }
  return { session: s, ended };
}

/** Signs out on request. */
export async function signOut(): Promise<void> {
  const { ended } = endSession();
  setSheet(undefined);
  show({ name: "sign-in", notice: "signed-out" });
  await ended;
}

/** Locks after inactivity: keys and plaintext are wiped; the passphrase opens a new session. */
export async function lock(): Promise<void> {
  const resume = currentView() ?? { name: "inbox" };
  const { session, ended } = endSession();
  show({ name: "locked", username: session?.username ?? "", resume });
  await ended;
}

/** The server ended the session (expired, removed): wipe and say why. */
export function sessionLost(code: string | undefined): void {
  endSession(true);
  show({ name: "sign-in", notice: code === "ACCOUNT_REMOVED" ? "removed" : "expired" });
}

// ------------------------------------------------------------------------------ inactivity lock

const ACTIVITY_EVENTS = ["pointerdown", "keydown", "wheel", "touchstart", "focusin"] as const;
let timer: ReturnType<typeof setTimeout> | undefined;
let lockAfterMs = 15 * 60_000;

function resetTimer(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = setTimeout(() => void lock(), lockAfterMs);
}

/** Locks the app after `minutes` without keyboard, pointer or focus activity. */
export function startIdleLock(minutes: number): void {
  lockAfterMs = Math.max(1, minutes) * 60_000;
  for (const e of ACTIVITY_EVENTS) window.addEventListener(e, resetTimer, { passive: true, capture: true });
  resetTimer();
}

function stopIdleLock(): void {
  if (timer !== undefined) clearTimeout(timer);
  timer = undefined;
  for (const e of ACTIVITY_EVENTS) window.removeEventListener(e, resetTimer, { capture: true });
}

/** Minutes until the inactivity lock (for the footer). */
export function lockMinutes(): number {
  return Math.round(lockAfterMs / 60_000);
}

/**
 * The text to show for an error in a signed-in view; when the server ended the session (expired,
 * removed) the app wipes everything and returns to sign-in instead.
 */
export function failure(e: unknown): string {
  const code = errorCode(e);
  // Only while signed in: a request that was still under way when the app locked changes nothing.
  if (code !== undefined && SESSION_GONE.has(code) && staff() !== undefined) sessionLost(code);
  return errorText(e);
}
