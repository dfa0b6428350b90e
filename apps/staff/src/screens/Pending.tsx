import { Show } from "solid-js";
import { SignInForm } from "../components/SignInForm.js";
import { t } from "../i18n/index.js";

/**
 * After accepting an invite: a supervisor must admit the new member to the roster first. The member's
 * safety code and the role it covers are shown here, to read out to the admitting supervisor (PROTOCOL.md §3, "Admission").
 */
export function Pending(props: {
  username: string;
  safetyCode?: string | undefined;
  role?: "counsellor" | "supervisor" | undefined;
}) {
  return (
    <section class="card" aria-labelledby="pending-title">
      <h1 id="pending-title">{t().pendingTitle}</h1>
      <p class="lead">{t().pendingLead(props.username)}</p>
      <Show when={props.safetyCode}>
        {(code) => (
          <>
            <h2>{t().pendingSafetyCode}</h2>
            <p class="fingerprint safety-code" data-testid="own-safety-code">
              {code()}
            </p>
            <Show when={props.role}>
              {(role) => <p data-testid="own-safety-role">{t().pendingRole(t().roles[role()])}</p>}
            </Show>
            <p class="hint">{t().pendingSafetyHint}</p>
          </>
        )}
      </Show>
      <p>{t().pendingThen}</p>
      <SignInForm idPrefix="pending" />
    </section>
  );
}
