import type { StaffThreadView } from "@briefgeheim/client";
import type { ThreadStatus } from "@briefgeheim/protocol";
import { For, Show } from "solid-js";
import { t } from "../../i18n/index.js";
import { rosterPeople, shortId } from "../../lib/roster.js";
import { requireStaff } from "../../state/session.js";

const STATUSES: readonly ThreadStatus[] = ["open", "waiting", "closed"];

/** Managing a thread: its status, "ask supervisor" (a flag), and assigning it (supervisors). */
export function ManagePanel(props: {
  threadId: string;
  view: StaffThreadView;
  busy: boolean;
  act: (fn: () => Promise<unknown>, done: () => string) => Promise<boolean>;
}) {
  const staff = requireStaff();
  const threadId = props.threadId;
  const v = () => props.view;
  const counsellors = () => rosterPeople(staff).filter((p) => p.role === "counsellor");

  return (
    <section aria-labelledby="manage-title" class="manage no-print">
      <h2 id="manage-title">{t().threadManage}</h2>
      <Show when={v().canWrite}>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const status = new FormData(e.currentTarget).get("status") as ThreadStatus;
            void props.act(
              () => staff.setStatus(threadId as never, status),
              () => t().threadStatusSaved,
            );
          }}
        >
          <label for="thread-status">{t().threadStatus}</label>
          <select id="thread-status" name="status">
            <For each={STATUSES}>
              {(s) => (
                <option value={s} selected={v().status === s}>
                  {t().statusNames[s]}
                </option>
              )}
            </For>
          </select>
          <button type="submit" disabled={props.busy}>
            {t().threadSetStatus}
          </button>
        </form>
      </Show>
      <p>
        <button
          type="button"
          aria-pressed={v().flagged}
          disabled={props.busy}
          onClick={() =>
            void props.act(
              () => staff.flag(threadId as never, !v().flagged),
              v().flagged ? () => t().threadFlagCleared : () => t().threadFlagSet,
            )
          }
        >
          {staff.role === "supervisor" ? t().threadFlagSupervisor : t().threadAskSupervisor}
        </button>
      </p>
      <p class="hint">{v().flagged ? t().threadFlaggedYes : t().threadFlaggedNo}</p>
      <Show when={staff.role === "supervisor"}>
        <form
          class="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const to = String(new FormData(e.currentTarget).get("assignee") ?? "");
            if (to === "") return;
            void props.act(
              () => staff.assign(threadId as never, to as never),
              () => t().threadAssignedDone,
            );
          }}
        >
          <label for="thread-assignee">{t().threadAssignTo}</label>
          <select id="thread-assignee" name="assignee">
            <option value="">{t().threadChoose}</option>
            <For each={counsellors()}>{(p) => <option value={p.memberId}>{p.displayName}</option>}</For>
          </select>
          <button type="submit" disabled={props.busy}>
            {t().threadAssign}
          </button>
        </form>
      </Show>
      <p class="hint mono">{t().threadId(shortId(threadId))}</p>
    </section>
  );
}
