import type { TeamMember } from "@briefgeheim/client";
import type { ThreadSummary } from "@briefgeheim/protocol";
import { createSignal, For, onMount, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { TableHead } from "../components/TableHead.js";
import { ThreadSubject } from "../components/ThreadList.js";
import { formatDuration, formatNumber, t } from "../i18n/index.js";
import { byWaitingTime, dueState } from "../lib/due.js";
import { nameOf } from "../lib/roster.js";
import { go } from "../state/nav.js";
import { failure, requireStaff } from "../state/session.js";
import { queueDecrypt } from "../state/threads.js";

interface Figures {
  readonly threads: readonly ThreadSummary[];
  readonly intake: readonly ThreadSummary[];
  readonly team: readonly TeamMember[];
  readonly now: number;
}

/** Supervisors: the team at a glance (metadata only; subjects of flagged threads are decrypted here). */
export function Overview() {
  const staff = requireStaff();
  const [figures, setFigures] = createSignal<Figures | undefined>();
  const [error, setError] = createSignal<string | undefined>();

  const load = async () => {
    try {
      const [threads, team] = await Promise.all([staff.listThreads("all"), staff.listStaff()]);
      const intake = threads.filter((x) => x.intake && x.status !== "closed");
      setFigures({ threads, intake, team, now: Date.now() });
      queueDecrypt(
        staff,
        threads.filter((x) => x.flagged),
      );
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    }
  };
  onMount(() => void load());

  const waiting = () => figures()?.threads.filter((x) => x.waitingSince !== null) ?? [];
  const late = () => {
    const f = figures();
    return f === undefined
      ? []
      : waiting().filter((x) => dueState(x, f.now, staff.helpline.replyTimeHours) === "late");
  };
  const oldest = () => {
    const w = waiting();
    return w.length === 0 ? undefined : Math.min(...w.map((x) => x.waitingSince!));
  };
  const flagged = () => [...(figures()?.threads.filter((x) => x.flagged) ?? [])].sort(byWaitingTime);
  const counsellors = () =>
    (figures()?.team ?? []).filter((m) => m.status === "active" && m.onRoster && m.role === "counsellor");
  const perCounsellor = (id: string) => {
    const f = figures()!;
    const mine = f.threads.filter((x) => x.assigneeIds.includes(id) && x.status !== "closed");
    return {
      open: mine.length,
      waiting: mine.filter((x) => x.waitingSince !== null).length,
      late: mine.filter((x) => dueState(x, f.now, staff.helpline.replyTimeHours) === "late").length,
    };
  };

  return (
    <section aria-labelledby="overview-title">
      <h1 id="overview-title">{t().overviewTitle}</h1>
      <p class="hint">{t().overviewLead(staff.helpline.replyTimeHours)}</p>
      <p>
        <button type="button" onClick={() => void load()}>
          {t().inboxRefresh}
        </button>
      </p>
      <Alert message={error()} />
      <Show when={figures()} fallback={<Status>{t().overviewLoading}</Status>}>
        {(f) => (
          <>
            <dl class="stats">
              <div>
                <dt>{t().overviewIntake}</dt>
                <dd data-testid="stat-intake">{formatNumber(f().intake.length)}</dd>
              </div>
              <div>
                <dt>{t().overviewWaiting}</dt>
                <dd>{formatNumber(waiting().length)}</dd>
              </div>
              <div>
                <dt>{t().overviewOldest}</dt>
                <dd>{oldest() === undefined ? t().overviewNone : formatDuration(f().now - oldest()!)}</dd>
              </div>
              <div>
                <dt>{t().overviewLate}</dt>
                <dd data-testid="stat-late">{formatNumber(late().length)}</dd>
              </div>
              <div>
                <dt>{t().overviewFlags}</dt>
                <dd data-testid="stat-flags">{formatNumber(flagged().length)}</dd>
              </div>
            </dl>

            <h2 id="caseload-title">{t().overviewCaseload}</h2>
            <table aria-labelledby="caseload-title">
              <TableHead
                columns={[
                  t().overviewCounsellor,
                  t().overviewOpen,
                  t().overviewWaitingCol,
                  t().overviewLateCol,
                  t().overviewIntakeReader,
                ]}
                actions={t().overviewActions}
              />
              <tbody>
                <For
                  each={counsellors()}
                  fallback={
                    <tr>
                      <td colSpan={6}>{t().overviewNoCounsellors}</td>
                    </tr>
                  }
                >
                  {(m) => {
                    const c = perCounsellor(m.id);
                    const name = m.displayName ?? m.username;
                    return (
                      <tr>
                        <th scope="row">{name}</th>
                        <td>{formatNumber(c.open)}</td>
                        <td>{formatNumber(c.waiting)}</td>
                        <td>{formatNumber(c.late)}</td>
                        <td>{m.intakeReader ? t().commonYes : t().commonNo}</td>
                        <td>
                          <Show when={c.open > 0}>
                            <button
                              type="button"
                              class="link-button"
                              aria-label={t().overviewReassignFrom(name)}
                              onClick={() => go({ name: "reassign", from: m.id })}
                            >
                              {t().overviewReassign}
                            </button>
                          </Show>
                        </td>
                      </tr>
                    );
                  }}
                </For>
              </tbody>
            </table>

            <h2 id="flags-title">{t().overviewFlagsTitle}</h2>
            <Show when={flagged().length > 0} fallback={<p class="muted">{t().overviewNoFlags}</p>}>
              <ul class="threads" aria-labelledby="flags-title">
                <For each={flagged()}>
                  {(x) => (
                    <li class="thread-row">
                      <button
                        type="button"
                        class="thread-link"
                        onClick={() => go({ name: "thread", threadId: x.id })}
                      >
                        <ThreadSubject threadId={x.id} />
                      </button>
                      <p class="thread-meta">
                        {x.assigneeIds.length === 0
                          ? t().inboxInIntake
                          : x.assigneeIds.map((id) => nameOf(staff, id)).join(", ")}
                      </p>
                    </li>
                  )}
                </For>
              </ul>
            </Show>
          </>
        )}
      </Show>
    </section>
  );
}
