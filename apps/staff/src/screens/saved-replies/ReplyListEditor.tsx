import type { SavedReply } from "@briefgeheim/client";
import { createSignal, For, Show } from "solid-js";
import { CountedTextArea } from "../../components/CharCounter.js";
import { Alert, Status } from "../../components/common.js";
import { t } from "../../i18n/index.js";
import { charCount, MAX_MESSAGE_CHARS } from "../../lib/limits.js";
import { repliesFailure } from "../../state/saved-replies.js";

/** A title's limit (the crypto package refuses longer ones: MAX_SAVED_REPLY_TITLE_CHARS). */
export const MAX_TITLE_CHARS = 80;

/**
 * One list of saved replies: read-only, or with add, edit and delete (each change saved at once as the
 * next revision through `save`). Refusals next to the form's button, announced.
 */
export function ReplyListEditor(props: {
  /** Prefix of element ids ("own", "team"). */
  readonly id: string;
  readonly replies: readonly SavedReply[];
  readonly canEdit: boolean;
  readonly newId: () => string;
  readonly save: (next: readonly SavedReply[]) => Promise<void>;
}) {
  /** The reply being edited: an id, "new", or none. */
  const [editing, setEditing] = createSignal<string | undefined>();
  const [title, setTitle] = createSignal("");
  const [body, setBody] = createSignal("");
  const [error, setError] = createSignal<string | undefined>();
  const [status, setStatus] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const field = (name: string) => `${props.id}-reply-${name}`;

  const open = (reply: SavedReply | undefined) => {
    setEditing(reply?.id ?? "new");
    setTitle(reply?.title ?? "");
    setBody(reply?.body ?? "");
    setError(undefined);
    setStatus("");
    queueMicrotask(() => document.getElementById(field("title"))?.focus());
  };

  const run = async (next: readonly SavedReply[], done: string) => {
    setBusy(true);
    setError(undefined);
    setStatus("");
    try {
      await props.save(next);
      setEditing(undefined);
      setStatus(done);
      // The form or the deleted reply's buttons are gone: the focus goes to "Toevoegen", beside the status.
      requestAnimationFrame(() => document.getElementById(field("add"))?.focus());
    } catch (e) {
      setError(repliesFailure(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    if (title().trim() === "") return setError(t().repliesNeedTitle);
    if (body().trim() === "") return setError(t().repliesNeedBody);
    if (charCount(body()) > MAX_MESSAGE_CHARS) return;
    const id = editing();
    const reply = {
      id: id === "new" || id === undefined ? props.newId() : id,
      title: title().trim(),
      body: body(),
    };
    const next =
      id === "new" ? [...props.replies, reply] : props.replies.map((r) => (r.id === id ? reply : r));
    await run(next, t().repliesSaved);
  };

  return (
    <div class="reply-list">
      <Show when={props.replies.length > 0} fallback={<p class="muted">{t().repliesNone}</p>}>
        <ul class="saved-replies" data-testid={`${props.id}-replies`}>
          <For each={props.replies}>
            {(reply) => (
              <li>
                <h3 dir="auto">{reply.title}</h3>
                <p class="saved-reply-body" dir="auto">
                  {reply.body}
                </p>
                <Show when={props.canEdit}>
                  <p class="actions">
                    <button
                      type="button"
                      aria-label={t().repliesEdit(reply.title)}
                      disabled={busy()}
                      onClick={() => open(reply)}
                    >
                      {t().repliesEditShort}
                    </button>
                    <button
                      type="button"
                      aria-label={t().repliesDelete(reply.title)}
                      disabled={busy()}
                      onClick={() =>
                        void run(
                          props.replies.filter((r) => r.id !== reply.id),
                          t().repliesDeleted,
                        )
                      }
                    >
                      {t().repliesDeleteShort}
                    </button>
                  </p>
                </Show>
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={props.canEdit}>
        <Show
          when={editing()}
          fallback={
            <p class="actions">
              <button type="button" id={field("add")} disabled={busy()} onClick={() => open(undefined)}>
                {t().repliesAdd}
              </button>
            </p>
          }
        >
          <form class="stack" onSubmit={submit} aria-busy={busy()}>
            <div class="field">
              <label for={field("title")}>{t().repliesTitleLabel}</label>
              <input
                id={field("title")}
                type="text"
                dir="auto"
                maxLength={MAX_TITLE_CHARS}
                aria-describedby={field("title-count")}
                value={title()}
                onInput={(e) => setTitle(e.currentTarget.value)}
              />
              <p class="hint" id={field("title-count")}>
                {t().repliesTitleCount(charCount(title()), MAX_TITLE_CHARS)}
              </p>
            </div>
            <CountedTextArea
              id={field("body")}
              label={t().repliesBodyLabel}
              rows={6}
              value={body()}
              text={body()}
              onInput={setBody}
            />
            <p class="actions">
              <button type="submit" class="primary" disabled={busy()}>
                {t().repliesSave}
              </button>
              <button type="button" disabled={busy()} onClick={() => setEditing(undefined)}>
                {t().repliesCancel}
              </button>
            </p>
            <Alert message={error()} />
          </form>
        </Show>
        <Show when={editing() === undefined}>
          <Alert message={error()} />
        </Show>
      </Show>
      <Status>{status()}</Status>
    </div>
  );
}
