import type { StaffSession } from "@briefgeheim/client";
import type { ThreadSummary } from "@briefgeheim/protocol";
import { For, Show } from "solid-js";
import { formatDuration, t } from "../i18n/index.js";
import { dueState } from "../lib/due.js";
import { nameOf, shortId } from "../lib/roster.js";
import { go } from "../state/nav.js";
import { decryptedOf, isUnread } from "../state/threads.js";
import { DueBadge } from "./common.js";

/** The subject of a thread once decrypted; a neutral placeholder before; a warning if it failed. */
export function ThreadSubject(props: { threadId: string }) {
  const d = () => decryptedOf(props.threadId);
  return (
    <Show when={d()} fallback={<span class="muted">{t().inboxDecrypting(shortId(props.threadId))}</span>}>
      {(x) => {
        const v = x();
        if (!v.ok) return <span class="warning-text">{t().inboxUnreadable(shortId(props.threadId))}</span>;
        return <span>{v.view.subject === "" ? t().inboxNoSubject : v.view.subject}</span>;
      }}
    </Show>
  );
}

/** A list of threads with waiting time, promise state, status, unread and flag markers. */
export function ThreadList(props: {
  staff: StaffSession;
  threads: readonly ThreadSummary[];
  now: number;
  showAssignees: boolean;
  emptyText: string;
  label: string;
}) {
  return (
    <Show when={props.threads.length > 0} fallback={<p class="muted">{props.emptyText}</p>}>
      <ul class="threads" aria-label={props.label}>
        <For each={props.threads}>
          {(th) => {
            const state = () => dueState(th, props.now, props.staff.helpline.replyTimeHours);
            return (
              <li class="thread-row" classList={{ unread: isUnread(th) }} data-thread-id={th.id}>
                <button
                  type="button"
                  class="thread-link"
                  onClick={() => go({ name: "thread", threadId: th.id })}
                >
                  <Show when={isUnread(th)}>
                    <span class="badge unread-badge">{t().inboxUnread}</span>{" "}
                  </Show>
                  <ThreadSubject threadId={th.id} />
                </button>
                <p class="thread-meta">
                  <DueBadge state={state()} />{" "}
                  <Show
                    when={th.waitingSince !== null}
                    fallback={
                      <span>
                        {t().inboxLastActivity(
                          formatDuration(
                            props.now -
                              Math.max(th.createdAt, th.lastSeekerMessageAt ?? 0, th.lastStaffMessageAt ?? 0),
                          ),
                        )}
                      </span>
                    }
                  >
                    <span>
                      {t().inboxWaiting(formatDuration(props.now - (th.waitingSince ?? props.now)))}
                    </span>
                  </Show>
                  {" · "}
                  <span>{t().statusNames[th.status]}</span>
                  <Show when={th.flagged}>
                    {" · "}
                    <span class="badge flag-badge">{t().inboxFlagged}</span>
                  </Show>
                  <Show when={props.showAssignees}>
                    {" · "}
                    <span>
                      {th.intake
                        ? t().inboxInIntake
                        : th.assigneeIds.length === 0
                          ? t().inboxNoCounsellor
                          : th.assigneeIds.map((id) => nameOf(props.staff, id)).join(", ")}
                    </span>
                  </Show>
                </p>
              </li>
            );
          }}
        </For>
      </ul>
    </Show>
  );
}
