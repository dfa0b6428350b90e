import { t } from "../i18n/index.js";
import { keyHint, quickExit } from "../safety/quick-exit.js";

/** The "Snel weg" button, on every screen, with its keyboard alternatives and their count. */
export function QuickExit() {
  return (
    <div class="quick-exit">
      <button type="button" class="quick-exit-button" onClick={quickExit}>
        {t().quickExit}
        <span class="visually-hidden">: {t().quickExitLong}</span>
      </button>
      <p class="quick-exit-hint">{t().quickExitHint}</p>
      <p class="quick-exit-count" role="status">
        {keyHint()}
      </p>
    </div>
  );
}
