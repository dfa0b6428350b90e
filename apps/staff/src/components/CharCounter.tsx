import { t } from "../i18n/index.js";
import { charCount, formatCount, MAX_MESSAGE_CHARS } from "../lib/limits.js";
import { Alert } from "./common.js";

/**
 * The characters used and the limit, under a text box (bind it with `aria-describedby={props.id}`).
 * Not a live region while typing; going over the limit adds one alert that says what to do.
 */
export function CharCounter(props: { id: string; text: string }) {
  const used = () => charCount(props.text);
  const over = () => used() - MAX_MESSAGE_CHARS;
  return (
    <>
      <p class={over() > 0 ? "counter over" : "counter"} id={props.id}>
        {t().charCount(formatCount(used()), formatCount(MAX_MESSAGE_CHARS))}
      </p>
      <Alert
        message={
          over() > 0 ? t().charCountOver(formatCount(over()), formatCount(MAX_MESSAGE_CHARS)) : undefined
        }
      />
    </>
  );
}
