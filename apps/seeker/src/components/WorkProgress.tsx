import { Show } from "solid-js";
import { t } from "../i18n/index.js";
import { work } from "../work.js";

/**
 * The proof of work's progress next to the button that started it (a polite live region, so a screen
 * reader hears that something is happening; shown only when the work takes a moment).
 */
export function WorkProgress() {
  return (
    <div class="work" role="status">
      <Show when={work() !== undefined}>
        <p>{t().workProgress(work() ?? 0)}</p>
        <progress max="100" value={work() ?? 0} aria-label={t().workLabel} />
      </Show>
    </div>
  );
}
