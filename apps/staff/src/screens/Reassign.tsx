import type { BulkProgress, MoveOutcome, TeamMember } from "@briefgeheim/client";
import type { ThreadSummary } from "@briefgeheim/protocol";
import { createEffect, createSignal, For, on, onMount, Show } from "solid-js";
import { BulkOutcomeView, BulkProgressView } from "../components/BulkProgress.js";
import { Alert, DueBadge } from "../components/common.js";
import { ThreadSubject } from "../components/ThreadList.js";
import { formatDuration, t } from "../i18n/index.js";
import { byWaitingTime, dueState } from "../lib/due.js";
import { failure, requireStaff } from "../state/session.js";
import { queueDecrypt } from "../state/threads.js";
import "../styles/everyday.css";

type Mode = "all" | "selected";

interface Job {
  readonly from: string;
  readonly to: readonly string[];
  readonly threadIds: readonly string[] | undefined;
}

function nameOf(m: TeamMember): string {
  return m.displayName ?? m.username;
}

/**
 * Supervisors: move one thread, a selection, or a whole caseload (illness, leave, departure) to one
 * counsellor or spread over several. The browser re-grants the thread keys and starts new epochs; the
 * SDK's run is resumable, so an interrupted run is finished by starting it again (threads already moved
 * are skipped, and no thread is ever left without a complete epoch).
 */
export function Reassign(props: { from?: string | undefined; threadIds?: readonly string[] | undefined }) {
  const staff = requireStaff();
  const [team, setTeam] = createSignal<TeamMember[]>([]);
  const [threads, setThreads] = createSignal<ThreadSummary[]>([]);
  const [from, setFrom] = createSignal(props.from ?? "");
  // Nothing preselected (issue 10, staff item 1): a whole caseload is moved only when chosen.
  const [mode, setMode] = createSignal<Mode | undefined>(
    props.threadIds === undefined ? undefined : "selected",
  );
  const [selected, setSelected] = createSignal<ReadonlySet<string>>(new Set(props.threadIds ?? []));
  const [to, setTo] = createSignal<ReadonlySet<string>>(new Set());
  const [error, setError] = createSignal<string | undefined>();
  const [busy, setBusy] = createSignal(false);
  const [progress, setProgress] = createSignal<BulkProgress | undefined>();
  const [outcome, setOutcome] = createSignal<{ outcome: MoveOutcome; seconds: number } | undefined>();
  const [lastJob, setLastJob] = createSignal<Job | undefined>();
  /** The job waiting for the supervisor's confirmation, with its summary. */
  const [confirming, setConfirming] = createSignal<(Job & { count: number }) | undefined>();
  let confirmHeading: HTMLHeadingElement | undefined;
  const [now, setNow] = createSignal(Date.now());

  const load = async () => {
    try {
      const [members, all] = await Promise.all([staff.listStaff(), staff.listThreads("all")]);
      setTeam(members);
      setThreads(all);
      setNow(Date.now());
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    }
  };
  onMount(() => void load());

  const counsellors = () =>
    team().filter((m) => m.status === "active" && m.onRoster && m.role === "counsellor");
  const caseload = () =>
    threads()
      .filter((x) => x.assigneeIds.includes(from()))
      .sort(byWaitingTime);
  const targets = () => counsellors().filter((m) => m.id !== from());

  // Subjects are decrypted only to pick a selection (a whole caseload needs none).
  createEffect(
    on([caseload, mode], ([list, m]) => {
      if (m === "selected" && list.length > 0) queueDecrypt(staff, list);
    }),
  );

  const toggle = (set: ReadonlySet<string>, id: string, on: boolean) => {
    const next = new Set(set);
    if (on) next.add(id);
    else next.delete(id);
    return next;
  };

  const run = async (job: Job) => {
    setBusy(true);
    setError(undefined);
    setOutcome(undefined);
    // "Resume" in this tab names the threads the job started with: those already moved are then
    // skipped, and the SDK posts any handover the interruption left out (a whole caseload, listed
    // again, would no longer list them).
    const listed = caseload().map((x) => x.id);
    setLastJob(job.threadIds === undefined && job.from === from() ? { ...job, threadIds: listed } : job);
    const started = performance.now();
    try {
      const result = await staff.reassignCaseload({
        from: job.from as never,
        to: job.to as never[],
        ...(job.threadIds === undefined ? {} : { threadIds: job.threadIds as never[] }),
        onProgress: setProgress,
      });
      setOutcome({ outcome: result, seconds: (performance.now() - started) / 1000 });
      if (result.failed.length === 0 && result.notAnnounced.length === 0) setLastJob(undefined);
      await load();
    } catch (e) {
      setError(failure(e));
    } finally {
      setBusy(false);
    }
  };

  const submit = (e: SubmitEvent) => {
    e.preventDefault();
    if (from() === "") return setError(t().reassignChooseFrom);
    if (to().size === 0) return setError(t().reassignChooseTo);
    const ids =
      mode() === "selected"
        ? caseload()
            .filter((x) => selected().has(x.id))
            .map((x) => x.id)
        : undefined;
    if (mode() === undefined) return setError(t().reassignChooseWhat);
    if (ids !== undefined && ids.length === 0) return setError(t().reassignChooseThreads);
    setError(undefined);
    setConfirming({ from: from(), to: [...to()], threadIds: ids, count: ids?.length ?? caseload().length });
    requestAnimationFrame(() => confirmHeading?.focus());
  };

  const memberName = (id: string) => {
    const m = team().find((x) => x.id === id);
    return m === undefined ? id : nameOf(m);
  };

  return (
    <section aria-labelledby="reassign-title">
      <h1 id="reassign-title">{t().reassignTitle}</h1>
      <p class="lead">{t().reassignLead}</p>
      <Alert message={error()} />
      <Show when={lastJob() !== undefined && !busy()}>
        <div class="notice">
          <p>{t().reassignInterrupted}</p>
          <button type="button" class="primary" onClick={() => void run(lastJob()!)}>
            {t().reassignResume}
          </button>
        </div>
      </Show>
      <form class="stack" onSubmit={submit} aria-busy={busy()}>
        <div class="field">
          <label for="reassign-from">{t().reassignFrom}</label>
          <select
            id="reassign-from"
            onChange={(e) => {
              setFrom(e.currentTarget.value);
              setSelected(new Set<string>());
              setTo((s) => toggle(s, e.currentTarget.value, false));
            }}
          >
            <option value="" selected={from() === ""}>
              {t().threadChoose}
            </option>
            <For each={team().filter((m) => m.role === "counsellor" && m.status !== "pending")}>
              {(m) => (
                <option value={m.id} selected={from() === m.id}>
                  {nameOf(m)} (
                  {t().teamCaseloadN(threads().filter((x) => x.assigneeIds.includes(m.id)).length)})
                  {m.status === "removed" ? ` – ${t().reassignRemovedMember}` : ""}
                </option>
              )}
            </For>
          </select>
        </div>

        <Show when={from() !== ""}>
          <fieldset class="radios">
            <legend>{t().reassignWhat}</legend>
            <label>
              <input
                type="radio"
                name="mode"
                value="all"
                checked={mode() === "all"}
                onChange={() => setMode("all")}
              />{" "}
              {t().reassignWhole(caseload().length)}
            </label>
            <label>
              <input
                type="radio"
                name="mode"
                value="selected"
                checked={mode() === "selected"}
                onChange={() => setMode("selected")}
              />{" "}
              {t().reassignSelection}
            </label>
          </fieldset>

          <Show when={mode() === "selected"}>
            <fieldset>
              <legend>{t().reassignThreadsOf(caseload().length)}</legend>
              <p>
                <button
                  type="button"
                  class="link-button"
                  onClick={() => setSelected(new Set(caseload().map((x) => x.id)))}
                >
                  {t().reassignSelectAll}
                </button>{" "}
                <button type="button" class="link-button" onClick={() => setSelected(new Set<string>())}>
                  {t().reassignSelectNone}
                </button>
              </p>
              <ul class="plain thread-picks">
                <For each={caseload()} fallback={<li class="muted">{t().reassignNoThreads}</li>}>
                  {(x) => (
                    <li class="check">
                      <input
                        id={`pick-${x.id}`}
                        type="checkbox"
                        checked={selected().has(x.id)}
                        onChange={(e) => setSelected((s) => toggle(s, x.id, e.currentTarget.checked))}
                      />
                      <label for={`pick-${x.id}`}>
                        <ThreadSubject threadId={x.id} /> ·{" "}
                        <DueBadge state={dueState(x, now(), staff.helpline.replyTimeHours)} />
                        <Show when={x.waitingSince !== null}>
                          {" "}
                          {t().inboxWaiting(formatDuration(now() - x.waitingSince!))}
                        </Show>
                      </label>
                    </li>
                  )}
                </For>
              </ul>
            </fieldset>
          </Show>

          <fieldset>
            <legend>{t().reassignTo}</legend>
            <p class="hint">{t().reassignToHint}</p>
            <For each={targets()} fallback={<p class="hint">{t().teamNoTakers}</p>}>
              {(m) => (
                <span class="check">
                  <input
                    id={`to-${m.id}`}
                    type="checkbox"
                    checked={to().has(m.id)}
                    onChange={(e) => setTo((s) => toggle(s, m.id, e.currentTarget.checked))}
                  />
                  <label for={`to-${m.id}`}>
                    {nameOf(m)} (
                    {t().teamCaseloadN(threads().filter((x) => x.assigneeIds.includes(m.id)).length)})
                  </label>
                </span>
              )}
            </For>
          </fieldset>

          <div class="actions">
            <button type="submit" class="primary" disabled={busy() || confirming() !== undefined}>
              {t().reassignStart}
            </button>
          </div>
        </Show>
      </form>
      <Show when={confirming()}>
        {(job) => (
          <section
            class="confirm-box"
            aria-labelledby="reassign-confirm-title"
            data-testid="reassign-confirm"
          >
            <h2 id="reassign-confirm-title" tabindex="-1" ref={confirmHeading}>
              {t().reassignCheckTitle}
            </h2>
            <p class="confirm-summary">
              <strong>
                {t().reassignSummary(job().count, memberName(job().from), job().to.map(memberName))}
              </strong>
            </p>
            <ul>
              <Show when={job().to.length > 1}>
                <li>{t().reassignCheckRoundRobin}</li>
              </Show>
              <li>{t().reassignCheckLoses(memberName(job().from))}</li>
              <li>{t().reassignCheckSeeker}</li>
            </ul>
            <p class="hint">{t().reassignCheckLead}</p>
            <div class="actions">
              <button
                type="button"
                class="primary"
                onClick={() => {
                  const { count: _count, ...next } = job();
                  setConfirming(undefined);
                  void run(next);
                }}
              >
                {t().reassignConfirm}
              </button>
              <button type="button" onClick={() => setConfirming(undefined)}>
                {t().reassignBack}
              </button>
            </div>
          </section>
        )}
      </Show>
      <Show when={progress()}>{(p) => <BulkProgressView progress={p()} />}</Show>
      <Show when={outcome()}>{(o) => <BulkOutcomeView outcome={o().outcome} seconds={o().seconds} />}</Show>
    </section>
  );
}
