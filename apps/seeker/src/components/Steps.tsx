import { For, Show } from "solid-js";
import { t } from "../i18n/index.js";
import type { SeekerProgress } from "../sdk/types.js";

const LABEL: Record<SeekerProgress, () => string> = {
  "checking-code": () => t().stepCheckingCode,
  "verifying-helpline": () => t().stepVerifyingHelpline,
  "deriving-keys": () => t().stepDerivingKeys,
  "signing-in": () => t().stepSigningIn,
};

/**
 * Progress of starting a session (key derivation with Argon2id takes a moment). The current step is
 * announced politely; the spinner is a CSS animation, which keeps turning while the main thread
 * derives the keys.
 */
export function Steps(props: { steps: readonly SeekerProgress[]; current: SeekerProgress | undefined }) {
  const index = () => (props.current === undefined ? -1 : props.steps.indexOf(props.current));
  return (
    <div class="steps">
      <div class="spinner" aria-hidden="true" />
      <ol aria-label={t().stepsLabel}>
        <For each={props.steps}>
          {(step, i) => (
            <li classList={{ done: i() < index(), busy: i() === index() }}>
              {LABEL[step]()}
              <Show when={i() < index()}>
                <span class="visually-hidden"> ({t().stepDone})</span>
              </Show>
              <Show when={i() === index()}>
                <span class="visually-hidden"> ({t().stepBusy})</span>
              </Show>
            </li>
          )}
        </For>
      </ol>
      <p class="visually-hidden" role="status">
        {props.current === undefined ? "" : LABEL[props.current]()}
      </p>
    </div>
  );
}
