import { createSignal } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { t } from "../i18n/index.js";
import { failure, requireStaff, startIdleLock } from "../state/session.js";
import "../styles/helpline-settings.css";

/**
 * Supervisors: what the server applies itself, unsigned (retention days, idle-lock minutes). Saved on
 * its own, audited by the server (issue 11 item 3).
 */
export function HelplineServerSettings(props: {
  readonly initial: { readonly retentionDays: number; readonly lockAfterMinutes: number };
}) {
  const staff = requireStaff();
  const [retention, setRetention] = createSignal(props.initial.retentionDays);
  const [lock, setLock] = createSignal(props.initial.lockAfterMinutes);
  const [error, setError] = createSignal<string | undefined>();
  const [saved, setSaved] = createSignal(false);
  const [busy, setBusy] = createSignal(false);

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    setBusy(true);
    setSaved(false);
    setError(undefined);
    try {
      const applied = await staff.updateHelplineSettings({
        retentionDays: retention(),
        lockAfterMinutes: lock(),
      });
      setRetention(applied.retentionDays);
      setLock(applied.lockAfterMinutes);
      startIdleLock(applied.lockAfterMinutes); // this tab locks by the new rule at once
      setSaved(true);
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section class="settings-server" aria-labelledby="server-settings-title">
      <h2 id="server-settings-title">{t().serverTitle}</h2>
      <p class="hint">{t().serverLead}</p>
      <form onSubmit={save} data-testid="server-settings">
        <div class="field">
          <label for="settings-retention">{t().serverRetention}</label>
          <input
            id="settings-retention"
            type="number"
            min={1}
            max={3650}
            required
            aria-describedby="settings-retention-hint"
            value={retention()}
            onInput={(ev) => setRetention(Number(ev.currentTarget.value))}
          />
          <p class="hint" id="settings-retention-hint">
            {t().serverRetentionHint}
          </p>
        </div>
        <div class="field">
          <label for="settings-lock">{t().serverLock}</label>
          <input
            id="settings-lock"
            type="number"
            min={1}
            max={240}
            required
            value={lock()}
            onInput={(ev) => setLock(Number(ev.currentTarget.value))}
          />
        </div>
        <Alert message={error()} />
        <button type="submit" disabled={busy()}>
          {t().serverSave}
        </button>
      </form>
      <Status>{saved() ? t().serverSaved : ""}</Status>
    </section>
  );
}
