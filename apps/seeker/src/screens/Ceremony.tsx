import { ActionError } from "@briefgeheim/ui";
import { createSignal, For, Match, onCleanup, onMount, Show, Switch } from "solid-js";
import { handleFailure, makeCode, saveFirstDraft, sendFirst } from "../actions.js";
import { Steps } from "../components/Steps.js";
import { Warnings } from "../components/Warnings.js";
import { WorkProgress } from "../components/WorkProgress.js";
import { errorMessage } from "../errors.js";
import { t } from "../i18n/index.js";
import { show } from "../router.js";
import type { SeekerProgress } from "../sdk/types.js";
import { body, session, setCodeConfirmed, subject } from "../state.js";
import { containsCode, normaliseCodeLike } from "../text-checks.js";

const NEW_CODE_STEPS: readonly SeekerProgress[] = ["verifying-helpline", "deriving-keys", "signing-in"];

/** Two different groups to type back, one from each half of the code (1-based). */
function pickGroups(): [number, number] {
  const r = crypto.getRandomValues(new Uint8Array(2));
  return [1 + (r[0]! % 3), 4 + (r[1]! % 3)];
}

/** Offers the code as a text file through a short-lived object URL (revoked right after). */
function download(code: string): void {
  const blob = new Blob([t().downloadText(code)], { type: "text/plain;charset=utf-8" });
  const url = URL.createObjectURL(blob);
  const a = document.createElement("a");
  a.href = url;
  a.download = t().downloadName;
  a.rel = "noopener";
  a.hidden = true;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

/**
 * The code ceremony: the code is generated in this browser (the SDK derives the keys with Argon2id
 * and signs in meanwhile), shown large in groups, offered for printing and as a text file, and
 * confirmed by typing two groups back before the first message is sent. When this screen closes,
 * the code leaves the DOM with it.
 */
export function Ceremony() {
  const [phase, setPhase] = createSignal<"making" | "show" | "failed">("making");
  const [step, setStep] = createSignal<SeekerProgress | undefined>();
  const [code, setCode] = createSignal("");
  const [failure, setFailure] = createSignal("");
  const [confirmError, setConfirmError] = createSignal(false);
  const [warnCode, setWarnCode] = createSignal(false);
  const [sending, setSending] = createSignal(false);
  const [a, b] = pickGroups();
  let fieldA: HTMLInputElement | undefined;
  let fieldB: HTMLInputElement | undefined;
  const groups = () => (code() === "" ? [] : code().split("-"));

  onMount(async () => {
    try {
      const s = session() ?? (await makeCode(setStep));
      setCode(s.code);
      setPhase("show");
      void saveFirstDraft().catch(() => undefined); // from now on the draft is kept, encrypted
    } catch (e) {
      if (handleFailure(e)) return;
      setFailure(errorMessage(e));
      setPhase("failed");
    }
  });
  onCleanup(() => {
    setCode("");
    if (fieldA !== undefined) fieldA.value = "";
    if (fieldB !== undefined) fieldB.value = "";
  });

  const send = async () => {
    setSending(true);
    setFailure("");
    try {
      await sendFirst();
    } catch (e) {
      if (!handleFailure(e)) setFailure(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  const confirm = (e: SubmitEvent) => {
    e.preventDefault();
    const typedA = normaliseCodeLike(fieldA?.value ?? "");
    const typedB = normaliseCodeLike(fieldB?.value ?? "");
    const g = groups().map(normaliseCodeLike);
    if (typedA !== g[a - 1] || typedB !== g[b - 1]) {
      setConfirmError(true);
      fieldA?.focus();
      return;
    }
    setConfirmError(false);
    setCodeConfirmed(true);
    if (containsCode(`${subject()}\n${body()}`, code())) {
      setWarnCode(true);
      return;
    }
    void send();
  };

  return (
    <>
      <h1 tabindex="-1">{t().ceremonyTitle}</h1>
      <Switch>
        <Match when={phase() === "making"}>
          <p>{t().ceremonyMaking}</p>
          <Steps steps={NEW_CODE_STEPS} current={step()} />
          <WorkProgress />
        </Match>
        <Match when={phase() === "failed"}>
          <div class="danger" role="alert">
            <p>{t().ceremonyFailed}</p>
            <p>{failure()}</p>
          </div>
          <button type="button" class="secondary" onClick={() => show({ name: "write" })}>
            {t().ceremonyEdit}
          </button>
        </Match>
        <Match when={phase() === "show"}>
          <div class="important">
            <p>
              <strong>{t().ceremonyOnlyWay}</strong>
            </p>
            <p>
              <strong>{t().ceremonyBearer}</strong>
            </p>
          </div>
          <section class="print-area" aria-labelledby="code-label">
            <p class="print-only">{t().printHeading}</p>
            <p id="code-label" class="code-label">
              {t().ceremonyCodeLabel}
            </p>
            <p class="code" translate="no">
              <For each={groups()}>
                {(group, i) => (
                  <>
                    <span class="group">{group}</span>
                    {i() < groups().length - 1 ? " " : ""}
                  </>
                )}
              </For>
            </p>
          </section>
          <p>{t().ceremonyKeep}</p>
          <div class="actions">
            <button type="button" class="secondary" onClick={() => window.print()}>
              {t().print}
            </button>
            <button type="button" class="secondary" onClick={() => download(code())}>
              {t().download}
            </button>
          </div>

          <form class="stack card" novalidate onSubmit={confirm} aria-labelledby="confirm-title">
            <h2 id="confirm-title">{t().confirmTitle}</h2>
            <p id="confirm-intro">{t().confirmIntro(a, b)}</p>
            <div class="group-fields">
              <div class="field">
                <label for="group-a">{t().confirmGroup(a)}</label>
                <input
                  id="group-a"
                  ref={fieldA}
                  class="group-input"
                  type="text"
                  autocomplete="off"
                  autocapitalize="characters"
                  spellcheck={false}
                  maxLength={9}
                  aria-describedby={confirmError() ? "confirm-intro confirm-error" : "confirm-intro"}
                  aria-invalid={confirmError() ? true : undefined}
                  onInput={() => setConfirmError(false)}
                />
              </div>
              <div class="field">
                <label for="group-b">{t().confirmGroup(b)}</label>
                <input
                  id="group-b"
                  ref={fieldB}
                  class="group-input"
                  type="text"
                  autocomplete="off"
                  autocapitalize="characters"
                  spellcheck={false}
                  maxLength={9}
                  aria-describedby={confirmError() ? "confirm-intro confirm-error" : "confirm-intro"}
                  aria-invalid={confirmError() ? true : undefined}
                  onInput={() => setConfirmError(false)}
                />
              </div>
            </div>
            <Show when={confirmError()}>
              <p class="error" id="confirm-error" role="alert">
                {t().confirmWrong}
              </p>
            </Show>
            <Show when={warnCode()}>
              <Warnings
                warnings={["contains-code"]}
                proceedLabel={t().warnSendAnyway}
                onProceed={() => {
                  setWarnCode(false);
                  void send();
                }}
                onEdit={() => show({ name: "write" })}
              />
            </Show>
            <div class="actions">
              <button type="button" class="secondary" onClick={() => show({ name: "write" })}>
                {t().ceremonyEdit}
              </button>
              <button type="submit" disabled={sending() || warnCode()}>
                {sending() ? t().sending : t().confirmSend}
              </button>
            </div>
            <WorkProgress />
            <ActionError id="send-error" class="send-error" message={failure()} />
          </form>
        </Match>
      </Switch>
    </>
  );
}
