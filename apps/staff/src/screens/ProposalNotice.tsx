import type { HelplineProfileFields } from "@briefgeheim/client";
import { t } from "../i18n/index.js";
import "../styles/helpline-settings.css";

type Fields = Required<HelplineProfileFields>;
const FIELDS = [
  "name",
  "descriptionNl",
  "descriptionEn",
  "replyWithinHours",
  "crisisOptions",
  "exitUrl",
] as const;

/** The fields in which the operator's proposal differs from the signed profile (in words). */
export function differingFields(proposal: Fields, current: HelplineProfileFields | undefined): string[] {
  return FIELDS.filter(
    (f) => current === undefined || JSON.stringify(proposal[f]) !== JSON.stringify(current[f]),
  ).map((f) => t().proposalFieldNames[f]);
}

/**
 * The operator's unsigned proposal (`npm run admin -- helpline set`), offered when it differs from the
 * signed profile: nothing is signed until the supervisor puts it in the form, checks it and signs.
 */
export function ProposalNotice(props: {
  readonly proposal: Fields;
  /** The signed profile's fields. */
  readonly current: HelplineProfileFields | undefined;
  readonly onAdopt: () => void;
}) {
  return (
    <section class="settings-proposal" aria-labelledby="proposal-title" data-testid="proposal">
      <h2 id="proposal-title">{t().proposalTitle}</h2>
      <p>{t().proposalLead}</p>
      <p>{t().proposalFields(differingFields(props.proposal, props.current).join(", "))}</p>
      <button type="button" onClick={() => props.onAdopt()}>
        {t().proposalAdopt}
      </button>
    </section>
  );
}
