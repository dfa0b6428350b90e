import { t } from "../i18n/index.js";
import { keyHint, quickExit } from "../safety/quick-exit.js";

/**
 * The "Snel weg" button, on every screen, with its keyboard alternatives and their count. The key
 * hint shows only where there is a keyboard: on a touch screen (no hover, coarse pointer) the hint
 * says to tap instead (styles.css). `inDialog` is the copy placed inside a modal dialog, in the same
 * spot, because a modal dialog makes the rest of the page untappable (issue 10, item 2).
 */
export function QuickExit(props: { inDialog?: boolean }) {
  return (
    <div class={props.inDialog ? "quick-exit in-dialog" : "quick-exit"}>
      <button type="button" class="quick-exit-button" onClick={quickExit}>
        {t().quickExit}
        <span class="visually-hidden">: {t().quickExitLong}</span>
      </button>
      <p class="quick-exit-hint keys-hint">{t().quickExitHint}</p>
      <p class="quick-exit-hint touch-hint">{t().quickExitTouchHint}</p>
      {props.inDialog ? null : (
        <p class="quick-exit-count" role="status">
          {keyHint()}
        </p>
      )}
    </div>
  );
}
