import { LANGS, lang, setLang, t } from "../i18n/index.js";
import type { DueState } from "../lib/due.js";

// The live regions and the progress bar are the shared ones (packages/ui), so a fix lands once.
export { Alert, ProgressBar, Status } from "@briefgeheim/ui";

/** Switches between Dutch and English (each label in its own language). */
export function LanguageSwitch() {
  const other = () => LANGS.find((l) => l !== lang())!;
  return (
    <button
      type="button"
      class="link-button lang-switch"
      lang={other()}
      aria-label={t().otherLanguageLabel}
      onClick={() => setLang(other())}
    >
      {t().otherLanguage}
    </button>
  );
}

/** On time / due soon / late / answered, in words (never colour alone). */
export function DueBadge(props: { state: DueState }) {
  return <span class={`badge due-${props.state}`}>{t().dueNames[props.state]}</span>;
}
