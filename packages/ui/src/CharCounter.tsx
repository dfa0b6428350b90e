import { Show } from "solid-js";
import { charCount } from "./text.js";

/**
 * The characters used and the limit, under a text box (bind it with `aria-describedby={props.id}`).
 * Not a live region while typing; going over the limit adds one alert that says what to do. The
 * words come from the app's i18n (`counted`, `over`), the numbers from `format` (Intl).
 */
export function CharCounter(props: {
  id: string;
  text: string;
  max: number;
  format: (n: number) => string;
  counted: (used: string, max: string) => string;
  over: (over: string, max: string) => string;
}) {
  const used = () => charCount(props.text);
  const over = () => used() - props.max;
  return (
    <>
      <p class={over() > 0 ? "counter over" : "counter"} id={props.id}>
        {props.counted(props.format(used()), props.format(props.max))}
      </p>
      <Show when={over() > 0}>
        <p class="error counter-over" role="alert">
          {props.over(props.format(over()), props.format(props.max))}
        </p>
      </Show>
    </>
  );
}
