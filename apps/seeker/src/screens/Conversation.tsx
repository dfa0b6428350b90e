import { ActionError, Dialog } from "@briefgeheim/ui";
import { createSignal, For, Match, Show, Switch } from "solid-js";
import {
  deleteConversation,
  handleFailure,
  refreshConversation,
  saveReplyDraft,
  sendReply,
  signOut,
} from "../actions.js";
import { discardFile, replyFiles } from "../attachments/send.js";
import { AttachmentFiles } from "../components/AttachmentFiles.js";
import { AttachmentPicker } from "../components/AttachmentPicker.js";
import { createAutosave } from "../components/autosave.js";
import { CharCounter } from "../components/CharCounter.js";
import { Fingerprint } from "../components/Fingerprint.js";
import { QuickExit } from "../components/QuickExit.js";
import { SaveNote } from "../components/SaveNote.js";
import { SentState } from "../components/SentState.js";
import { Survey } from "../components/Survey.js";
import { Warnings } from "../components/Warnings.js";
import { errorMessage } from "../errors.js";
import { formatDate, formatDateTime, formatRelative, t } from "../i18n/index.js";
import { formatCount, MAX_MESSAGE_CHARS, tooLong } from "../limits.js";
import { profileOf, signedName } from "../profile-text.js";
import type { ThreadMessage } from "../sdk/types.js";
import {
  current,
  justSent,
  reply,
  roots,
  session,
  setJustSent,
  setReply,
  signedIn,
  summaries,
  tampered,
  view,
} from "../state.js";
import { messageWarnings, type TextWarning } from "../text-checks.js";

/**
 * A conversation: every message verified by the SDK (and marked so), a calm warning when something
 * did not verify, who can read it, the promised reply time, how long ago the last message was sent,
 * when it expires, writing again (the reply autosaves encrypted), and deleting it for good.
 */
export function Conversation(props: { threadId: string }) {
  /** A refused reload (next to the toolbar) or delete (inside the dialog). */
  const [error, setError] = createSignal("");
  const [asking, setAsking] = createSignal(false);
  /** A refusal of the reply itself, shown next to its button. */
  const [sendError, setSendError] = createSignal("");
  const [status, setStatus] = createSignal("");
  const [busy, setBusy] = createSignal<"" | "reload" | "send" | "delete">("");
  const [warnings, setWarnings] = createSignal<TextWarning[]>([]);
  const autosave = createAutosave(() => saveReplyDraft(props.threadId), { enabled: signedIn });
  let replyField: HTMLTextAreaElement | undefined;

  const summary = () => summaries().find((s) => s.id === props.threadId);
  // Handover events (slice F) stand between the messages where they happened.
  const messages = () => (view()?.messages ?? []).filter((m) => m.kind === "message" || m.kind === "event");
  const lastMessage = () =>
    messages()
      .filter((m) => m.kind === "message")
      .at(-1);

  const run = async (what: "reload" | "send" | "delete", work: () => Promise<void>) => {
    setError("");
    setStatus("");
    setBusy(what);
    try {
      await work();
    } catch (e) {
      if (!handleFailure(e)) setError(errorMessage(e));
    } finally {
      setBusy("");
    }
  };

  const send = (checked: boolean) => {
    if (reply().trim() === "") {
      setError(t().bodyRequired);
      replyField?.focus();
      return;
    }
    if (!checked) {
      const found = messageWarnings({ subject: "", body: reply(), code: session()?.code, first: false });
      if (found.length > 0) {
        setWarnings(found);
        return;
      }
    }
    if (tooLong(reply())) {
      setSendError(t().tooLong(formatCount(MAX_MESSAGE_CHARS)));
      return;
    }
    setWarnings([]);
    setSendError("");
    autosave.cancel();
    setStatus("");
    setBusy("send");
    void (async () => {
      try {
        await sendReply(props.threadId);
      } catch (e) {
        if (!handleFailure(e)) setSendError(errorMessage(e));
      } finally {
        setBusy("");
      }
    })();
  };

  const author = (m: ThreadMessage) => {
    if (m.from === "me") return t().fromMe;
    const helpline = signedName(current()?.id);
    return m.displayName === undefined
      ? t().fromHelpline(helpline)
      : t().fromCounsellor(m.displayName, helpline);
  };

  return (
    <>
      <h1 tabindex="-1">{t().conversationTitle(signedName(current()?.id))}</h1>
      <p class="status-line" role="status">
        {status()}
      </p>
      <Show when={justSent() !== undefined && view() !== undefined}>
        <SentState
          first={justSent() === "first"}
          promise={(() => {
            const p = profileOf(current()?.id);
            return p === undefined ? undefined : t().replyTime(p.replyWithinHours);
          })()}
          dueAt={summary()?.replyDueAt ?? undefined}
          onWriteAnother={() => {
            setJustSent(undefined);
            requestAnimationFrame(() => replyField?.focus());
          }}
        >
          {/* Slice G (issue 13): the helpline's optional questions, after a first message only. */}
          <Show when={justSent() === "first" && session()}>
            {(s) => <Survey session={s()} threadId={props.threadId} />}
          </Show>
        </SentState>
      </Show>

      <Switch>
        <Match when={tampered()}>
          <section class="danger" role="alert" aria-labelledby="tampered-title">
            <h2 id="tampered-title">{t().tamperedTitle}</h2>
            <p>{t().tamperedText}</p>
          </section>
        </Match>
        <Match when={view()}>
          {(v) => (
            <div class="conversation">
              <div class="thread">
                <Show
                  when={v().ok}
                  fallback={
                    <section class="caution-box" role="alert" aria-labelledby="problems-title">
                      <h2 id="problems-title">{t().problemsTitle}</h2>
                      <p>{t().problemsText(Math.max(1, v().problems.length))}</p>
                      <For each={v().problems.filter((p) => p.index < 0)}>
                        {(p) => <p>{t().threadProblem(t().problemReason(p.reason))}</p>}
                      </For>
                    </section>
                  }
                >
                  <p class="ok-note">{t().allVerified}</p>
                </Show>
                <Show when={v().subject !== ""}>
                  <h2 class="subject" dir="auto">
                    {v().subject}
                  </h2>
                </Show>
                <ol class="messages">
                  <For each={messages()}>
                    {(m) => (
                      <li class={m.from === "me" ? "message mine" : "message theirs"}>
                        <article aria-label={m.damaged ? t().damagedMessage : author(m)}>
                          <Show
                            when={!m.damaged}
                            fallback={
                              <header>
                                <strong>{t().damagedMessage}</strong>{" "}
                                <span class="unverified">{t().notVerified}</span>
                              </header>
                            }
                          >
                            <header>
                              <strong>{author(m)}</strong>{" "}
                              <span class="when">{t().sentAt(formatDateTime(m.createdAt))}</span>{" "}
                              <Show
                                when={m.verified}
                                fallback={<span class="unverified">{t().notVerified}</span>}
                              >
                                <span class="verified" title={t().verifiedExplain}>
                                  <span aria-hidden="true">✓ </span>
                                  {t().verified}
                                </span>
                              </Show>
                            </header>
                          </Show>
                          <Show when={!m.damaged && m.problems.length > 0}>
                            <p class="message-problem">
                              {t().messageProblem(m.problems.map((r) => t().problemReason(r)).join("; "))}
                            </p>
                          </Show>
                          <Show when={m.continuesPastDamaged}>
                            <p class="message-continues">{t().continuesPastDamaged}</p>
                          </Show>
                          <Show when={!m.damaged}>
                            <p class="text" dir="auto">
                              {m.handover === undefined
                                ? m.body
                                : m.handover.self
                                  ? t().handoverTaken(m.handover.displayName)
                                  : t().handoverTo(m.handover.displayName)}
                            </p>
                          </Show>
                          <Show when={!m.damaged && m.attachments.length > 0}>
                            <AttachmentFiles threadId={props.threadId} files={m.attachments} />
                          </Show>
                        </article>
                      </li>
                    )}
                  </For>
                </ol>
                <Show when={v().unreadable > 0}>
                  <p class="note">{t().unreadable(v().unreadable)}</p>
                </Show>

                <form
                  class="stack card"
                  hidden={justSent() !== undefined}
                  novalidate
                  aria-labelledby="reply-title"
                  onSubmit={(e) => {
                    e.preventDefault();
                    send(false);
                  }}
                >
                  <h2 id="reply-title">{t().replyTitle}</h2>
                  <div class="field">
                    <label for="reply">{t().replyLabel}</label>
                    <p class="hint" id="reply-hint">
                      {t().bodyHint}
                    </p>
                    <textarea
                      id="reply"
                      ref={replyField}
                      rows={8}
                      dir="auto"
                      autocomplete="off"
                      aria-describedby="reply-hint reply-count"
                      value={reply()}
                      onInput={(e) => {
                        setReply(e.currentTarget.value);
                        setWarnings([]);
                        setSendError("");
                        autosave.schedule();
                      }}
                    />
                    <CharCounter id="reply-count" text={reply()} />
                  </div>
                  <AttachmentPicker
                    list={replyFiles}
                    busy={busy() !== ""}
                    onRemoved={(item) => item.meta && void discardFile(session(), item.meta)}
                  />
                  <SaveNote status={autosave.status()} />
                  <Show when={warnings().length > 0}>
                    <Warnings
                      warnings={warnings()}
                      proceedLabel={t().warnSendAnyway}
                      onProceed={() => send(true)}
                      onEdit={() => {
                        setWarnings([]);
                        replyField?.focus();
                      }}
                    />
                  </Show>
                  <div class="actions">
                    <button type="submit" disabled={busy() !== "" || warnings().length > 0}>
                      {busy() === "send" ? t().sending : t().send}
                    </button>
                  </div>
                  <ActionError id="send-error" class="send-error" message={sendError()} />
                </form>
              </div>

              <aside class="side" aria-labelledby="readers-title">
                <section class="card">
                  <h2 id="readers-title">{t().readersTitle}</h2>
                  <ul>
                    <li>{t().readersYou}</li>
                    <li>
                      {t().readersHelpline(v().readers.helpline)}
                      <ul>
                        <li>
                          {summary()?.intake !== false || v().readers.counsellors.length === 0
                            ? t().readersIntake(v().readers.counsellors.join(", "))
                            : t().readersCounsellors(v().readers.counsellors.join(", "))}
                        </li>
                        <Show when={v().readers.supervisors}>
                          <li>{t().readersSupervisors}</li>
                        </Show>
                      </ul>
                    </li>
                  </ul>
                  <p>{t().readersNotServer}</p>
                  <Fingerprint check={roots()[current()?.id ?? ""]} />
                </section>
                <section class="card" aria-label={t().statusLabel}>
                  <p>{t().statusSentence(v().status)}</p>
                  {/* The promise as the helpline signed it (docs/PROTOCOL.md §10). */}
                  <Show when={profileOf(current()?.id)}>
                    {(p) => <p>{t().replyTime(p().replyWithinHours)}.</p>}
                  </Show>
                  <Show when={lastMessage()}>
                    {(m) => <p>{t().lastMessage(formatRelative(m().receivedAt))}</p>}
                  </Show>
                  <Show when={summary()?.replyDueAt}>
                    {(due) => <p>{t().replyDue(formatDateTime(due()))}</p>}
                  </Show>
                  <p>{t().expires(formatDate(v().expiresAt))}</p>
                </section>
              </aside>
            </div>
          )}
        </Match>
      </Switch>

      <div class="actions toolbar">
        <button
          type="button"
          class="secondary"
          disabled={busy() !== ""}
          onClick={() => void run("reload", () => refreshConversation(props.threadId))}
        >
          {busy() === "reload" ? t().reloading : t().reload}
        </button>
        <button type="button" class="secondary" onClick={() => void signOut()}>
          {t().signOut}
        </button>
        <button
          type="button"
          class="danger-button"
          onClick={() => {
            setError("");
            setAsking(true);
          }}
        >
          {t().deleteButton}
        </button>
      </div>
      <Show when={!asking()}>
        <ActionError id="toolbar-error" message={error()} />
      </Show>

      <Dialog
        open={asking()}
        onClose={() => setAsking(false)}
        labelledBy="delete-title"
        describedBy="delete-text"
        above={<QuickExit inDialog />}
      >
        <h2 id="delete-title">{t().deleteTitle}</h2>
        <p id="delete-text">{t().deleteText}</p>
        <div class="actions">
          <button type="button" class="secondary" autofocus onClick={() => setAsking(false)}>
            {t().deleteCancel}
          </button>
          <button
            type="button"
            class="danger-button"
            disabled={busy() !== ""}
            onClick={() =>
              void run("delete", async () => {
                await deleteConversation(props.threadId);
                setAsking(false);
              })
            }
          >
            {busy() === "delete" ? t().deleting : t().deleteConfirm}
          </button>
        </div>
        <ActionError id="delete-error" message={asking() ? error() : ""} />
      </Dialog>
    </>
  );
}
