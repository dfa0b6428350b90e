import type { ThreadMessage } from "@briefgeheim/client";
import { LongText } from "@briefgeheim/ui";
import { createSignal, For, Show } from "solid-js";
import { AttachmentFiles } from "../../components/AttachmentFiles.js";
import { formatDateTime, t } from "../../i18n/index.js";
import { changeText } from "./event-text.js";
import { author, messageProblems } from "./text.js";

/** "verified" on a message without problems; "not verified" (with the reasons below it) otherwise. */
function Mark(props: { m: ThreadMessage }) {
  return (
    <Show
      when={props.m.verified}
      fallback={
        <span class="verified-mark not-verified" data-testid="not-verified">
          <span aria-hidden="true">! </span>
          {t().threadNotVerifiedMark}
        </span>
      }
    >
      <span class="verified-mark" title={t().threadVerifiedMarkLong}>
        <span aria-hidden="true">✓ </span>
        {t().threadVerifiedMark}
      </span>
    </Show>
  );
}

/**
 * A message's own problems (a damaged one is flagged on itself, the rest reads normally) and, when
 * its author wrote on past a damaged message, that fact: shown, never silent.
 */
function Flags(props: { m: ThreadMessage }) {
  return (
    <>
      <Show when={props.m.problems.length > 0}>
        <p class="message-problem" role="note">
          {t().threadMessageProblem(messageProblems(props.m))}
        </p>
      </Show>
      <Show when={props.m.continuesPastDamaged}>
        <p class="message-continues" role="note" data-testid="continues-past-damaged">
          {t().threadContinuesPastDamaged}
        </p>
      </Show>
    </>
  );
}

/** Messages a long conversation shows at first, and shows more of at a time (issue 14). */
export const CONVERSATION_WINDOW = 30;

/**
 * The conversation: messages and status changes, each marked verified or flagged with its problems.
 * It opens at the newest: only the newest `CONVERSATION_WINDOW` are rendered, and a button above them
 * shows that many earlier ones at a time (every message given is verified already; rendering all of a
 * long conversation at once took seconds). Its heading (`headingId`, which the section is labelled by)
 * takes the focus when the last earlier ones are shown and the button goes away.
 */
export function Conversation(props: {
  messages: readonly ThreadMessage[];
  threadId?: string;
  headingId: string;
}) {
  const [shown, setShown] = createSignal(CONVERSATION_WINDOW);
  const hidden = () => Math.max(0, props.messages.length - shown());
  const showEarlier = () => {
    setShown((n) => n + CONVERSATION_WINDOW);
    if (hidden() === 0) document.getElementById(props.headingId)?.focus();
  };
  return (
    <>
      <h2 id={props.headingId} tabIndex={-1}>
        {t().threadConversation}
      </h2>
      <Show when={hidden() > 0}>
        <p class="no-print">
          <button type="button" class="show-earlier" onClick={showEarlier}>
            {t().threadShowEarlier(hidden())}
          </button>
        </p>
      </Show>
      <ConversationList messages={props.messages.slice(hidden())} threadId={props.threadId} />
    </>
  );
}

function ConversationList(props: { messages: readonly ThreadMessage[]; threadId?: string | undefined }) {
  return (
    <ol class="messages">
      <For each={props.messages}>
        {(m) => (
          <li class={`message from-${m.from} kind-${m.kind}`}>
            <article aria-label={`${author(m)}, ${formatDateTime(m.createdAt)}`}>
              <header class="message-head">
                <span class="author">{m.damaged ? t().threadDamagedMessage : author(m)}</span>
                <Show when={!m.damaged}>
                  <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt)}</time>
                </Show>
                <Mark m={m} />
              </header>
              <Flags m={m} />
              <Show
                when={!m.damaged && m.kind === "message"}
                fallback={
                  <Show when={!m.damaged}>
                    <p class="status-change" data-kind={m.kind}>
                      {changeText(m)}
                    </p>
                  </Show>
                }
              >
                <LongText class="body" text={m.body} showAll={t().showAll} showLess={t().showLess} />
              </Show>
              <Show when={!m.damaged && m.kind === "message" && m.attachments.length > 0 && props.threadId}>
                {(threadId) => <AttachmentFiles threadId={threadId()} files={m.attachments} />}
              </Show>
            </article>
          </li>
        )}
      </For>
    </ol>
  );
}

/** The internal notes, each marked verified or flagged. */
export function NotesList(props: { notes: readonly ThreadMessage[] }) {
  return (
    <ol class="messages notes-list">
      <For each={props.notes}>
        {(m) => (
          <li class="message kind-note">
            <article aria-label={`${author(m)}, ${formatDateTime(m.createdAt)}`}>
              <header class="message-head">
                <span class="author">{m.damaged ? t().threadDamagedMessage : author(m)}</span>
                <Show when={!m.damaged}>
                  <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt)}</time>
                </Show>
                <Mark m={m} />
              </header>
              <Flags m={m} />
              <Show when={!m.damaged}>
                <p class="body" dir="auto">
                  {m.body}
                </p>
              </Show>
            </article>
          </li>
        )}
      </For>
    </ol>
  );
}
