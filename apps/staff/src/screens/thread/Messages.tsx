import type { ThreadMessage } from "@briefgeheim/client";
import type { ThreadStatus } from "@briefgeheim/protocol";
import { For, Show } from "solid-js";
import { formatDateTime, t } from "../../i18n/index.js";
import { author } from "./text.js";

/** The conversation: messages and status changes, each marked verified. */
export function Conversation(props: { messages: readonly ThreadMessage[] }) {
  return (
    <ol class="messages">
      <For each={props.messages}>
        {(m) => (
          <li class={`message from-${m.from} kind-${m.kind}`}>
            <article aria-label={`${author(m)}, ${formatDateTime(m.createdAt)}`}>
              <header class="message-head">
                <span class="author">{author(m)}</span>
                <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt)}</time>
                <span class="verified-mark" title={t().threadVerifiedMarkLong}>
                  <span aria-hidden="true">✓ </span>
                  {t().threadVerifiedMark}
                </span>
              </header>
              <Show
                when={m.kind === "message"}
                fallback={
                  <p class="status-change">
                    {t().threadStatusChanged(t().statusNames[m.body as ThreadStatus])}
                  </p>
                }
              >
                <p class="body">{m.body}</p>
              </Show>
            </article>
          </li>
        )}
      </For>
    </ol>
  );
}

/** The internal notes, each marked verified. */
export function NotesList(props: { notes: readonly ThreadMessage[] }) {
  return (
    <ol class="messages notes-list">
      <For each={props.notes}>
        {(m) => (
          <li class="message kind-note">
            <article aria-label={`${author(m)}, ${formatDateTime(m.createdAt)}`}>
              <header class="message-head">
                <span class="author">{author(m)}</span>
                <time dateTime={new Date(m.createdAt).toISOString()}>{formatDateTime(m.createdAt)}</time>
                <span class="verified-mark">
                  <span aria-hidden="true">✓ </span>
                  {t().threadVerifiedMark}
                </span>
              </header>
              <p class="body">{m.body}</p>
            </article>
          </li>
        )}
      </For>
    </ol>
  );
}
