import { ActionError } from "@briefgeheim/ui";
import { createSignal, Show } from "solid-js";
import { handleFailure, saveFirstDraft, sendFirst } from "../actions.js";
import { discardFile, firstFiles } from "../attachments/send.js";
import { AttachmentPicker } from "../components/AttachmentPicker.js";
import { createAutosave } from "../components/autosave.js";
import { CharCounter } from "../components/CharCounter.js";
import { SaveNote } from "../components/SaveNote.js";
import { Warnings } from "../components/Warnings.js";
import { WorkProgress } from "../components/WorkProgress.js";
import { errorMessage } from "../errors.js";
import { t } from "../i18n/index.js";
import { formatCount, MAX_MESSAGE_CHARS, tooLong } from "../limits.js";
import { signedName } from "../profile-text.js";
import { show } from "../router.js";
import {
  body,
  codeConfirmed,
  current,
  restoredDraft,
  session,
  setBody,
  setSubject,
  signedIn,
  subject,
} from "../state.js";
import { messageWarnings, type TextWarning } from "../text-checks.js";

/**
 * Writing the first message. Before a code exists the text lives only in this tab (and the note says
 * so); once it exists, every pause in typing saves it encrypted through the SDK's draft API.
 */
export function Write() {
  const [warnings, setWarnings] = createSignal<TextWarning[]>([]);
  const [error, setError] = createSignal("");
  /** A refusal of the send itself, shown next to the button. */
  const [sendError, setSendError] = createSignal("");
  const [sending, setSending] = createSignal(false);
  const autosave = createAutosave(saveFirstDraft, { enabled: signedIn });
  let bodyField: HTMLTextAreaElement | undefined;

  const edited = () => {
    setWarnings([]);
    setError("");
    setSendError("");
    autosave.schedule();
  };

  const proceed = async (checked: boolean) => {
    if (body().trim() === "") {
      setError(t().bodyRequired);
      bodyField?.focus();
      return;
    }
    if (tooLong(body())) {
      setSendError(t().tooLong(formatCount(MAX_MESSAGE_CHARS)));
      return;
    }
    if (!checked) {
      const found = messageWarnings({
        subject: subject(),
        body: body(),
        code: codeConfirmed() ? session()?.code : undefined,
        first: true,
      });
      if (found.length > 0) {
        setWarnings(found);
        return;
      }
    }
    setWarnings([]);
    if (!codeConfirmed()) {
      show({ name: "ceremony" });
      return;
    }
    // A returning help-seeker who typed their code: no ceremony, send now.
    setSending(true);
    try {
      autosave.cancel();
      await sendFirst();
    } catch (e) {
      if (!handleFailure(e)) setSendError(errorMessage(e));
    } finally {
      setSending(false);
    }
  };

  return (
    <Show when={current()} fallback={<Gone />}>
      {(h) => (
        <>
          <h1 tabindex="-1">{t().writeTitle(signedName(h().id))}</h1>
          <p class={signedIn() ? "note" : "note caution"}>
            {signedIn() ? t().writeSavedNote : t().writeMemoryNote}
          </p>
          <Show when={restoredDraft()}>
            <p role="status">{t().draftRestored}</p>
          </Show>
          <form
            class="stack"
            novalidate
            onSubmit={(e) => {
              e.preventDefault();
              void proceed(false);
            }}
          >
            <div class="field">
              <label for="subject">{t().subject}</label>
              <p class="hint" id="subject-hint">
                {t().subjectHint}
              </p>
              <input
                id="subject"
                type="text"
                dir="auto"
                autocomplete="off"
                maxLength={200}
                aria-describedby="subject-hint"
                value={subject()}
                onInput={(e) => {
                  setSubject(e.currentTarget.value);
                  edited();
                }}
              />
            </div>
            <div class="field">
              <label for="body">{t().body}</label>
              <p class="hint" id="body-hint">
                {t().bodyHint}
              </p>
              <textarea
                id="body"
                ref={bodyField}
                rows={12}
                dir="auto"
                autocomplete="off"
                aria-describedby={error() === "" ? "body-hint body-count" : "body-hint body-count body-error"}
                aria-invalid={error() === "" ? undefined : true}
                value={body()}
                onInput={(e) => {
                  setBody(e.currentTarget.value);
                  edited();
                }}
              />
              <CharCounter id="body-count" text={body()} />
              <Show when={error() !== ""}>
                <p class="error" id="body-error" role="alert">
                  {error()}
                </p>
              </Show>
            </div>
            <AttachmentPicker
              list={firstFiles}
              busy={sending()}
              onRemoved={(item) => item.meta && void discardFile(session(), item.meta)}
            />
            <SaveNote status={autosave.status()} />
            <Show when={warnings().length > 0}>
              <Warnings
                warnings={warnings()}
                proceedLabel={codeConfirmed() ? t().warnSendAnyway : t().warnContinueAnyway}
                onProceed={() => void proceed(true)}
                onEdit={() => {
                  setWarnings([]);
                  bodyField?.focus();
                }}
              />
            </Show>
            <div class="actions">
              <a class="secondary button-link" href={`#/h/${h().slug}`}>
                {t().back}
              </a>
              <button type="submit" disabled={sending() || warnings().length > 0}>
                {sending()
                  ? t().sending
                  : codeConfirmed()
                    ? t().send
                    : signedIn()
                      ? t().writeNextCode
                      : t().writeNext}
              </button>
            </div>
            <WorkProgress />
            <ActionError id="send-error" class="send-error" message={sendError()} />
          </form>
        </>
      )}
    </Show>
  );
}

/** Shown when the in-memory state is gone (after a lock or an exit). */
function Gone() {
  return (
    <>
      <h1 tabindex="-1">{t().startTitle}</h1>
      <p>
        <a href="#/">{t().helplineToStart}</a>
      </p>
    </>
  );
}
