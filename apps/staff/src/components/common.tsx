import { type JSX, Show } from "solid-js";
import { LANGS, lang, setLang, t } from "../i18n/index.js";
import type { DueState } from "../lib/due.js";

/** A polite live region for progress and outcomes. */
export function Status(props: { children: JSX.Element; class?: string }) {
  return (
    <p class={props.class ?? "status"} role="status" aria-live="polite">
      {props.children}
    </p>
  );
}

/** An error that interrupts: announced at once. */
export function Alert(props: { message: string | undefined }) {
  return (
    <Show when={props.message}>
      {(message) => (
        <p class="alert" role="alert">
          {message()}
        </p>
      )}
    </Show>
  );
}

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

/** A determinate progress bar with its text beside it (the text is the live part). */
export function ProgressBar(props: { label: string; value: number; max: number; text: string }) {
  return (
    <div class="progress">
      <label>
        <span class="visually-hidden">{props.label}</span>
        <progress value={props.value} max={Math.max(1, props.max)}>
          {props.text}
        </progress>
      </label>
      <Status>{props.text}</Status>
    </div>
  );
}
