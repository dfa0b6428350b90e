import { createSignal } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { PassphraseFields, type PassphraseState } from "../components/PassphraseFields.js";
import { t } from "../i18n/index.js";
import { resetPassphrase } from "../lib/recover.js";
import { stepText } from "../lib/steps.js";
import { createStepForm } from "../lib/submit.js";
import { show } from "../state/nav.js";
import { enterApp, signIn } from "../state/session.js";
import { USERNAME_PATTERN } from "./AcceptInvite.js";

/** A forgotten passphrase: the recovery key from the printed sheet sets a new one, then signs in. */
export function Recover() {
  const [username, setUsername] = createSignal("");
  const { busy, step, setStep, error, setError, run } = createStepForm();
  let passphrase: PassphraseState | undefined;
  let keyInput: HTMLInputElement | undefined;

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const name = username().trim().toLowerCase();
    const recoveryKey = keyInput?.value ?? "";
    const problem = !USERNAME_PATTERN.test(name)
      ? t().inviteUsernameInvalid
      : recoveryKey.trim() === ""
        ? t().recoverKeyMissing
        : passphrase?.problem();
    if (problem !== undefined) {
      setError(problem);
      return;
    }
    const pass = passphrase!.value()!;
    await run(async () => {
      await resetPassphrase({ username: name, recoveryKey, newPassphrase: pass, onProgress: setStep });
      if (keyInput !== undefined) keyInput.value = "";
      await signIn(name, pass, setStep);
      passphrase?.clear();
      enterApp();
    });
  };

  return (
    <section class="card" aria-labelledby="recover-title">
      <h1 id="recover-title">{t().recoverTitle}</h1>
      <p class="lead">{t().recoverLead}</p>
      <form class="stack" onSubmit={submit} aria-busy={busy()} novalidate>
        <div class="field">
          <label for="recover-username">{t().signInUsername}</label>
          <input
            id="recover-username"
            type="text"
            autocomplete="username"
            autocapitalize="none"
            spellcheck={false}
            onInput={(e) => setUsername(e.currentTarget.value)}
            required
          />
        </div>
        <div class="field">
          <label for="recover-key">{t().recoverKey}</label>
          <input
            id="recover-key"
            ref={keyInput}
            type="text"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            aria-describedby="recover-key-hint"
            class="mono"
            required
          />
          <p class="hint" id="recover-key-hint">
            {t().recoverKeyHint}
          </p>
        </div>
        <PassphraseFields
          idPrefix="recover-pass"
          userInputs={() => [username(), "briefgeheim"]}
          bind={(s) => {
            passphrase = s;
          }}
        />
        <Alert message={error()} />
        <div class="actions">
          <button type="submit" class="primary" disabled={busy()}>
            {t().recoverSubmit}
          </button>
          <button type="button" class="link-button" onClick={() => show({ name: "sign-in" })}>
            {t().recoverBack}
          </button>
        </div>
        <Status>{stepText(step())}</Status>
      </form>
    </section>
  );
}
