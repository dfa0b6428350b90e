/**
 * The app's state, all in memory: which screen shows, the public helpline list, and (while someone
 * writes or reads) the session, the draft and the conversation. `wipeAll()` forgets every secret and
 * every plaintext the app holds: the SDK overwrites the keys, the signals drop the text, and the
 * form fields in the DOM are emptied. Nothing is ever written to storage or to the URL.
 */
import { batch, createSignal } from "solid-js";
import { wipeAttachments } from "./attachments/store.js";
import { safeLockMinutes } from "./safety/lock-minutes.js";
import type {
  Helpline,
  ProfileCheck,
  RootCheck,
  SeekerSession,
  ThreadSummary,
  ThreadView,
} from "./sdk/types.js";

/** Screens with an address (hash route; never a secret in it) and screens that exist only in memory. */
export type Screen =
  | { readonly name: "start" }
  | { readonly name: "helpline"; readonly slug: string }
  | { readonly name: "return" }
  | { readonly name: "safety" }
  | { readonly name: "write" }
  | { readonly name: "ceremony" }
  | { readonly name: "threads" }
  | { readonly name: "conversation"; readonly threadId: string };

/** A calm message on the start screen after the app closed something on the user's behalf. */
export type Notice = "locked" | "signed-out" | "deleted" | "expired" | "left-text" | "left-code";

export const [screen, setScreen] = createSignal<Screen>({ name: "start" });
export const [notice, setNotice] = createSignal<
  { readonly kind: Notice; readonly minutes?: number } | undefined
>();

/** The public helpline list (plain fetch) and, once the SDK has loaded, how each root is trusted. */
export const [helplines, setHelplines] = createSignal<Helpline[] | undefined>();
export const [helplinesFailed, setHelplinesFailed] = createSignal(false);
export const [roots, setRoots] = createSignal<Readonly<Record<string, RootCheck>>>({});
/** Each helpline's signed profile as verified against the pin; only `open` ones are shown by name. */
export const [profiles, setProfiles] = createSignal<Readonly<Record<string, ProfileCheck>>>({});

/** The helpline being written to or read (public data). */
export const [current, setCurrent] = createSignal<Helpline | undefined>();

/** True while a session with keys exists (the keys themselves stay inside the SDK). */
export const [signedIn, setSignedIn] = createSignal(false);
/** The help-seeker has shown they hold the code (typed part of it back, or typed it to return). */
export const [codeConfirmed, setCodeConfirmed] = createSignal(false);

/** Plaintext: the first message being written, and a reply being written. */
export const [subject, setSubject] = createSignal("");
export const [body, setBody] = createSignal("");
export const [reply, setReply] = createSignal("");
/** What was just sent, for the "sent" state (issue 10, item 4); cleared when writing again. */
export const [justSent, setJustSent] = createSignal<"first" | "reply" | undefined>();
/** A draft saved under the code was put back into the form (returning help-seeker). */
export const [restoredDraft, setRestoredDraft] = createSignal(false);

/** Plaintext: the open conversation and the help-seeker's thread list. */
export const [view, setView] = createSignal<ThreadView | undefined>();
export const [summaries, setSummaries] = createSignal<ThreadSummary[]>([]);
export const [tampered, setTampered] = createSignal(false);

/** Minutes of inactivity before the automatic lock, from the helpline (15 before one is chosen). */
export const lockMinutes = (): number => safeLockMinutes(current()?.lockAfterMinutes);

const holder: { session: SeekerSession | undefined; hadSession: boolean; wipes: number } = {
  session: undefined,
  hadSession: false,
  wipes: 0,
};

/** How many times `wipeAll()` ran: work that started before a wipe must not revive its results. */
export function wipeCount(): number {
  return holder.wipes;
}

/** The SDK failed to load (e.g. WebAssembly blocked): what to tell the help-seeker, or "". */
export const [sdkError, setSdkError] = createSignal("");

/** The live session (keys inside the SDK), if any. */
export function session(): SeekerSession | undefined {
  return holder.session;
}

export function setSession(next: SeekerSession): void {
  holder.session?.wipe();
  holder.session = next;
  holder.hadSession = true;
  setSignedIn(true);
}

/** The server ended the session itself (the last conversation was deleted): no sign-out to send. */
export function sessionEndedByServer(): void {
  holder.hadSession = false;
}

/** True when this page opened a server session at some point (so a sign-out is worth sending). */
export function hadSession(): boolean {
  return holder.hadSession;
}

/** Text that is typed but not sent (the first message or a reply). */
export function hasUnsentText(): boolean {
  return subject() !== "" || body() !== "" || reply() !== "";
}

/** True when there is something worth locking: a session, or text typed before a code exists. */
export function hasSensitiveState(): boolean {
  return signedIn() || subject() !== "" || body() !== "" || reply() !== "";
}

/**
 * Forgets every key and plaintext the app holds: the SDK overwrites the keys and forgets the code,
 * the signals drop the texts and the conversation, and every form field is emptied. Synchronous
 * (the quick exit runs it before leaving). JavaScript strings cannot be overwritten; dropping every
 * reference is the best a page can do (docs/THREAT-MODEL.md, T2).
 */
export function wipeAll(): void {
  holder.wipes++;
  try {
    holder.session?.wipe();
  } finally {
    holder.session = undefined;
    batch(() => {
      setSignedIn(false);
      setCodeConfirmed(false);
      setSubject("");
      setBody("");
      setReply("");
      setRestoredDraft(false);
      setJustSent(undefined);
      setView(undefined);
      setSummaries([]);
      setTampered(false);
      setCurrent(undefined);
    });
    wipeAttachments(); // slice B: aborts uploads and downloads, drops files, revokes blob: URLs
    for (const field of document.querySelectorAll<HTMLInputElement | HTMLTextAreaElement>(
      "input, textarea",
    )) {
      field.value = "";
    }
  }
}

/**
 * Ends the server session without waiting: a `keepalive` request survives the page being replaced
 * (quick exit) and the server's answer clears the session cookie. Best effort; the session also
 * ends by itself when idle, and the cookie when the browser closes.
 */
export function signOutInBackground(force = false): void {
  if (!holder.hadSession && !force) return;
  holder.hadSession = false;
  try {
    void fetch("/api/auth/sign-out", {
      method: "POST",
      keepalive: true,
      credentials: "same-origin",
      headers: { "Content-Type": "application/json" },
      body: "{}",
    }).catch(() => undefined);
  } catch {
    // Nothing to do: leaving matters more than signing out.
  }
}
