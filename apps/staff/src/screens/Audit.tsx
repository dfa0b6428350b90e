import type { AuditReport, TeamMember } from "@briefgeheim/client";
import type { AuditEntry } from "@briefgeheim/protocol";
import { createMemo, createSignal, For, onMount, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { formatDateTime, lookup, t } from "../i18n/index.js";
import { nameOf, shortId } from "../lib/roster.js";
import { failure, requireStaff } from "../state/session.js";

const ACTIONS = [
  "sign-in",
  "claim",
  "assign",
  "reassign",
  "remove-reader",
  "roster-change",
  "invite-created",
  "invite-accepted",
  "thread-deleted",
  "profile-published",
  "settings-changed",
  "audit-pruned",
] as const;

/** Supervisors: the helpline's audit log, its hash chain verified in this tab. */
export function Audit() {
  const staff = requireStaff();
  const [report, setReport] = createSignal<AuditReport | undefined>();
  const [team, setTeam] = createSignal<TeamMember[]>([]);
  const [error, setError] = createSignal<string | undefined>();
  const [filter, setFilter] = createSignal("");

  const load = async () => {
    try {
      const [r, members] = await Promise.all([staff.audit(), staff.listStaff()]);
      setReport(r);
      setTeam(members);
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    }
  };
  onMount(() => void load());

  const who = (e: AuditEntry) => {
    if (e.actorKind === "operator") return t().auditOperator;
    if (e.actorKind === "seeker") return t().auditSeeker;
    return person(e.actorId);
  };
  const person = (id: string | null) => {
    if (id === null) return "";
    const m = team().find((x) => x.id === id);
    return nameOf(staff, id, m === undefined ? undefined : (m.displayName ?? m.username));
  };
  const detailValue = (k: string, v: AuditEntry["details"][string]): string => {
    if (Array.isArray(v)) return v.length === 0 ? "–" : v.map((x) => person(x)).join(", ");
    if (typeof v === "boolean") return v ? t().commonYes : t().commonNo;
    if (k === "expiresAt" && typeof v === "number") return formatDateTime(v);
    if (k === "role" && (v === "counsellor" || v === "supervisor")) return t().roles[v];
    if (k === "reason" && typeof v === "string") return lookup(t().auditActions, v) ?? v;
    return String(v);
  };
  const detailText = (e: AuditEntry) =>
    Object.entries(e.details)
      .map(([k, v]) => {
        return `${lookup(t().auditDetails, k) ?? k}: ${detailValue(k, v)}`;
      })
      .join("; ");
  const entries = createMemo(() => {
    const r = report();
    if (r === undefined) return [];
    const f = filter();
    return [...r.entries].reverse().filter((e) => f === "" || e.action === f);
  });

  return (
    <section aria-labelledby="audit-title">
      <h1 id="audit-title">{t().auditTitle}</h1>
      <p class="lead">{t().auditLead}</p>
      <Alert message={error()} />
      <Show when={report()} fallback={<Status>{t().auditLoading}</Status>}>
        {(r) => (
          <>
            <Show
              when={r().ok}
              fallback={
                <div class="alert" role="alert" data-testid="audit-broken">
                  <h2>{t().auditBrokenTitle}</h2>
                  <p>{t().auditBroken}</p>
                </div>
              }
            >
              <p class="verified" data-testid="audit-verified">
                <span aria-hidden="true">✓ </span>
                {t().auditVerified(r().entries.length)}
                {/* After pruning the chain starts at a checkpoint, not at the first entry ever. */}
                <Show when={prunedThrough(r().verification) > 0}>
                  {" "}
                  {t().auditPrunedThrough(prunedThrough(r().verification))}
                </Show>
              </p>
            </Show>
            <div class="toolbar">
              <div class="field inline">
                <label for="audit-filter">{t().auditFilter}</label>
                <select id="audit-filter" onChange={(e) => setFilter(e.currentTarget.value)}>
                  <option value="">{t().auditAll}</option>
                  <For each={ACTIONS}>{(a) => <option value={a}>{t().auditActions[a]}</option>}</For>
                </select>
              </div>
              <button type="button" onClick={() => void load()}>
                {t().inboxRefresh}
              </button>
            </div>
            <table aria-labelledby="audit-title" class="audit">
              <thead>
                <tr>
                  <th scope="col">{t().auditSeq}</th>
                  <th scope="col">{t().auditWhen}</th>
                  <th scope="col">{t().auditWho}</th>
                  <th scope="col">{t().auditWhat}</th>
                  <th scope="col">{t().auditAbout}</th>
                  <th scope="col">{t().auditDetailsHeader}</th>
                </tr>
              </thead>
              <tbody>
                <For each={entries()}>
                  {(e) => (
                    <tr data-action={e.action}>
                      <td>{e.seq}</td>
                      <td>{formatDateTime(e.at)}</td>
                      <td>{who(e)}</td>
                      <td>{t().auditActions[e.action]}</td>
                      <td>
                        {[
                          e.subjectId === null ? "" : person(e.subjectId),
                          e.threadId === null ? "" : t().auditThread(shortId(e.threadId)),
                        ]
                          .filter(Boolean)
                          .join(" · ")}
                      </td>
                      <td class="details">{detailText(e)}</td>
                    </tr>
                  )}
                </For>
              </tbody>
            </table>
          </>
        )}
      </Show>
    </section>
  );
}

/** Where a verified chain starts after retention pruning (0: nothing was pruned, or not verified). */
function prunedThrough(v: { ok: true; prunedThrough: number } | { ok: false }): number {
  return v.ok ? v.prunedThrough : 0;
}
