import { createMemo, createSignal, Show } from "solid-js";
import { excerpt } from "./text.js";

/**
 * A message body that may be very long (issue 10, item 3: the staff side): beyond `maxChars`
 * characters or `maxLines` lines only the start shows, with a button that shows all (and back).
 * `dir="auto"` so right-to-left lines read right. The button names what it does in the app's words.
 *
 * @example
 * <LongText class="text" text={m.body} showAll={t().showAll} showLess={t().showLess} />
 */
export function LongText(props: {
  text: string;
  showAll: string;
  showLess: string;
  maxChars?: number;
  maxLines?: number;
  class?: string;
}) {
  const [open, setOpen] = createSignal(false);
  const head = createMemo(() => excerpt(props.text, props.maxChars ?? 1_500, props.maxLines ?? 20));
  return (
    <div class="long-text">
      <p class={props.class ?? "text"} dir="auto">
        {open() || head() === undefined ? props.text : `${head()} …`}
      </p>
      <Show when={head() !== undefined}>
        <button
          type="button"
          class="link-button show-all"
          aria-expanded={open()}
          onClick={() => setOpen(!open())}
        >
          {open() ? props.showLess : props.showAll}
        </button>
      </Show>
    </div>
  );
}
