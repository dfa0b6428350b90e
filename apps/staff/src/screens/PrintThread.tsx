import type { StaffThreadView, ThreadMessage } from "@briefgeheim/client";
import { createSignal, For, onMount, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { formatDateTime, t } from "../i18n/index.js";
import { shortId } from "../lib/roster.js";
import { go } from "../state/nav.js";
import { failure, requireStaff } from "../state/session.js";
import "../styles/print.css";
import { changeText } from "./thread/event-text.js";
import { author, messageProblems } from "./thread/text.js";

/**
 * One conversation laid out for a safeguarding report (issue 10, staff item 5): decrypted and verified
 * in this browser like the thread screen, printed by the browser (or saved as PDF from its print
 * dialog) without the app around it. Printing first records "exported" in the audit log (who, which
 * thread, when; no content); if that fails, nothing is printed. Internal notes only when chosen.
 */
export function PrintThread(props: { threadId: string }) {
  const staff = requireStaff();
  const [view, setView] = createSignal<StaffThreadView | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  const [status, setStatus] = createSignal("");
  const [withNotes, setWithNotes] = createSignal(false);
  const [printedAt, setPrintedAt] = createSignal(Date.now());

  onMount(async () => {
    try {
      setView(await staff.readThread(props.threadId as never));
    } catch (e) {
      setError(failure(e));
    }
  });

  const print = async () => {
    setError(undefined);
    setStatus("");
    try {
      const { at } = await staff.recordExport(props.threadId as never);
      setPrintedAt(at);
      setStatus(t().printRecorded);
      // The print dialog blocks; let the status and the date paint first.
      requestAnimationFrame(() => setTimeout(() => window.print(), 0));
    } catch (e) {
      setError(failure(e));
    }
  };

  const shown = (v: StaffThreadView): ThreadMessage[] =>
    v.messages.filter((m) => (m.kind === "note" ? withNotes() : true));

  return (
    <section aria-labelledby="print-title" class="print-view">
      <div class="no-print print-toolbar">
        <p>
          <button
            type="button"
            class="link-button"
            onClick={() => go({ name: "thread", threadId: props.threadId })}
          >
            {t().printBack}
          </button>
        </p>
        <p class="hint">{t().printLead}</p>
        <p class="check">
          <input
            id="print-notes"
            type="checkbox"
            checked={withNotes()}
            onChange={(e) => setWithNotes(e.currentTarget.checked)}
          />
          <label for="print-notes">{t().printWithNotes}</label>
        </p>
        <div class="actions">
          <button type="button" class="primary" disabled={view() === undefined} onClick={() => void print()}>
            {t().printButton}
          </button>
        </div>
        <Alert message={error()} />
        <Status>{status()}</Status>
      </div>
      <article class="print-doc">
        <h1 id="print-title" dir="auto">
          {view()?.subject || t().inboxNoSubject}
        </h1>
        <Show when={view()}>
          {(v) => (
            <>
              <dl class="print-facts">
                <dt>{t().printHelpline}</dt>
                <dd>{staff.helpline.name}</dd>
                <dt>{t().printConversation}</dt>
                <dd>{shortId(props.threadId)}</dd>
                <dt>{t().printBy}</dt>
                <dd>{staff.displayName}</dd>
                <dt>{t().printAt}</dt>
                <dd>{formatDateTime(printedAt())}</dd>
              </dl>
              <p class="print-verification">
                {v().ok ? t().printVerified : t().printNotVerified(v().problems.length)}
              </p>
              <ol class="print-messages">
                <For each={shown(v())}>
                  {(m) => (
                    <li class={`print-message kind-${m.kind}`}>
                      <p class="print-head">
                        <strong>
                          {m.damaged
                            ? t().threadDamagedMessage
                            : m.kind === "note"
                              ? `${t().printNote}: ${author(m)}`
                              : author(m)}
                        </strong>
                        <Show when={!m.damaged}> · {formatDateTime(m.createdAt)}</Show>
                        {" · "}
                        {m.verified ? t().threadVerifiedMark : t().threadNotVerifiedMark}
                      </p>
                      <Show when={m.problems.length > 0}>
                        <p class="print-problem">{t().threadMessageProblem(messageProblems(m))}</p>
                      </Show>
                      <Show when={!m.damaged}>
                        <Show
                          when={m.kind === "message" || m.kind === "note"}
                          fallback={<p class="print-change">{changeText(m)}</p>}
                        >
                          <p class="print-body" dir="auto">
                            {m.body}
                          </p>
                        </Show>
                      </Show>
                    </li>
                  )}
                </For>
              </ol>
            </>
          )}
        </Show>
      </article>
    </section>
  );
}
