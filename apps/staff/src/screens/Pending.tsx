import { SignInForm } from "../components/SignInForm.js";
import { t } from "../i18n/index.js";

/** After accepting an invite: a supervisor must admit the new member to the roster first. */
export function Pending(props: { username: string }) {
  return (
    <section class="card" aria-labelledby="pending-title">
      <h1 id="pending-title">{t().pendingTitle}</h1>
      <p class="lead">{t().pendingLead(props.username)}</p>
      <p>{t().pendingThen}</p>
      <SignInForm idPrefix="pending" />
    </section>
  );
}
