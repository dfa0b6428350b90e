import { createEffect, createResource, createSignal, Match, Show, Switch } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { PassphraseFields, type PassphraseState } from "../components/PassphraseFields.js";
import { formatDateTime, t } from "../i18n/index.js";
import { errorText } from "../lib/errors.js";
import { getClient, loadSdk } from "../lib/sdk.js";
import { stepText } from "../lib/steps.js";
import { createStepForm } from "../lib/submit.js";
import { show } from "../state/nav.js";
import { setSheet, signIn } from "../state/session.js";

export const USERNAME_PATTERN = /^[a-z0-9._-]{3,32}$/;

/**
 * Accepting a one-time invite: username, display name, passphrase (with strength meter). The browser
 * makes the account keys and uploads them wrapped; the first supervisor of a helpline also makes the
 * helpline's root key here. Then the recovery sheet.
 */
export function AcceptInvite(props: { token: string; secret: string | undefined }) {
  const [info] = createResource(
    () => props.token,
    async (token) => {
      const [sdk, client] = await Promise.all([loadSdk(), getClient()]);
      return sdk.readJson(await client.api.invites[":token"].$get({ param: { token } }));
    },
  );
  const [username, setUsername] = createSignal("");
  const [displayName, setDisplayName] = createSignal("");
  const { busy, step, setStep, error, setError, run } = createStepForm();
  let passphrase: PassphraseState | undefined;
  // Issue 10, staff item 4: a refusal of the passphrase follows the passphrase as it changes (the
  // meter may say "very strong" a moment later), instead of staying until the next submit.
  let passphraseRefused = false;
  const [bound, setBound] = createSignal<PassphraseState | undefined>();
  createEffect(() => {
    const now = bound()?.problem();
    if (!passphraseRefused) return;
    setError(now);
    if (now === undefined) passphraseRefused = false;
  });

  const submit = async (e: SubmitEvent) => {
    e.preventDefault();
    const invite = info();
    if (invite === undefined) return;
    const name = username().trim().toLowerCase();
    const shown = displayName().trim();
    const problem = !USERNAME_PATTERN.test(name)
      ? t().inviteUsernameInvalid
      : shown.length === 0 || new TextEncoder().encode(shown).length > 64
        ? t().inviteDisplayNameInvalid
        : passphrase?.problem();
    if (problem !== undefined) {
      setError(problem);
      passphraseRefused = problem === passphrase?.problem();
      return;
    }
    const pass = passphrase!.value()!;
    await run(async () => {
      setStep("loading");
      const [sdk, client] = await Promise.all([loadSdk(), getClient()]);
      await new Promise((r) => requestAnimationFrame(() => setTimeout(r, 0)));
      const accepted = await sdk.acceptInvite(client, props.token, {
        ...(props.secret === undefined ? {} : { inviteSecret: props.secret }),
        username: name,
        displayName: shown,
        passphrase: pass,
        onProgress: setStep,
      });
      let next: "app" | "pending" = "pending";
      if (accepted.status === "active") {
        await signIn(name, pass, setStep);
        next = "app";
      }
      passphrase?.clear();
      setSheet({
        username: name,
        displayName: shown,
        helplineName: invite.helplineName,
        role: accepted.role,
        recoveryKeyText: accepted.recoveryKeyText,
        safetyCode: accepted.safetyCode,
        ...(accepted.rootRecoveryText === undefined ? {} : { rootRecoveryText: accepted.rootRecoveryText }),
        ...(accepted.fingerprint === undefined ? {} : { fingerprint: accepted.fingerprint }),
        createdAt: Date.now(),
        next,
      });
      show({ name: "sheet" });
    });
  };

  return (
    <section class="card" aria-labelledby="invite-title">
      <h1 id="invite-title">{t().inviteTitle}</h1>
      <Switch>
        <Match when={info.loading}>
          <Status>{t().inviteLoading}</Status>
        </Match>
        <Match when={info.error !== undefined}>
          <Alert message={errorText(info.error)} />
          <p>
            <button type="button" class="link-button" onClick={() => show({ name: "sign-in" })}>
              {t().inviteToSignIn}
            </button>
          </p>
        </Match>
        <Match when={info()}>
          {(invite) => (
            <>
              <p class="lead">
                {invite().role === "supervisor"
                  ? t().inviteLeadSupervisor(invite().helplineName)
                  : t().inviteLeadCounsellor(invite().helplineName)}
              </p>
              <Show when={invite().firstSupervisor}>
                <p class="notice">{t().inviteFirstSupervisor}</p>
              </Show>
              <p class="hint">{t().inviteExpires(formatDateTime(invite().expiresAt))}</p>
              <form class="stack" onSubmit={submit} aria-busy={busy()} novalidate>
                <div class="field">
                  <label for="invite-username">{t().inviteUsername}</label>
                  <input
                    id="invite-username"
                    name="username"
                    type="text"
                    autocomplete="username"
                    autocapitalize="none"
                    spellcheck={false}
                    aria-describedby="invite-username-hint"
                    onInput={(e) => setUsername(e.currentTarget.value)}
                    required
                  />
                  <p class="hint" id="invite-username-hint">
                    {t().inviteUsernameHint}
                  </p>
                </div>
                <div class="field">
                  <label for="invite-display">{t().inviteDisplayName}</label>
                  <input
                    id="invite-display"
                    name="displayName"
                    type="text"
                    autocomplete="nickname"
                    aria-describedby="invite-display-hint"
                    onInput={(e) => setDisplayName(e.currentTarget.value)}
                    required
                  />
                  <p class="hint" id="invite-display-hint">
                    {t().inviteDisplayNameHint}
                  </p>
                </div>
                <PassphraseFields
                  idPrefix="invite-pass"
                  userInputs={() => [username(), displayName(), invite().helplineName, "briefgeheim"]}
                  bind={(s) => {
                    passphrase = s;
                    setBound(s);
                  }}
                />
                <Alert message={error()} />
                <div class="actions">
                  <button type="submit" class="primary" disabled={busy()}>
                    {invite().firstSupervisor ? t().inviteSubmitFirst : t().inviteSubmit}
                  </button>
                </div>
                <Status>{stepText(step())}</Status>
              </form>
            </>
          )}
        </Match>
      </Switch>
    </section>
  );
}
