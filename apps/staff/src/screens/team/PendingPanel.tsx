import type { BulkProgress, TeamMember } from "@briefgeheim/client";
import { For, Show } from "solid-js";
import { BulkProgressView } from "../../components/BulkProgress.js";
import { t } from "../../i18n/index.js";

/**
 * Accepted members waiting for admission: display name, an explicit intake yes/no (no default), the
 * safety code of the keys the server lists, and the code the member reads from their own screen. There
 * is no "checked another way" box: admission is by the code, or by the inviter's own key binding.
 */
export function PendingPanel(props: {
  pending: readonly TeamMember[];
  busy: boolean;
  progress: BulkProgress | undefined;
  onAdmit: (m: TeamMember, e: SubmitEvent) => void;
}) {
  return (
    <section aria-labelledby="pending-title" class="panel">
      <h2 id="pending-title">{t().teamPendingTitle}</h2>
      <p class="hint">{t().teamPendingHint}</p>
      <p class="hint">{t().teamUnboundHint}</p>
      <ul class="plain">
        <For each={props.pending}>
          {(m) => (
            <li class="pending-member" data-pending={m.username}>
              <form class="inline-form" onSubmit={(e) => props.onAdmit(m, e)}>
                <p>
                  <strong>{m.username}</strong> · {t().roles[m.role]}
                </p>
                <label for={`admit-name-${m.id}`}>{t().teamDisplayName}</label>
                <input
                  id={`admit-name-${m.id}`}
                  name="displayName"
                  type="text"
                  value={m.displayName ?? m.username}
                  maxLength={64}
                />
                <fieldset class="choice">
                  <legend>{t().teamIntakeQuestion(m.username)}</legend>
                  <span class="check">
                    <input id={`admit-intake-yes-${m.id}`} name="intake" type="radio" value="yes" />
                    <label for={`admit-intake-yes-${m.id}`}>{t().teamIntakeYes}</label>
                  </span>
                  <span class="check">
                    <input id={`admit-intake-no-${m.id}`} name="intake" type="radio" value="no" />
                    <label for={`admit-intake-no-${m.id}`}>{t().teamIntakeNo}</label>
                  </span>
                </fieldset>
                <p>
                  {t().teamSafetyCodeListed}:{" "}
                  <code class="safety-code" data-testid={`listed-code-${m.username}`}>
                    {m.safetyCode}
                  </code>{" "}
                  <span data-testid={`listed-role-${m.username}`}>
                    {t().teamRoleListed(t().roles[m.role])}
                  </span>
                </p>
                <label for={`admit-code-${m.id}`}>{t().teamCompareCode(m.username)}</label>
                <input
                  id={`admit-code-${m.id}`}
                  name="safetyCode"
                  type="text"
                  inputMode="numeric"
                  autocomplete="off"
                  spellcheck={false}
                  aria-describedby={`admit-code-hint-${m.id}`}
                />
                <span class="hint" id={`admit-code-hint-${m.id}`}>
                  {t().teamCompareHint}
                  <Show when={m.keyProof !== null && m.sealedInviteSecret !== null}> {t().teamBound}</Show>
                </span>
                <button
                  type="submit"
                  class="primary"
                  disabled={props.busy}
                  aria-label={t().teamAdmitNamed(m.username)}
                >
                  {t().teamAdmit}
                </button>
              </form>
            </li>
          )}
        </For>
      </ul>
      <Show when={props.progress}>{(p) => <BulkProgressView progress={p()} />}</Show>
    </section>
  );
}
