import type { SavedReply } from "@briefgeheim/client";
import { createSignal, For, onMount, Show } from "solid-js";
import { Alert, Status } from "../../components/common.js";
import { t } from "../../i18n/index.js";
import { type SessionReplies, sessionReplies } from "../../state/saved-replies.js";
import { requireStaff } from "../../state/session.js";

/**
 * "Standaardantwoord invoegen" in the reply form: a labelled select of the member's own and the team's
 * saved replies and a button that puts the chosen text at the cursor of the reply box (keyboard:
 * Tab to the select, arrows, Tab, Enter). Why a set cannot be used is said here, announced.
 */
export function SavedReplyPicker(props: {
  readonly target: () => HTMLTextAreaElement | undefined;
  /** After an insert: the reply's counter and autosave follow the new text. */
  readonly onInserted: (text: string) => void;
}) {
  const staff = requireStaff();
  const [sets, setSets] = createSignal<SessionReplies | undefined>();
  const [chosen, setChosen] = createSignal("");
  const [error, setError] = createSignal<string | undefined>();
  const [status, setStatus] = createSignal("");
  onMount(async () => setSets(await sessionReplies(staff)));

  const own = () => {
    const s = sets();
    return s?.own.ok ? s.own.value.replies : [];
  };
  const team = () => {
    const s = sets();
    return s?.team.ok ? s.team.value.replies : [];
  };
  /** The first reason a set cannot be used (a team set not shared yet, a refused one). */
  const problem = () => {
    const s = sets();
    if (s === undefined) return undefined;
    if (!s.own.ok) return s.own.text;
    return s.team.ok ? undefined : s.team.text;
  };

  const insert = () => {
    // Values are `own:<id>` / `team:<id>`: an id may be in both lists.
    const [from, id] = chosen().split(":");
    const reply: SavedReply | undefined = (from === "own" ? own() : from === "team" ? team() : []).find(
      (r) => r.id === id,
    );
    const box = props.target();
    setStatus("");
    if (reply === undefined || box === undefined) return setError(t().insertNothing);
    setError(undefined);
    // A saved reply is a paragraph of its own: a blank line between it and text right next to it, so
    // two inserted one after the other do not run together.
    const before = box.value.slice(0, box.selectionStart);
    const after = box.value.slice(box.selectionEnd);
    const lead = before === "" || /\s$/.test(before) ? "" : "\n\n";
    const trail = after === "" || /^\s/.test(after) ? "" : "\n\n";
    box.setRangeText(lead + reply.body + trail, box.selectionStart, box.selectionEnd, "end");
    props.onInserted(box.value);
    box.focus();
    setStatus(t().insertDone(reply.title));
  };

  return (
    <div class="saved-reply-picker">
      <div class="reply-insert">
        <div class="field">
          <label for="reply-insert-select">{t().insertLabel}</label>
          <select
            id="reply-insert-select"
            value={chosen()}
            onChange={(e) => setChosen(e.currentTarget.value)}
          >
            <option value="">{t().insertChoose}</option>
            <Show when={own().length > 0}>
              <optgroup label={t().insertOwnGroup}>
                <For each={own()}>{(r) => <option value={`own:${r.id}`}>{r.title}</option>}</For>
              </optgroup>
            </Show>
            <Show when={team().length > 0}>
              <optgroup label={t().insertTeamGroup}>
                <For each={team()}>{(r) => <option value={`team:${r.id}`}>{r.title}</option>}</For>
              </optgroup>
            </Show>
          </select>
        </div>
        <button type="button" onClick={insert}>
          {t().insertButton}
        </button>
      </div>
      <Show when={sets() !== undefined && own().length + team().length === 0 && problem() === undefined}>
        <p class="hint">{t().insertNone}</p>
      </Show>
      <Show when={problem()}>{(text) => <p class="hint">{text()}</p>}</Show>
      <Alert message={error()} />
      <Status>{status()}</Status>
    </div>
  );
}
