import type { HelplineProfileFields, ProfileForEditing } from "@briefgeheim/client";
import { createSignal, onMount, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { t } from "../i18n/index.js";
import { failure, requireStaff } from "../state/session.js";

/**
 * Supervisors: what help-seekers are shown about the helpline (name, a description per language,
 * the promised reply time). Saving signs the next profile version with this supervisor's key
 * (docs/PROTOCOL.md §10); help-seekers' apps show only a profile that verifies against the pinned root.
 * Before the first version the helpline is "not open yet" and the form starts from the operator's
 * unsigned proposal.
 */
export function HelplineProfile() {
  const staff = requireStaff();
  const [editing, setEditing] = createSignal<ProfileForEditing | undefined>();
  const [fields, setFields] = createSignal<HelplineProfileFields | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  const [saved, setSaved] = createSignal<number | undefined>();
  const [busy, setBusy] = createSignal(false);

  const load = async () => {
    try {
      const e = await staff.helplineProfile();
      setEditing(e);
      setFields(e.fields);
      setError(undefined);
    } catch (err) {
      setError(failure(err));
    }
  };
  onMount(() => void load());

  const update = (patch: Partial<HelplineProfileFields>) => {
    const f = fields();
    if (f !== undefined) setFields({ ...f, ...patch });
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const f = fields();
    if (f === undefined) return;
    setBusy(true);
    setSaved(undefined);
    try {
      const profile = await staff.publishHelplineProfile(f);
      setSaved(profile.profileVersion);
      await load();
    } catch (err) {
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };

  return (
    <section aria-labelledby="profile-title">
      <h1 id="profile-title">{t().profileTitle}</h1>
      <p class="lead">{t().profileLead}</p>
      <Alert message={error()} />
      <Show when={editing()}>
        {(e) => (
          <Show
            when={e().current}
            fallback={
              <p class="alert" data-testid="profile-not-open">
                {t().profileNotOpen}
              </p>
            }
          >
            {(current) => <p data-testid="profile-open">{t().profileOpen(current().profileVersion)}</p>}
          </Show>
        )}
      </Show>
      <Show when={fields()}>
        {(f) => (
          <form onSubmit={save}>
            <div class="field">
              <label for="profile-name">{t().profileName}</label>
              <input
                id="profile-name"
                required
                maxlength={120}
                value={f().name}
                onInput={(ev) => update({ name: ev.currentTarget.value })}
              />
            </div>
            <div class="field">
              <label for="profile-nl">{t().profileDescriptionNl}</label>
              <textarea
                id="profile-nl"
                rows={4}
                maxlength={2000}
                value={f().descriptionNl}
                onInput={(ev) => update({ descriptionNl: ev.currentTarget.value })}
              />
            </div>
            <div class="field">
              <label for="profile-en">{t().profileDescriptionEn}</label>
              <textarea
                id="profile-en"
                rows={4}
                maxlength={2000}
                value={f().descriptionEn}
                onInput={(ev) => update({ descriptionEn: ev.currentTarget.value })}
              />
            </div>
            <div class="field">
              <label for="profile-hours">{t().profileReplyHours}</label>
              <input
                id="profile-hours"
                type="number"
                min={1}
                max={8760}
                required
                value={f().replyWithinHours}
                onInput={(ev) => update({ replyWithinHours: Number(ev.currentTarget.value) })}
              />
            </div>
            <p>{t().profileSignNote}</p>
            <button type="submit" class="primary" disabled={busy()}>
              {editing()?.current === undefined ? t().profileSignOpen : t().profileSign}
            </button>
          </form>
        )}
      </Show>
      <Show when={saved()}>{(v) => <Status>{t().profileSaved(v())}</Status>}</Show>
    </section>
  );
}
