import { SignInForm } from "../components/SignInForm.js";
import { t } from "../i18n/index.js";
import { show, type View } from "../state/nav.js";

/** Locked after inactivity: keys and decrypted text are gone; the passphrase opens a new session. */
export function Locked(props: { username: string; resume: View }) {
  return (
    <section class="card" aria-labelledby="locked-title">
      <h1 id="locked-title">{t().lockedTitle}</h1>
      <p class="lead">{t().lockedLead(props.username)}</p>
      <SignInForm
        idPrefix="locked"
        username={props.username}
        resume={props.resume}
        submitLabel={t().lockedUnlock}
      />
      <p>
        <button type="button" class="link-button" onClick={() => show({ name: "sign-in" })}>
          {t().lockedSomeoneElse}
        </button>
      </p>
    </section>
  );
}
