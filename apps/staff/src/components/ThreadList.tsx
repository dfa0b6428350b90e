import type { StaffSession } from "@briefgeheim/client";
import type { ThreadSummary } from "@briefgeheim/protocol";
import { createEffect, createMemo, createSignal, For, on, onCleanup, onMount, Show } from "solid-js";
import { formatDuration, t } from "../i18n/index.js";
import { dueState } from "../lib/due.js";
import { nameOf, shortId } from "../lib/roster.js";
import { go } from "../state/nav.js";
import { decryptedOf, isUnread } from "../state/threads.js";
import { DueBadge } from "./common.js";
import "../styles/thread-list.css";

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

/** From this many rows on, only the rows in and near the viewport are in the DOM (issue 14). */
const VIRTUAL_FROM = 60;
/** Rows rendered above and below the viewport, so keyboard focus and fast scrolling find them. */
const OVERSCAN = 10;

type ListProps = {
  staff: StaffSession;
  threads: readonly ThreadSummary[];
  now: number;
  showAssignees: boolean;
  emptyText: string;
  label: string;
};

/** A list of threads with waiting time, promise state, status, unread and flag markers. */
export function ThreadList(props: ListProps) {
  return (
    <Show when={props.threads.length > 0} fallback={<p class="muted">{props.emptyText}</p>}>
      <Show
        when={props.threads.length >= VIRTUAL_FROM}
        fallback={
          <ul class="threads" aria-label={props.label}>
            <For each={props.threads}>{(th) => <ThreadRow {...props} th={th} />}</For>
          </ul>
        }
      >
        <VirtualThreadList {...props} />
      </Show>
    </Show>
  );
}

/**
 * The same list for long inboxes: a window of rows around the viewport (the page scrolls, the list's
 * padding stands in for the rows above and below), each row with its place in the whole list
 * (`aria-posinset`/`aria-setsize`). Rows have one height here (styles/thread-list.css), measured once
 * rendered, so the window follows the scroll position without measuring every row.
 */
function VirtualThreadList(props: ListProps) {
  let list: HTMLUListElement | undefined;
  const [pitch, setPitch] = createSignal(76);
  const [range, setRange] = createSignal({ start: 0, end: 40 });
  let frame: number | undefined;
  const update = () => {
    frame = undefined;
    if (list === undefined) return;
    const top = list.getBoundingClientRect().top;
    const p = pitch();
    const n = props.threads.length;
    const start = Math.min(n, Math.max(0, Math.floor(-top / p) - OVERSCAN));
    const end = Math.min(n, Math.max(start, Math.ceil((window.innerHeight - top) / p) + OVERSCAN));
    const now = range();
    if (now.start !== start || now.end !== end) setRange({ start, end });
  };
  const schedule = () => {
    if (frame === undefined) frame = requestAnimationFrame(update);
  };
  onMount(() => {
    window.addEventListener("scroll", schedule, { passive: true });
    window.addEventListener("resize", schedule);
    onCleanup(() => {
      window.removeEventListener("scroll", schedule);
      window.removeEventListener("resize", schedule);
      if (frame !== undefined) cancelAnimationFrame(frame);
    });
    schedule();
  });
  createEffect(
    on([() => props.threads.length, range], () => {
      // Measure the row pitch (height plus gap) from two rendered rows, then place the window again.
      requestAnimationFrame(() => {
        const rows = list?.querySelectorAll<HTMLElement>(":scope > li.thread-row");
        if (rows === undefined || rows.length < 2) return;
        const p = rows[1]!.getBoundingClientRect().top - rows[0]!.getBoundingClientRect().top;
        if (p > 0 && Math.abs(p - pitch()) > 0.5) {
          setPitch(p);
          schedule();
        }
      });
      schedule();
    }),
  );
  const visible = createMemo(() => props.threads.slice(range().start, range().end));
  return (
    <ul
      class="threads virtual"
      aria-label={props.label}
      ref={list}
      style={{
        "padding-top": `${range().start * pitch()}px`,
        "padding-bottom": `${Math.max(0, props.threads.length - range().end) * pitch()}px`,
      }}
    >
      <For each={visible()}>
        {(th, i) => (
          <ThreadRow {...props} th={th} position={range().start + i() + 1} setSize={props.threads.length} />
        )}
      </For>
    </ul>
  );
}

function ThreadRow(
  props: ListProps & { th: ThreadSummary; position?: number | undefined; setSize?: number | undefined },
) {
  const th = props.th;
  const state = () => dueState(th, props.now, props.staff.helpline.replyTimeHours);
  return (
    <li
      class="thread-row"
      classList={{ unread: isUnread(th) }}
      data-thread-id={th.id}
      aria-posinset={props.position}
      aria-setsize={props.setSize}
    >
      <button type="button" class="thread-link" onClick={() => go({ name: "thread", threadId: th.id })}>
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
                  props.now - Math.max(th.createdAt, th.lastSeekerMessageAt ?? 0, th.lastStaffMessageAt ?? 0),
                ),
              )}
            </span>
          }
        >
          <span>{t().inboxWaiting(formatDuration(props.now - (th.waitingSince ?? props.now)))}</span>
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
}
