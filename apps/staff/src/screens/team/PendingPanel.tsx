import type { BulkProgress, TeamMember } from "@briefgeheim/client";
import { For, Show } from "solid-js";
import { BulkProgressView } from "../../components/BulkProgress.js";
import { t } from "../../i18n/index.js";

/** Accepted members waiting for admission: display name, intake, and the unbound-keys confirmation. */
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
      <ul class="plain">
        <For each={props.pending}>
          {(m) => (
            <li class="pending-member">
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
                <span class="check">
                  <input
                    id={`admit-intake-${m.id}`}
                    name="intake"
                    type="checkbox"
                    checked={m.role === "counsellor"}
                  />
                  <label for={`admit-intake-${m.id}`}>{t().teamReadsIntake}</label>
                </span>
                <Show
                  when={m.keyProof !== null && m.sealedInviteSecret !== null}
                  fallback={
                    <span class="check unbound">
                      <input id={`admit-unbound-${m.id}`} name="unbound" type="checkbox" />
                      <label for={`admit-unbound-${m.id}`}>{t().teamUnboundConfirm}</label>
                    </span>
                  }
                >
                  <span class="hint">{t().teamBound}</span>
                </Show>
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
      <p class="hint">{t().teamUnboundHint}</p>
      <Show when={props.progress}>{(p) => <BulkProgressView progress={p()} />}</Show>
    </section>
  );
}
