import type { StaffThreadView } from "@briefgeheim/client";
import { createSignal, onCleanup, onMount, Show } from "solid-js";
import { discard, loadFileLimits, sendErrorText, uploadAll } from "../attachments/send.js";
import { createFileList, dropList } from "../attachments/store.js";
import { AttachmentPicker } from "../components/AttachmentPicker.js";
import { CountedTextArea } from "../components/CharCounter.js";
import { Alert, Status } from "../components/common.js";
import { formatDateTime, t } from "../i18n/index.js";
import { charCount, MAX_MESSAGE_CHARS } from "../lib/limits.js";
import { refusalText } from "../lib/rate-limit.js";
import { errorCode, loadSdk } from "../lib/sdk.js";
import { go } from "../state/nav.js";
import { sessionReplies } from "../state/saved-replies.js";
import { failure, requireStaff } from "../state/session.js";
import { markSeen, patchListed, remember, summaryKey } from "../state/threads.js";
import { ManagePanel } from "./thread/ManagePanel.js";
import { Conversation, NotesList } from "./thread/Messages.js";
import { SavedReplyPicker } from "./thread/SavedReplyPicker.js";
import { LoadFailure, ThreadFacts } from "./thread/ThreadFacts.js";

const AUTOSAVE_MS = 1200;

/**
 * One thread: verified history (each message marked; a clear warning when anything fails), the reply
 * with an encrypted autosaved draft, internal notes apart, status, "ask supervisor", claim (intake) and
 * assign (supervisors).
 */
export function Thread(props: { threadId: string }) {
  const staff = requireStaff();
  const threadId = props.threadId;
  const [view, setView] = createSignal<StaffThreadView | undefined>();
  const [loadFailure, setLoadFailure] = createSignal<{ code: string | undefined; text: string }>();
  const [actionError, setActionError] = createSignal<string | undefined>();
  const [actionStatus, setActionStatus] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [draftState, setDraftState] = createSignal("");
  // The text of the two boxes, for their counters; the boxes themselves stay uncontrolled.
  const [replyText, setReplyText] = createSignal("");
  const [noteText, setNoteText] = createSignal("");
  /** Where the last refusal belongs: next to the reply's, the note's or the help flag's button, else below. */
  const [errorAt, setErrorAt] = createSignal<"reply" | "note" | "flag" | "other">("other");
  let replyBox: HTMLTextAreaElement | undefined;
  let noteBox: HTMLTextAreaElement | undefined;
  let saveTimer: ReturnType<typeof setTimeout> | undefined;
  let saving: Promise<unknown> = Promise.resolve();
  let draftLoaded = false;

  const draftContext = async () => (await loadSdk()).replyDraftContext(threadId as never);

  /** Opening reads the whole conversation; after an action only what follows (issue 14, CLIENT.md). */
  const load = async (incremental = false) => {
    try {
      const v = await staff.readThread(threadId as never, { incremental });
      setView(v);
      setLoadFailure(undefined);
      const summary = patchListed(threadId, {
        flagged: v.flagged,
        status: v.status,
        currentEpoch: v.currentEpoch,
      });
      const lastSeeker = Math.max(
        0,
        ...v.messages.filter((m) => m.from === "help-seeker").map((m) => m.receivedAt),
      );
      markSeen({ id: threadId, lastSeekerMessageAt: summary?.lastSeekerMessageAt ?? lastSeeker });
      if (summary !== undefined) remember(threadId, summaryKey(summary), v);
    } catch (e) {
      setView(undefined);
      setLoadFailure({ code: errorCode(e), text: failure(e) });
    }
  };

  const loadDraft = async () => {
    if (draftLoaded) return;
    draftLoaded = true;
    try {
      const draft = await staff.loadDraft(await draftContext());
      if (draft !== null && files.items().length === 0) {
        for (const meta of draft.attachments ?? []) {
          files.add({ name: meta.name, mediaType: meta.mediaType, cleaned: false, meta });
        }
      }
      if (draft !== null && replyBox !== undefined && replyBox.value === "") {
        replyBox.value = draft.body;
        setReplyText(draft.body);
        setDraftState(t().threadDraftRestored(formatDateTime(draft.updatedAt)));
      }
    } catch (e) {
      setDraftState(t().threadDraftUnavailable(failure(e)));
    }
  };

  /** The signature under an empty new reply, when the member chose "automatisch" (never over a draft). */
  const addSignature = async () => {
    const { own } = await sessionReplies(staff);
    const signature = own.ok && own.value.signature.auto ? own.value.signature.text : "";
    if (signature.trim() === "" || replyBox === undefined || replyBox.value !== "") return;
    replyBox.value = `\n\n${signature}`;
    setReplyText(replyBox.value);
  };

  const saveDraftNow = async () => {
    saveTimer = undefined;
    const body = replyBox?.value ?? "";
    const context = await draftContext();
    saving = (async () => {
      try {
        // An upload under way is kept in the encrypted draft (its key too), to resume after a reload.
        const attachments = files.items().flatMap((p) => (p.meta === undefined ? [] : [p.meta]));
        if (body.trim() === "" && attachments.length === 0) await staff.deleteDraft(context);
        else {
          const { updatedAt } = await staff.saveDraft(context, { subject: "", body, attachments });
          setDraftState(t().threadDraftSaved(formatDateTime(updatedAt)));
        }
      } catch (e) {
        setDraftState(t().threadDraftFailed(failure(e)));
      }
    })();
    await saving;
  };

  const scheduleSave = () => {
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    setDraftState(t().threadDraftPending);
    saveTimer = setTimeout(() => void saveDraftNow(), AUTOSAVE_MS);
  };

  const files = createFileList();
  onCleanup(() => dropList(files));

  onMount(async () => {
    void loadFileLimits(staff);
    await load();
    if (view()?.canWrite && !view()?.intake) {
      await loadDraft();
      await addSignature();
    }
  });
  onCleanup(() => {
    if (saveTimer !== undefined) {
      clearTimeout(saveTimer);
      void saveDraftNow();
    }
  });

  /** Runs an action, then reloads the thread; errors are announced. */
  const act = async (
    fn: () => Promise<unknown>,
    done: () => string,
    at: "reply" | "note" | "flag" | "other" = "other",
  ) => {
    setBusy(true);
    setErrorAt(at);
    setActionError(undefined);
    setActionStatus("");
    try {
      await fn();
      await load(true);
      setActionStatus(done());
      return true;
    } catch (e) {
      setActionError(at === "reply" ? sendErrorText(e) : refusalText(e, failure(e)));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const sendReply = async (e: SubmitEvent) => {
    e.preventDefault();
    const body = replyBox?.value ?? "";
    setErrorAt("reply");
    if (body.trim() === "") {
      setActionError(t().threadReplyEmpty);
      return;
    }
    if (charCount(body) > MAX_MESSAGE_CHARS) {
      replyBox?.focus();
      return; // the counter's alert already says what to do
    }
    if (saveTimer !== undefined) clearTimeout(saveTimer);
    saveTimer = undefined;
    await saving;
    const ok = await act(
      async () => {
        // Slice B: the files first (encrypted and uploaded, resumable), then the reply that names them.
        const attachments = await uploadAll(staff, threadId, files, () => void saveDraftNow());
        await staff.reply(threadId as never, body, { attachments });
        files.clear();
        if (replyBox !== undefined) replyBox.value = "";
        setReplyText("");
        await staff.deleteDraft(await draftContext()).catch(() => false);
        setDraftState("");
      },
      () => t().threadReplySent,
      "reply",
    );
    if (ok) {
      await addSignature();
      replyBox?.focus();
    }
  };

  const sendNote = async (e: SubmitEvent) => {
    e.preventDefault();
    const body = noteBox?.value ?? "";
    setErrorAt("note");
    if (body.trim() === "") {
      setActionError(t().threadNoteEmpty);
      return;
    }
    if (charCount(body) > MAX_MESSAGE_CHARS) {
      noteBox?.focus();
      return;
    }
    await act(
      async () => {
        await staff.addNote(threadId as never, body);
        if (noteBox !== undefined) noteBox.value = "";
        setNoteText("");
      },
      () => t().threadNoteSaved,
      "note",
    );
  };

  const claim = async () => {
    const ok = await act(
      () => staff.claim(threadId as never),
      () => t().threadClaimed,
    );
    if (ok) {
      await loadDraft();
      await addSignature();
    }
  };

  const title = () => {
    const v = view();
    if (v !== undefined) return v.subject === "" ? t().inboxNoSubject : v.subject;
    return loadFailure() === undefined ? t().threadLoading : t().threadUnavailableTitle;
  };
  const conversation = () => view()?.messages.filter((m) => m.kind !== "note") ?? [];
  const notes = () => view()?.messages.filter((m) => m.kind === "note") ?? [];

  return (
    <section aria-labelledby="thread-title" class="thread">
      <p class="no-print actions">
        <button type="button" class="link-button" onClick={() => go({ name: "inbox" })}>
          {t().threadBack}
        </button>
        <button type="button" onClick={() => void load()}>
          {t().inboxRefresh}
        </button>
        <button type="button" onClick={() => go({ name: "print", threadId })}>
          {t().printOpen}
        </button>
      </p>
      {/* One heading for loading, failure and the thread: the focus set on it stays. */}
      <h1 id="thread-title">{title()}</h1>
      <Show
        when={view()}
        fallback={
          <Show when={loadFailure()} fallback={<Status>{t().threadLoading}</Status>}>
            {(f) => <LoadFailure code={f().code} text={f().text} />}
          </Show>
        }
      >
        {(v) => (
          <>
            <ThreadFacts view={v()} />

            <div class="thread-layout">
              <section aria-labelledby="conversation-title" class="conversation">
                <Conversation messages={conversation()} threadId={threadId} headingId="conversation-title" />

                <Show when={v().intake && v().canWrite}>
                  <div class="claim no-print">
                    <p>{t().threadClaimHint}</p>
                    <button type="button" class="primary" disabled={busy()} onClick={() => void claim()}>
                      {t().threadClaim}
                    </button>
                  </div>
                </Show>
                <Show when={v().canWrite && !v().intake}>
                  <form class="stack reply no-print" onSubmit={sendReply} aria-busy={busy()}>
                    <CountedTextArea
                      id="reply-body"
                      label={t().threadReply}
                      rows={8}
                      ref={(el) => {
                        replyBox = el;
                      }}
                      text={replyText()}
                      onInput={(value) => {
                        setReplyText(value);
                        scheduleSave();
                      }}
                      hint={t().threadReplyHint}
                      describedBy="reply-draft"
                    >
                      <p class="hint" id="reply-draft" aria-live="polite">
                        {draftState()}
                      </p>
                    </CountedTextArea>
                    <SavedReplyPicker
                      target={() => replyBox}
                      onInserted={(text) => {
                        setReplyText(text);
                        scheduleSave();
                      }}
                    />
                    <AttachmentPicker
                      list={files}
                      busy={busy()}
                      onRemoved={(item) => item.meta && void discard(staff, item.meta)}
                      onChanged={scheduleSave}
                    />
                    <div class="actions">
                      <button type="submit" class="primary" disabled={busy()}>
                        {t().threadSend}
                      </button>
                    </div>
                    <Show when={errorAt() === "reply"}>
                      <Alert message={actionError()} />
                    </Show>
                    {/* Each outcome next to its own button (issue 10, staff item 4). */}
                    <Status>{errorAt() === "reply" ? actionStatus() : ""}</Status>
                  </form>
                </Show>
                <Show when={!v().canWrite}>
                  <p class="hint">{t().threadReadOnly}</p>
                </Show>
              </section>

              <div class="side">
                <aside aria-labelledby="notes-title" class="notes">
                  <h2 id="notes-title">{t().threadNotes}</h2>
                  <p class="hint">{t().threadNotesHint}</p>
                  <Show when={notes().length > 0} fallback={<p class="muted">{t().threadNoNotes}</p>}>
                    <NotesList notes={notes()} />
                  </Show>
                  <Show
                    when={v().canWriteNotes}
                    fallback={
                      <p class="hint">{v().intake ? t().threadNotesAfterClaim : t().threadNotesReadOnly}</p>
                    }
                  >
                    <form class="stack no-print" onSubmit={sendNote} aria-busy={busy()}>
                      <CountedTextArea
                        id="note-body"
                        label={t().threadNote}
                        rows={4}
                        ref={(el) => {
                          noteBox = el;
                        }}
                        text={noteText()}
                        onInput={setNoteText}
                      />
                      <div class="actions">
                        <button type="submit" disabled={busy()}>
                          {t().threadAddNote}
                        </button>
                      </div>
                      <Show when={errorAt() === "note"}>
                        <Alert message={actionError()} />
                      </Show>
                      <Status>{errorAt() === "note" ? actionStatus() : ""}</Status>
                    </form>
                  </Show>
                </aside>
                <ManagePanel
                  threadId={threadId}
                  view={v()}
                  busy={busy()}
                  act={act}
                  errorAt={errorAt()}
                  error={actionError()}
                  status={actionStatus()}
                />
              </div>
            </div>
            <Show when={errorAt() === "other"}>
              <Alert message={actionError()} />
            </Show>
            <Status>{errorAt() === "other" ? actionStatus() : ""}</Status>
          </>
        )}
      </Show>
    </section>
  );
}
