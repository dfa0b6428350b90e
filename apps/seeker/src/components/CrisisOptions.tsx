import { For } from "solid-js";
import { type CrisisLink, telHref } from "../crisis-defaults.js";
import { lang, t } from "../i18n/index.js";
import { crisisOptionsInView } from "../safety/helpline-in-view.js";
import "../styles/crisis.css";

/**
 * The crisis block on every screen (issue 10 item 5), placed once in the app frame: the helpline's
 * own options from its verified profile, or the app's built-in 112 / 113 / Veilig Thuis. Phone
 * numbers are `tel:` links (a tap calls on a phone); web pages open in a new tab without a referrer.
 */
export function CrisisOptions() {
  const label = (o: CrisisLink) => (lang() === "nl" ? o.labelNl : o.labelEn);
  return (
    <aside class="crisis" aria-labelledby="crisis-title" data-testid="crisis">
      <p class="crisis-title" id="crisis-title">
        <strong>{t().crisisTitle}</strong> <span>{t().crisisLead}</span>
      </p>
      <ul class="crisis-list">
        <For each={crisisOptionsInView()}>
          {(o) => (
            <li>
              {o.kind === "phone" ? (
                <a href={telHref(o.target)}>
                  {label(o)}: <span class="crisis-number">{o.target}</span>
                </a>
              ) : (
                <a href={o.target} target="_blank" rel="noopener noreferrer">
                  {label(o)}
                  <span class="visually-hidden"> {t().crisisNewTab}</span>
                </a>
              )}
            </li>
          )}
        </For>
      </ul>
    </aside>
  );
}
