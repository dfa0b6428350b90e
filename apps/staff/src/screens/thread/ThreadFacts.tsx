import type { StaffThreadView } from "@briefgeheim/client";
import { For, Show } from "solid-js";
import { DueBadge } from "../../components/common.js";
import { formatDateTime, formatDuration, t } from "../../i18n/index.js";
import { dueState } from "../../lib/due.js";
import { requireStaff } from "../../state/session.js";
import { problemText } from "./text.js";

/** Why a thread could not be shown: tampered with, no access, or another failure. */
export function LoadFailure(props: { code: string | undefined; text: string }) {
  return (
    <Show
      when={props.code === "THREAD_TAMPERED"}
      fallback={
        <p class="alert" role="alert">
          {props.code === "NOT_FOUND" || props.code === "FORBIDDEN" ? t().threadNoAccess : props.text}
        </p>
      }
    >
      <div class="alert" role="alert">
        <h2>{t().threadTamperedTitle}</h2>
        <p>{t().threadTampered}</p>
      </div>
    </Show>
  );
}

/**
 * The verification result (a clear warning listing each problem when anything fails), then the
 * thread's status, reply promise, assignees, readers and expiry.
 */
export function ThreadFacts(props: { view: StaffThreadView }) {
  const staff = requireStaff();
  const v = () => props.view;
  return (
    <>
      <Show
        when={v().ok}
        fallback={
          <div class="alert" role="alert" data-testid="verification-warning">
            <h2>{t().threadNotVerifiedTitle}</h2>
            <p>{t().threadNotVerified(v().problems.length)}</p>
            <ul>
              <For each={v().problems}>
                {(p) => (
                  <li>
                    {p.index < 0
                      ? t().threadProblemInThread(problemText(p.reason))
                      : t().threadProblemAt(p.index + 1, problemText(p.reason))}
                  </li>
                )}
              </For>
            </ul>
          </div>
        }
      >
        <p class="verified" data-testid="verified">
          <span aria-hidden="true">✓ </span>
          {/* Messages and notes counted apart (issue 10, staff item 4): a note is not a message. */}
          {t().threadVerifiedApart(
            v().messages.filter((m) => m.kind !== "note").length,
            v().messages.filter((m) => m.kind === "note").length,
          )}
        </p>
      </Show>
      <dl class="facts">
        <dt>{t().threadStatus}</dt>
        <dd>{t().statusNames[v().status]}</dd>
        <dt>{t().threadPromise}</dt>
        <dd>
          <DueBadge state={dueState(v(), Date.now(), staff.helpline.replyTimeHours)} />{" "}
          <Show when={v().replyDueAt !== null}>
            {t().threadDueAt(formatDateTime(v().replyDueAt!))}
            {" · "}
            {t().inboxWaiting(formatDuration(Date.now() - (v().waitingSince ?? Date.now())))}
          </Show>
        </dd>
        <dt>{t().threadAssigned}</dt>
        <dd>
          {v().intake
            ? t().inboxInIntake
            : v().assignees.length === 0
              ? t().inboxNoCounsellor
              : v().assignees.join(", ")}
        </dd>
        <dt>{t().threadReaders}</dt>
        <dd>
          {t().threadReadersText(
            v().readers.helpline,
            v().readers.counsellors.length === 0
              ? t().threadNoCounsellors
              : v().readers.counsellors.join(", "),
          )}
        </dd>
        <dt>{t().threadExpires}</dt>
        <dd>{formatDateTime(v().expiresAt)}</dd>
      </dl>
      <Show when={v().unreadable > 0}>
        <p class="notice">{t().threadUnreadableCount(v().unreadable)}</p>
      </Show>
    </>
  );
}
