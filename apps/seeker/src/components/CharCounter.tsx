import { CharCounter as Counter } from "@briefgeheim/ui";
import { t } from "../i18n/index.js";
import { formatCount, MAX_MESSAGE_CHARS } from "../limits.js";

/**
 * The characters used and the limit under a message box: the shared counter of @briefgeheim/ui with
 * this app's limit and words (bind it with `aria-describedby={props.id}`).
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
