import { For } from "solid-js";
import { t } from "../i18n/index.js";
import type { TextWarning } from "../text-checks.js";

const TEXT: Record<TextWarning, () => string> = {
  "contains-code": () => t().warnContainsCode,
  email: () => t().warnEmail,
  phone: () => t().warnPhone,
  short: () => t().warnShort,
};

/** The second look before sending: what was found, and the choice to edit or go on anyway. */
export function Warnings(props: {
  warnings: readonly TextWarning[];
  proceedLabel: string;
  onProceed: () => void;
  onEdit: () => void;
}) {
  return (
    <section class="warnings" role="alert" aria-labelledby="warnings-title">
      <h2 id="warnings-title">{t().warningsTitle}</h2>
      <ul>
        <For each={props.warnings}>
          {(w) => <li classList={{ strong: w === "contains-code" }}>{TEXT[w]()}</li>}
        </For>
      </ul>
      <div class="actions">
        <button type="button" class="secondary" onClick={() => props.onEdit()}>
          {t().warnEdit}
        </button>
        <button type="button" onClick={() => props.onProceed()}>
          {props.proceedLabel}
        </button>
      </div>
    </section>
  );
}
