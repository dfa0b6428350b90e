import type { HelplineProfileFields, ProfileForEditing } from "@briefgeheim/client";
import { createSignal, onMount, Show } from "solid-js";
import { CrisisOptionsEditor } from "../components/CrisisOptionsEditor.js";
import { Alert, Status } from "../components/common.js";
import { t } from "../i18n/index.js";
import { failure, requireStaff } from "../state/session.js";
import { HelplineServerSettings } from "./HelplineServerSettings.js";
import { ProposalNotice } from "./ProposalNotice.js";
import "../styles/helpline-settings.css";

/**
 * Supervisors: what help-seekers are shown about the helpline (name, a description per language,
 * the promised reply time, the crisis options on every screen and the quick-exit destination: type
 * 0x0b). Saving signs the next profile version with this supervisor's key
 * (docs/PROTOCOL.md §10); help-seekers' apps show only a profile that verifies against the pinned root.
 * Before the first version the helpline is "not open yet" and the form starts from the operator's
 * unsigned proposal.
 */
export function HelplineProfile() {
  const staff = requireStaff();
  const [editing, setEditing] = createSignal<ProfileForEditing | undefined>();
  const [fields, setFields] = createSignal<Required<HelplineProfileFields> | undefined>();
  const [adopted, setAdopted] = createSignal(false);
  const [error, setError] = createSignal<string | undefined>();
  const [saved, setSaved] = createSignal<number | undefined>();
  const [busy, setBusy] = createSignal(false);

  const load = async () => {
    try {
      const e = await staff.helplineProfile();
      setEditing(e);
      setFields(e.fields);
      setAdopted(false);
      setError(undefined);
    } catch (err) {
      setError(failure(err));
    }
  };
  onMount(() => void load());

  const update = (patch: Partial<Required<HelplineProfileFields>>) => {
    const f = fields();
    if (f !== undefined) setFields({ ...f, ...patch });
  };

  const save = async (event: SubmitEvent) => {
    event.preventDefault();
    const f = fields();
    if (f === undefined) return;
    setBusy(true);
    setSaved(undefined);
    setError(undefined);
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
    <section aria-labelledby="profile-title" class="helpline-settings">
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
      <Show when={editing()?.proposal}>
        {(proposal) => (
          <ProposalNotice
            proposal={proposal()}
            current={editing()?.fields}
            onAdopt={() => {
              setFields({ ...proposal(), crisisOptions: proposal().crisisOptions.map((o) => ({ ...o })) });
              setAdopted(true);
            }}
          />
        )}
      </Show>
      <Show when={adopted()}>
        <Status>{t().proposalAdopted}</Status>
      </Show>
      <Show when={fields()}>
        {(f) => (
          <form onSubmit={save} data-testid="profile-form">
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
            <CrisisOptionsEditor
              options={f().crisisOptions}
              onChange={(crisisOptions) => update({ crisisOptions })}
            />
            <div class="field">
              <label for="profile-exit">{t().exitLabel}</label>
              <input
                id="profile-exit"
                type="url"
                inputmode="url"
                pattern="https://[A-Za-z0-9.\-]+(:[0-9]{1,5})?(/\S*)?"
                maxlength={512}
                aria-describedby="profile-exit-hint"
                value={f().exitUrl}
                onInput={(ev) => update({ exitUrl: ev.currentTarget.value.trim() })}
              />
              <p class="hint" id="profile-exit-hint">
                {t().exitHint}
              </p>
            </div>
            <p>{t().profileSignNote}</p>
            <button type="submit" class="primary" disabled={busy()}>
              {editing()?.current === undefined ? t().profileSignOpen : t().profileSign}
            </button>
          </form>
        )}
      </Show>
      <Show when={saved()}>{(v) => <Status>{t().profileSaved(v())}</Status>}</Show>
      <Show when={editing()?.settings} keyed>
        {(settings) => <HelplineServerSettings initial={settings} />}
      </Show>
    </section>
  );
}
