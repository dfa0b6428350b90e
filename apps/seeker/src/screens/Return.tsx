import { createSignal, onCleanup, Show } from "solid-js";
import { handleFailure, resumeWithCode } from "../actions.js";
import { Steps } from "../components/Steps.js";
import { errorMessage } from "../errors.js";
import { t } from "../i18n/index.js";
import { show } from "../router.js";
import { errorCode } from "../sdk/load.js";
import type { SeekerProgress } from "../sdk/types.js";
import { codeCharacterCount } from "../text-checks.js";

const RETURN_STEPS: readonly SeekerProgress[] = [
  "checking-code",
  "verifying-helpline",
  "deriving-keys",
  "signing-in",
];

/**
 * Coming back with a code. The input is tolerant (case, spaces, dashes); its length is checked here
 * and its checksum by the SDK, both before any request. The typed code is read from the field once,
 * passed to the SDK, and the field is emptied as soon as the session exists.
 */
export function Return() {
  const [error, setError] = createSignal("");
  const [noConversation, setNoConversation] = createSignal(false);
  const [busy, setBusy] = createSignal(false);
  const [step, setStep] = createSignal<SeekerProgress | undefined>();
  let field: HTMLInputElement | undefined;
  onCleanup(() => {
    if (field !== undefined) field.value = "";
  });

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    setError("");
    setNoConversation(false);
    const typed = field?.value ?? "";
    const count = codeCharacterCount(typed);
    if (count === 0) {
      setError(t().codeEmpty);
      field?.focus();
      return;
    }
    if (count !== 24) {
      setError(t().codeFormat(count));
      field?.focus();
      return;
    }
    setBusy(true);
    try {
      await resumeWithCode(typed, setStep);
      if (field !== undefined) field.value = "";
    } catch (err) {
      const code = errorCode(err);
      if (code === "INVALID_CODE_CHECKSUM") setError(t().codeChecksum);
      else if (code === "INVALID_CODE_FORMAT") setError(t().codeFormatChars);
      else if (code === "NO_CONVERSATION") {
        if (field !== undefined) field.value = "";
        setNoConversation(true);
      } else if (!handleFailure(err)) setError(errorMessage(err));
    } finally {
      setBusy(false);
      setStep(undefined);
      if (error() !== "") field?.focus(); // enabled again: back to the field, so the typo can be fixed
    }
  };

  return (
    <>
      <h1 tabindex="-1">{t().returnTitle}</h1>
      <p class="lead">{t().returnIntro}</p>
      <form class="stack" novalidate onSubmit={submit}>
        <div class="field">
          <label for="code">{t().codeLabel}</label>
          <p class="hint" id="code-hint">
            {t().codeHint}
          </p>
          <input
            id="code"
            ref={field}
            class="code-input"
            type="text"
            name="notitie"
            autocomplete="off"
            autocapitalize="characters"
            spellcheck={false}
            translate="no"
            maxLength={64}
            aria-describedby={error() === "" ? "code-hint" : "code-hint code-error"}
            aria-invalid={error() === "" ? undefined : true}
            disabled={busy()}
            onInput={() => setError("")}
          />
          <Show when={error() !== ""}>
            <p class="error" id="code-error" role="alert">
              {error()}
            </p>
          </Show>
        </div>
        <Show when={busy()}>
          <Steps steps={RETURN_STEPS} current={step()} />
        </Show>
        <Show when={noConversation()}>
          <div class="notice" role="status">
            <p>{t().noConversation}</p>
            <button type="button" class="secondary" onClick={() => show({ name: "write" })}>
              {t().writeNew}
            </button>
          </div>
        </Show>
        <div class="actions">
          <a class="secondary button-link" href="#/">
            {t().back}
          </a>
          <button type="submit" disabled={busy()}>
            {busy() ? t().opening : t().openConversation}
          </button>
        </div>
      </form>
    </>
  );
}
