/**
 * What the screens ask for, in one place: each action calls the SDK (loaded lazily), updates the
 * in-memory state and moves to the next screen. Screens render state and call these.
 */
import { batch } from "solid-js";
import { firstFiles, loadFileLimits, replyFiles, uploadFiles } from "./attachments/send.js";
import { errorMessage, isSessionGone } from "./errors.js";
import { fetchHelplines } from "./helplines.js";
import { forgetResume, show } from "./router.js";
import { loadSdk } from "./sdk/load.js";
import type { Helpline, SeekerProgress, SeekerSession } from "./sdk/types.js";
import {
  body,
  current,
  reply,
  session,
  sessionEndedByServer,
  setBody,
  setCodeConfirmed,
  setCurrent,
  setHelplines,
  setHelplinesFailed,
  setJustSent,
  setNotice,
  setProfiles,
  setReply,
  setRestoredDraft,
  setRoots,
  setSdkError,
  setSession,
  setSubject,
  setSummaries,
  setTampered,
  setView,
  signOutInBackground,
  subject,
  wipeAll,
  wipeCount,
} from "./state.js";
import { trackWork } from "./work.js";

/** Loads the public helpline list, then (with the SDK) how this build trusts each root. */
export async function loadHelplines(): Promise<void> {
  setHelplinesFailed(false);
  let list: Helpline[];
  try {
    list = await fetchHelplines();
  } catch {
    setHelplinesFailed(true);
    return;
  }
  setHelplines(list);
  try {
    const sdk = await loadSdk();
    await sdk.getClient(); // libsodium loaded and self-checked
    const checks = await Promise.all(list.map(async (h) => [h.id, await sdk.checkRoot(h)] as const));
    setRoots(Object.fromEntries(checks));
    // Names and descriptions only from profiles that verify against the pin (docs/PROTOCOL.md §10).
    const verified = await Promise.all(
      checks.map(async ([id, root]) => {
        // Not set up yet, or set up but not yet pinned in this build by the operator (docs/DEPLOY.md):
        // both are plainly "not open yet"; nothing the server says about the helpline is shown.
        if (root.status === "not-ready" || root.status === "unpinned") {
          return [id, { status: "not-open" } as const] as const;
        }
        if (root.status !== "pinned" && root.status !== "first-use") {
          return [id, { status: "unusable" } as const] as const;
        }
        return [id, await sdk.verifyProfile(id)] as const;
      }),
    );
    setProfiles(Object.fromEntries(verified));
  } catch (e) {
    setSdkError(errorMessage(e));
  }
}

/** A session that arrives after a wipe (quick exit, lock) is wiped and ended at once, never kept. */
function keepUnlessWiped(s: SeekerSession, wipesBefore: number): void {
  if (wipeCount() !== wipesBefore) {
    s.wipe();
    signOutInBackground(true);
    throw Object.assign(new Error("wiped while starting"), { code: "WIPED" });
  }
  setSession(s);
  void loadFileLimits(s);
}

/** Opens the writing screen for a helpline. A session of another helpline is closed first. */
export function startWriting(helpline: Helpline): void {
  const s = session();
  if (s !== undefined && s.helplineId !== helpline.id) {
    closeEverything();
    signOutInBackground();
  }
  setCurrent(helpline);
  show({ name: "write" });
}

/** Makes a new code in this browser, derives the keys and signs in (the ceremony's first step). */
export async function makeCode(onProgress: (step: SeekerProgress) => void): Promise<SeekerSession> {
  const helpline = current();
  if (helpline === undefined) throw new Error("no helpline chosen");
  const wipes = wipeCount();
  const sdk = await loadSdk();
  const work = trackWork();
  try {
    const s = await sdk.startNew(helpline.id, onProgress, work.onWork);
    keepUnlessWiped(s, wipes);
    return s;
  } finally {
    work.done();
  }
}

/** The draft context of a first message (the SDK's naming). */
async function newContext(s: SeekerSession) {
  return (await loadSdk()).newDraftContext(s.helplineId);
}

async function replyContext(threadId: string) {
  return (await loadSdk()).replyDraftContext(threadId as Parameters<SeekerSession["readThread"]>[0]);
}

/** Saves the first message as an encrypted draft (only once a code exists). */
export async function saveFirstDraft(): Promise<number | undefined> {
  const s = session();
  if (s === undefined) return undefined;
  const ctx = await newContext(s);
  if (subject() === "" && body() === "") {
    await s.deleteDraft(ctx);
    return undefined;
  }
  return (await s.saveDraft(ctx, { subject: subject(), body: body() })).updatedAt;
}

/** Sends the first message: a new thread, granted to the help-seeker and the helpline's intake. */
export async function sendFirst(): Promise<void> {
  const s = session();
  if (s === undefined) throw new Error("no session");
  const work = trackWork();
  let opened: Awaited<ReturnType<SeekerSession["openThread"]>>;
  try {
    const attachments = await uploadFiles(s, { newConversation: true }, firstFiles);
    opened = await s.openThread({ subject: subject(), body: body() }, { onWork: work.onWork, attachments });
  } finally {
    work.done();
  }
  firstFiles.clear();
  batch(() => {
    setSubject("");
    setBody("");
    setCodeConfirmed(true);
    setJustSent("first");
  });
  try {
    await s.deleteDraft(await newContext(s));
  } catch {
    // The draft expires with the account's other drafts; the message itself is sent.
  }
  await openConversation(opened.threadId);
}

/**
 * Opens a session from a typed code and shows what belongs to it: the conversation, a list of
 * several, or a restored draft. A typo is caught by the SDK before any request.
 */
export async function resumeWithCode(
  code: string,
  onProgress: (step: SeekerProgress) => void,
): Promise<void> {
  const wipes = wipeCount();
  const sdk = await loadSdk();
  const work = trackWork();
  let s: SeekerSession;
  try {
    s = await sdk.resume(code, onProgress, work.onWork);
  } finally {
    work.done();
  }
  keepUnlessWiped(s, wipes);
  batch(() => {
    setCurrent(s.helpline);
    setCodeConfirmed(true);
    setNotice(undefined);
  });
  const threads = await s.listThreads();
  setSummaries(threads);
  if (threads.length === 1) {
    await openConversation(threads[0]!.id);
    return;
  }
  if (threads.length > 1) {
    show({ name: "threads" });
    return;
  }
  const draft = await s.loadDraft(await newContext(s));
  if (draft !== null) {
    batch(() => {
      setSubject(draft.subject);
      setBody(draft.body);
      setRestoredDraft(true);
    });
    show({ name: "write" });
    return;
  }
  throw Object.assign(new Error("no conversation for this code"), { code: "NO_CONVERSATION" });
}

/** Reads a conversation (verified end to end by the SDK) and its reply draft, and shows it. */
export async function openConversation(threadId: string): Promise<void> {
  await refreshConversation(threadId);
  show({ name: "conversation", threadId });
  const s = session();
  if (s === undefined) return;
  try {
    const draft = await s.loadDraft(await replyContext(threadId));
    if (draft !== null && reply() === "") setReply(draft.body);
  } catch {
    // A draft that cannot be read is not worth an error here.
  }
}

/** Reloads a conversation's messages and metadata. */
export async function refreshConversation(threadId: string): Promise<void> {
  const s = session();
  if (s === undefined) throw Object.assign(new Error("wiped"), { code: "WIPED" });
  const id = threadId as Parameters<SeekerSession["readThread"]>[0];
  try {
    const [thread, threads] = await Promise.all([s.readThread(id), s.listThreads()]);
    batch(() => {
      setTampered(false);
      setView(thread);
      setSummaries(threads);
    });
  } catch (e) {
    if ((e as { code?: unknown }).code === "THREAD_TAMPERED") {
      batch(() => {
        setTampered(true);
        setView(undefined);
      });
      return;
    }
    throw e;
  }
}

/** Saves the reply being written as an encrypted draft (or deletes it when emptied). */
export async function saveReplyDraft(threadId: string): Promise<number | undefined> {
  const s = session();
  if (s === undefined) return undefined;
  const ctx = await replyContext(threadId);
  if (reply() === "") {
    await s.deleteDraft(ctx);
    return undefined;
  }
  return (await s.saveDraft(ctx, { subject: "", body: reply() })).updatedAt;
}

/** Sends the reply, forgets its draft and reloads the conversation. */
export async function sendReply(threadId: string): Promise<void> {
  const s = session();
  if (s === undefined) throw Object.assign(new Error("wiped"), { code: "WIPED" });
  const id = threadId as Parameters<SeekerSession["reply"]>[0];
  const attachments = await uploadFiles(s, { threadId }, replyFiles);
  await s.reply(id, reply(), { attachments });
  replyFiles.clear();
  batch(() => {
    setReply("");
    setJustSent("reply");
  });
  try {
    await s.deleteDraft(await replyContext(threadId));
  } catch {
    // Sent is what matters.
  }
  await refreshConversation(threadId);
}

/** Deletes the whole conversation for good, then closes everything. */
export async function deleteConversation(threadId: string): Promise<void> {
  const s = session();
  if (s === undefined) throw Object.assign(new Error("wiped"), { code: "WIPED" });
  const { signedOut } = await s.deleteThread(threadId as Parameters<SeekerSession["deleteThread"]>[0]);
  closeEverything();
  // The server ended the session itself when this was the last conversation: nothing to sign out of.
  if (signedOut) sessionEndedByServer();
  else signOutInBackground();
  setNotice({ kind: "deleted" });
  show({ name: "start" });
}

/** Signs out (the server ends the session and clears the cookie) and wipes everything. */
export async function signOut(): Promise<void> {
  const s = session();
  try {
    await s?.signOut();
  } catch {
    signOutInBackground();
  }
  closeEverything();
  setNotice({ kind: "signed-out" });
  show({ name: "start" });
}

/** The automatic lock: wipe, sign out in the background, and say why on the start screen. */
export function lock(minutes: number): void {
  closeEverything();
  signOutInBackground();
  setNotice({ kind: "locked", minutes });
  show({ name: "start" });
}

/** Any action that finds the session gone (expired on the server, wiped) ends up here. */
export function handleFailure(e: unknown): boolean {
  if (!isSessionGone(e)) return false;
  closeEverything();
  signOutInBackground();
  setNotice({ kind: "expired" });
  show({ name: "start" });
  return true;
}

function closeEverything(): void {
  wipeAll();
  forgetResume();
  setSummaries([]);
}
