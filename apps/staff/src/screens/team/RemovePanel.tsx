import type { BulkOutcome, BulkProgress, TeamMember } from "@briefgeheim/client";
import { For, Show } from "solid-js";
import { BulkOutcomeView, BulkProgressView } from "../../components/BulkProgress.js";
import { t } from "../../i18n/index.js";
import { nameOf } from "./member.js";

/**
 * Removing someone (or re-keying after an interrupted removal): who takes over their threads, then
 * the progress and outcome of moving those threads to new epochs.
 */
export function RemovePanel(props: {
  member: TeamMember;
  takers: readonly TeamMember[];
  busy: boolean;
  interrupted: boolean;
  progress: BulkProgress | undefined;
  outcome: { outcome: BulkOutcome; seconds: number } | undefined;
  onSubmit: (e: SubmitEvent) => void;
  onClose: () => void;
}) {
  return (
    <section aria-labelledby="remove-title" class="panel danger-panel">
      <h2 id="remove-title" tabindex="-1">
        {t().teamRemoveTitle(nameOf(props.member))}
      </h2>
      <p>{t().teamRemoveLead(nameOf(props.member))}</p>
      <form class="stack" onSubmit={(e) => props.onSubmit(e)}>
        <fieldset>
          <legend>{t().teamTakers}</legend>
          <For each={props.takers} fallback={<p class="hint">{t().teamNoTakers}</p>}>
            {(c) => (
              <span class="check">
                <input id={`taker-${c.id}`} type="checkbox" name="taker" value={c.id} checked />
                <label for={`taker-${c.id}`}>
                  {nameOf(c)} ({t().teamCaseloadN(c.caseload)})
                </label>
              </span>
            )}
          </For>
        </fieldset>
        <p class="hint">{t().teamTakersHint}</p>
        <div class="actions">
          <button type="submit" class="danger" disabled={props.busy}>
            {props.interrupted ? t().teamRemoveResume : t().teamRemoveConfirm(nameOf(props.member))}
          </button>
          <button type="button" class="link-button" disabled={props.busy} onClick={() => props.onClose()}>
            {t().commonClose}
          </button>
        </div>
      </form>
      <Show when={props.progress}>{(p) => <BulkProgressView progress={p()} />}</Show>
      <Show when={props.interrupted}>
        <p class="notice">{t().teamRemoveInterrupted}</p>
      </Show>
      <Show when={props.outcome}>
        {(o) => <BulkOutcomeView outcome={o().outcome} seconds={o().seconds} />}
      </Show>
    </section>
  );
}

/** Removed members, each with a button to finish (re-key) their removal again. */
export function RemovedList(props: {
  removed: readonly TeamMember[];
  busy: boolean;
  onRekey: (m: TeamMember) => void;
}) {
  return (
    <details class="panel">
      <summary>{t().teamRemovedTitle(props.removed.length)}</summary>
      <ul>
        <For each={props.removed}>
          {(m) => (
            <li>
              {nameOf(m)} ({m.username}){" "}
              <button
                type="button"
                class="link-button"
                disabled={props.busy}
                aria-label={t().teamRekeyNamed(nameOf(m))}
                onClick={() => props.onRekey(m)}
              >
                {t().teamRekey}
              </button>
            </li>
          )}
        </For>
      </ul>
    </details>
  );
}
