import type { StaffThreadView } from "@briefgeheim/client";
import type { ThreadStatus } from "@briefgeheim/protocol";
import { ActionError, Status } from "@briefgeheim/ui";
import { createSignal, For, Show } from "solid-js";
import { CountedTextArea } from "../../components/CharCounter.js";
import { t } from "../../i18n/index.js";
import { charCount, MAX_MESSAGE_CHARS } from "../../lib/limits.js";
import { rosterPeople, shortId } from "../../lib/roster.js";
import { requireStaff } from "../../state/session.js";

const STATUSES: readonly ThreadStatus[] = ["open", "waiting", "closed"];

/**
 * Managing a thread: its status, "ask supervisor" (the help flag, with an optional encrypted note;
 * once raised, the note and a "Resolved" button), and assigning it (supervisors).
 */
export function ManagePanel(props: {
  threadId: string;
  view: StaffThreadView;
  busy: boolean;
  act: (fn: () => Promise<unknown>, done: () => string, at?: "flag") => Promise<boolean>;
  /** The last action's outcome and where it belongs (the flag's are shown here, by its buttons). */
  errorAt: string;
  error: string | undefined;
  status: string;
}) {
  const staff = requireStaff();
  const threadId = props.threadId;
  const v = () => props.view;
  const counsellors = () => rosterPeople(staff).filter((p) => p.role === "counsellor");
  const [noteText, setNoteText] = createSignal("");
  let noteBox: HTMLTextAreaElement | undefined;
  // The button pressed goes away with the flag's change; focus moves to what replaced it (else it
  // falls back to the page and a keyboard or screen reader user starts over at the top).
  let raiseButton: HTMLButtonElement | undefined;
  let raisedText: HTMLParagraphElement | undefined;

  const raise = async (e: SubmitEvent) => {
    e.preventDefault();
    const note = noteBox?.value ?? "";
    if (charCount(note) > MAX_MESSAGE_CHARS) {
      noteBox?.focus();
      return; // the counter's alert already says what to do
    }
    const ok = await props.act(
      () => staff.flag(threadId as never, true, note.trim() === "" ? {} : { note }),
      () => t().threadFlagSet,
      "flag",
    );
    if (ok) {
      setNoteText("");
      raisedText?.focus();
    }
  };

  const resolve = async () => {
    const ok = await props.act(
      () => staff.flag(threadId as never, false),
      () => t().threadFlagCleared,
      "flag",
    );
    // The status beside it says "opgelost"; the button that raises the flag again takes the focus.
    if (ok) raiseButton?.focus();
  };

  return (
    <section aria-labelledby="manage-title" class="manage no-print">
      <h2 id="manage-title">{t().threadManage}</h2>
      <Show when={v().canWrite}>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const status = new FormData(e.currentTarget).get("status") as ThreadStatus;
            void props.act(
              () => staff.setStatus(threadId as never, status),
              () => t().threadStatusSaved,
            );
          }}
        >
          <label for="thread-status">{t().threadStatus}</label>
          <select id="thread-status" name="status">
            <For each={STATUSES}>
              {(s) => (
                <option value={s} selected={v().status === s}>
                  {t().statusNames[s]}
                </option>
              )}
            </For>
          </select>
          <button type="submit" disabled={props.busy}>
            {t().threadSetStatus}
          </button>
        </form>
      </Show>
      {/* The help flag (issue 10, staff item 3): raised with an optional note, then "Resolved". */}
      <Show
        when={v().flagged}
        fallback={
          <form class="stack flag-form" onSubmit={raise} aria-busy={props.busy}>
            <p class="hint">{t().threadFlaggedNo}</p>
            <Show when={v().canWriteNotes}>
              <CountedTextArea
                id="flag-note"
                label={t().threadFlagNote}
                rows={3}
                ref={(el) => {
                  noteBox = el;
                }}
                text={noteText()}
                onInput={setNoteText}
                hint={t().threadFlagNoteHint}
              />
            </Show>
            <div class="actions">
              <button type="submit" ref={raiseButton} disabled={props.busy}>
                {staff.role === "supervisor" ? t().threadFlagSupervisor : t().threadAskSupervisor}
              </button>
            </div>
          </form>
        }
      >
        <div class="flag-raised" data-testid="flag-raised">
          <p ref={raisedText} tabindex="-1">
            {t().threadFlaggedYes}
          </p>
          <Show when={v().flagNote} fallback={<p class="hint">{t().threadFlagNoNote}</p>}>
            {(note) => (
              <figure class="flag-note">
                <figcaption class="hint">{t().threadFlagNoteShown}</figcaption>
                <p dir="auto" class="message-body">
                  {note().body}
                </p>
              </figure>
            )}
          </Show>
          <div class="actions">
            <button type="button" class="primary" disabled={props.busy} onClick={() => void resolve()}>
              {t().threadFlagResolve}
            </button>
          </div>
        </div>
      </Show>
      {/* Each outcome next to its own button (issue 10, staff item 4). */}
      <ActionError id="flag-error" message={props.errorAt === "flag" ? (props.error ?? "") : ""} />
      <Status>{props.errorAt === "flag" ? props.status : ""}</Status>
      <Show when={staff.role === "supervisor"}>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const to = String(new FormData(e.currentTarget).get("assignee") ?? "");
            if (to === "") return;
            void props.act(
              () => staff.assign(threadId as never, to as never),
              () => t().threadAssignedDone,
            );
          }}
        >
          <label for="thread-assignee">{t().threadAssignTo}</label>
          <select id="thread-assignee" name="assignee">
            <option value="">{t().threadChoose}</option>
            <For each={counsellors()}>{(p) => <option value={p.memberId}>{p.displayName}</option>}</For>
          </select>
          <button type="submit" disabled={props.busy}>
            {t().threadAssign}
          </button>
        </form>
      </Show>
      <p class="hint mono">{t().threadId(shortId(threadId))}</p>
    </section>
  );
}
