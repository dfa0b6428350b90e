import { createSignal, Show } from "solid-js";
import { formatDateTime, t } from "../i18n/index.js";
import { show } from "../state/nav.js";
import { enterApp, setSheet, sheet } from "../state/session.js";

/**
 * The recovery sheet, shown once after accepting an invite: the recovery key (resets a forgotten
 * passphrase) and, for a helpline's first supervisor, the root key's recovery text and its fingerprint
 * to publish. Printed with the browser's print dialog; it leaves memory when the user moves on.
 */
export function RecoverySheetScreen() {
  const [confirmed, setConfirmed] = createSignal(false);
  const [error, setError] = createSignal(false);

  const next = () => {
    const s = sheet();
    if (!confirmed()) {
      setError(true);
      return;
    }
    setSheet(undefined);
    if (s?.next === "app") enterApp();
    else
      show({
        name: "pending",
        username: s?.username ?? "",
        ...(s === undefined ? {} : { safetyCode: s.safetyCode, role: s.role }),
      });
  };

  return (
    <Show when={sheet()} fallback={<p>{t().sheetGone}</p>}>
      {(s) => (
        <section aria-labelledby="sheet-title" class="card">
          <h1 id="sheet-title">{t().sheetTitle}</h1>
          <p class="lead no-print">{t().sheetLead}</p>
          <article class="sheet" aria-labelledby="sheet-heading">
            <h2 id="sheet-heading">{t().sheetHeading}</h2>
            <dl class="facts">
              <dt>{t().sheetHelpline}</dt>
              <dd>{s().helplineName}</dd>
              <dt>{t().sheetUsername}</dt>
              <dd>{s().username}</dd>
              <dt>{t().sheetDisplayName}</dt>
              <dd>{s().displayName}</dd>
              <dt>{t().sheetRole}</dt>
              <dd>{t().roles[s().role]}</dd>
              <dt>{t().sheetDate}</dt>
              <dd>{formatDateTime(s().createdAt)}</dd>
            </dl>
            <h3>{t().sheetRecoveryKey}</h3>
            <p class="secret" data-testid="recovery-key">
              {s().recoveryKeyText}
            </p>
            <p>{t().sheetRecoveryUse}</p>
            <Show when={s().rootRecoveryText}>
              <h3>{t().sheetRootTitle}</h3>
              <p>{t().sheetRootUse}</p>
              <p class="secret" data-testid="root-recovery">
                {s().rootRecoveryText}
              </p>
              <h3>{t().sheetFingerprint}</h3>
              <p class="fingerprint" data-testid="root-fingerprint">
                {s().fingerprint}
              </p>
              <p>{t().sheetFingerprintUse}</p>
            </Show>
            <p class="hint">{t().sheetKeepSafe}</p>
          </article>
          <div class="stack no-print">
            <div class="actions">
              <button type="button" onClick={() => window.print()}>
                {t().sheetPrint}
              </button>
            </div>
            <div class="check">
              <input
                id="sheet-confirm"
                type="checkbox"
                checked={confirmed()}
                aria-describedby={error() ? "sheet-error" : undefined}
                onChange={(e) => {
                  setConfirmed(e.currentTarget.checked);
                  setError(false);
                }}
              />
              <label for="sheet-confirm">{t().sheetConfirm}</label>
            </div>
            <Show when={error()}>
              <p class="alert" role="alert" id="sheet-error">
                {t().sheetConfirmFirst}
              </p>
            </Show>
            <div class="actions">
              <button type="button" class="primary" onClick={next}>
                {t().sheetContinue}
              </button>
            </div>
          </div>
        </section>
      )}
    </Show>
  );
}
