import type { Messages } from "../../i18n/index.js";
import { t } from "../../i18n/index.js";
import { requireStaff } from "../../state/session.js";

/** The helpline's fingerprint, how its key is trusted, and the roster version. */
export function HelplinePanel(props: { version: number | undefined }) {
  const staff = requireStaff();
  const pinnedText = (): ((m: Messages) => string) =>
    ({
      key: (m: Messages) => m.teamPinnedKey,
      fingerprint: (m: Messages) => m.teamPinnedFingerprint,
      created: (m: Messages) => m.teamPinnedCreated,
      "first-use": (m: Messages) => m.teamPinnedFirstUse,
    })[staff.pinnedBy];

  return (
    <section aria-labelledby="helpline-title" class="panel">
      <h2 id="helpline-title">{t().teamHelpline(staff.helpline.name)}</h2>
      <dl class="facts">
        <dt>{t().teamFingerprint}</dt>
        <dd class="fingerprint" data-testid="fingerprint">
          {staff.fingerprint}
        </dd>
        <dt>{t().teamTrust}</dt>
        <dd classList={{ "warning-text": staff.pinnedBy === "first-use" }}>{pinnedText()(t())}</dd>
        <dt>{t().teamRosterVersion}</dt>
        <dd data-testid="roster-version">{props.version ?? "…"}</dd>
      </dl>
      <p class="hint">{t().teamFingerprintHint}</p>
    </section>
  );
}
