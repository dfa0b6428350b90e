import { ActionError } from "@briefgeheim/ui";
import { createSignal, For } from "solid-js";
import { handleFailure, openConversation } from "../actions.js";
import { errorMessage } from "../errors.js";
import { formatDate, formatRelative, t } from "../i18n/index.js";
import { signedName } from "../profile-text.js";
import { current, summaries } from "../state.js";

/** Several conversations under one code: pick one (only metadata is shown until one is opened). */
export function Threads() {
  const [error, setError] = createSignal("");
  const open = async (id: string) => {
    try {
      await openConversation(id);
    } catch (e) {
      if (!handleFailure(e)) setError(errorMessage(e));
    }
  };
  const last = (s: {
    lastSeekerMessageAt: number | null;
    lastStaffMessageAt: number | null;
    createdAt: number;
  }) => Math.max(s.lastSeekerMessageAt ?? 0, s.lastStaffMessageAt ?? 0, s.createdAt);
  return (
    <>
      <h1 tabindex="-1">{t().threadsTitle}</h1>
      <p>{t().threadsIntro}</p>
      <ActionError id="threads-error" message={error()} />
      <ul class="threads">
        <For each={summaries()}>
          {(s, i) => (
            <li class="card">
              <h2 id={`thread-${i()}`}>
                {t().threadStarted(signedName(current()?.id), formatDate(s.createdAt))}
              </h2>
              <p>
                {t().statusSentence(s.status)} {t().threadLast(formatRelative(last(s)))}.
              </p>
              <button type="button" aria-describedby={`thread-${i()}`} onClick={() => void open(s.id)}>
                {t().threadOpen}
              </button>
            </li>
          )}
        </For>
      </ul>
    </>
  );
}
