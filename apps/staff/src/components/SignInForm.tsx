import { createSignal, onMount, Show } from "solid-js";
import { t } from "../i18n/index.js";
import { signInErrorText } from "../lib/rate-limit.js";
import { type Step, stepText } from "../lib/steps.js";
import { Shell } from "../screens/lazy.js";
import type { View } from "../state/nav.js";
import { enterApp, prepareSignIn, signIn } from "../state/session.js";
import { Alert, Status } from "./common.js";

/**
 * Username and passphrase. While the passphrase key is derived (Argon2id, a fraction of a second to a
 * few seconds) the steps are announced; the passphrase field is cleared whatever the outcome.
 */
export function SignInForm(props: {
  username?: string;
  resume?: View;
  submitLabel?: string;
  idPrefix?: string;
}) {
  const id = (name: string) => `${props.idPrefix ?? "signin"}-${name}`;
  const [busy, setBusy] = createSignal(false);
  const [step, setStep] = createSignal<Step | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  let passphraseInput: HTMLInputElement | undefined;
  onMount(() => {
    prepareSignIn();
    // The shell (the inbox) is what signing in leads to: its chunk loads while the person types.
    void Shell.preload();
  });

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const form = e.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    const username = String(data.get("username") ?? props.username ?? "")
      .trim()
      .toLowerCase();
    const passphrase = String(data.get("passphrase") ?? "");
    if (passphraseInput !== undefined) passphraseInput.value = "";
    if (username === "" || passphrase === "") {
      setError(t().signInMissing);
      return;
    }
    setError(undefined);
    setBusy(true);
    try {
      await signIn(username, passphrase, setStep);
      enterApp(props.resume);
    } catch (err) {
      setError(signInErrorText(err));
      passphraseInput?.focus();
    } finally {
      setBusy(false);
      setStep(undefined);
    }
  };

  return (
    <form class="stack" onSubmit={submit} aria-busy={busy()} novalidate>
      <Show
        when={props.username === undefined}
        fallback={<input type="hidden" name="username" value={props.username} autocomplete="username" />}
      >
        <div class="field">
          <label for={id("username")}>{t().signInUsername}</label>
          <input
            id={id("username")}
            name="username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            required
          />
        </div>
      </Show>
      <div class="field">
        <label for={id("passphrase")}>{t().signInPassphrase}</label>
        <input
          id={id("passphrase")}
          ref={passphraseInput}
          name="passphrase"
          type="password"
          autocomplete="current-password"
          required
        />
      </div>
      <Alert message={error()} />
      <div class="actions">
        <button type="submit" class="primary" disabled={busy()}>
          {props.submitLabel ?? t().signInSubmit}
        </button>
      </div>
      <Status>{stepText(step())}</Status>
    </form>
  );
}
