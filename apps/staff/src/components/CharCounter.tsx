import { CharCounter as Counter } from "@briefgeheim/ui";
import { type JSX, Show } from "solid-js";
import { t } from "../i18n/index.js";
import { formatCount, MAX_MESSAGE_CHARS } from "../lib/limits.js";

/**
 * The characters used and the limit under the reply and note boxes: the shared counter of
 * @briefgeheim/ui with this app's limit and words (bind it with `aria-describedby={props.id}`).
 */
export function CharCounter(props: { id: string; text: string }) {
  return (
    <Counter
      id={props.id}
      text={props.text}
      max={MAX_MESSAGE_CHARS}
      format={formatCount}
      counted={t().charCount}
      over={t().charCountOver}
    />
  );
}

/**
 * A labelled text box with the counter under it (`<id>-count`), an optional hint (`<id>-hint`) and
 * more lines after it (`children`, e.g. the draft's state); the box is described by all of them
 * (`describedBy` adds the ids of the extra lines). Uncontrolled with `ref`, or controlled with `value`.
 */
export function CountedTextArea(props: {
  id: string;
  label: string;
  rows: number;
  text: string;
  onInput: (value: string) => void;
  ref?: (el: HTMLTextAreaElement) => void;
  value?: string;
  hint?: string;
  describedBy?: string;
  children?: JSX.Element;
}) {
  const describedBy = () =>
    [props.hint === undefined ? "" : `${props.id}-hint`, `${props.id}-count`, props.describedBy ?? ""]
      .filter((id) => id !== "")
      .join(" ");
  return (
    <div class="field">
      <label for={props.id}>{props.label}</label>
      <textarea
        id={props.id}
        ref={(el) => props.ref?.(el)}
        rows={props.rows}
        dir="auto"
        aria-describedby={describedBy()}
        value={props.value ?? ""}
        onInput={(e) => props.onInput(e.currentTarget.value)}
      />
      <CharCounter id={`${props.id}-count`} text={props.text} />
      <Show when={props.hint}>
        <p class="hint" id={`${props.id}-hint`}>
          {props.hint}
        </p>
      </Show>
      {props.children}
    </div>
  );
}
