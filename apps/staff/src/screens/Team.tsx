import type { BulkOutcome, BulkProgress, CreatedInvite, TeamMember } from "@briefgeheim/client";
import { createSignal, For, onMount, Show } from "solid-js";
import { BulkOutcomeView, BulkProgressView } from "../components/BulkProgress.js";
import { Alert, Status } from "../components/common.js";
import { formatDateTime, type Messages, t } from "../i18n/index.js";
import { inviteLink } from "../lib/fragment.js";
import { rosterVersion } from "../lib/roster.js";
import { focusHeading } from "../state/nav.js";
import { failure, requireStaff } from "../state/session.js";

const EXPIRY_HOURS = [24, 72, 168] as const;

function nameOf(m: TeamMember): string {
  return m.displayName ?? m.username;
}

/**
 * Supervisors: the helpline's fingerprint and roster version, one-time invites, admitting accepted
 * members (display name, intake), intake readers, and removing someone (a new roster, then new epochs
 * for every thread they read: their threads move to others).
 */
export function Team() {
  const staff = requireStaff();
  const [team, setTeam] = createSignal<TeamMember[] | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  const [status, setStatus] = createSignal("");
  const [busy, setBusy] = createSignal(false);
  const [invite, setInvite] = createSignal<(CreatedInvite & { link: string }) | undefined>();
  const [removing, setRemoving] = createSignal<TeamMember | undefined>();
  const [progress, setProgress] = createSignal<BulkProgress | undefined>();
  const [outcome, setOutcome] = createSignal<{ outcome: BulkOutcome; seconds: number } | undefined>();
  const [interrupted, setInterrupted] = createSignal(false);
  const [admitProgress, setAdmitProgress] = createSignal<BulkProgress | undefined>();

  const [version, setVersion] = createSignal<number | undefined>();

  const load = async () => {
    try {
      setTeam(await staff.listStaff());
      setVersion(rosterVersion(staff));
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    }
  };
  onMount(() => void load());

  /** Runs a change, reloads the team and announces the outcome. */
  const act = async (fn: () => Promise<unknown>, done: string) => {
    setBusy(true);
    setError(undefined);
    setStatus("");
    try {
      await fn();
      await load();
      setStatus(done);
      return true;
    } catch (e) {
      setError(failure(e));
      return false;
    } finally {
      setBusy(false);
    }
  };

  const createInvite = (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const role = data.get("role") === "supervisor" ? "supervisor" : "counsellor";
    const hours = Number(data.get("hours") ?? 72);
    void act(async () => {
      const created = await staff.invite(role, { expiresInHours: hours });
      setInvite({ ...created, link: inviteLink(location.origin, created.token, created.secret) });
      requestAnimationFrame(() => document.getElementById("invite-link")?.focus());
    }, t().teamInviteCreated);
  };

  const copyLink = async () => {
    const link = invite()?.link;
    if (link === undefined) return;
    try {
      await navigator.clipboard.writeText(link);
      setStatus(t().teamCopied);
    } catch {
      const input = document.getElementById("invite-link") as HTMLInputElement | null;
      input?.select();
      setStatus(t().teamCopyManually);
    }
  };

  const admit = (m: TeamMember, e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const displayName = String(data.get("displayName") ?? "").trim() || m.username;
    const intake = data.get("intake") === "on";
    const unbound = data.get("unbound") === "on";
    setAdmitProgress(undefined);
    void act(async () => {
      // New supervisors get the root key and every thread is re-keyed for them (progress shown).
      await staff.admitPending({
        only: [m.id as never],
        displayNames: { [m.id]: displayName },
        intakeReaders: intake ? [m.id as never] : [],
        ...(unbound ? { unboundKeys: [m.id as never] } : {}),
        onProgress: setAdmitProgress,
      });
    }, t().teamAdmitted(displayName));
  };

  const toggleIntake = (m: TeamMember, on: boolean) =>
    void act(
      () => staff.setIntakeReader(m.id as never, on),
      on ? t().teamIntakeOn(nameOf(m)) : t().teamIntakeOff(nameOf(m)),
    );

  const startRemove = (m: TeamMember) => {
    setRemoving(m);
    setProgress(undefined);
    setOutcome(undefined);
    setInterrupted(false);
    requestAnimationFrame(() => document.getElementById("remove-title")?.focus());
  };

  const remove = async (e: SubmitEvent) => {
    e.preventDefault();
    const m = removing();
    if (m === undefined) return;
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const takers = data.getAll("taker").map(String);
    setBusy(true);
    setError(undefined);
    setInterrupted(false);
    const started = performance.now();
    try {
      const result = await staff.removeMember(m.id as never, {
        reassignTo: takers as never[],
        onProgress: setProgress,
      });
      setOutcome({ outcome: result, seconds: (performance.now() - started) / 1000 });
      setStatus(t().teamRemoved(nameOf(m)));
      await load();
    } catch (err) {
      setInterrupted(true);
      setError(failure(err));
    } finally {
      setBusy(false);
    }
  };

  const active = () => (team() ?? []).filter((m) => m.status === "active");
  const pending = () => (team() ?? []).filter((m) => m.status === "pending");
  const removed = () => (team() ?? []).filter((m) => m.status === "removed");
  const otherCounsellors = (except: string) =>
    active().filter((m) => m.role === "counsellor" && m.onRoster && m.id !== except);
  const pinnedText = (): ((m: Messages) => string) =>
    ({
      key: (m: Messages) => m.teamPinnedKey,
      fingerprint: (m: Messages) => m.teamPinnedFingerprint,
      created: (m: Messages) => m.teamPinnedCreated,
      "first-use": (m: Messages) => m.teamPinnedFirstUse,
    })[staff.pinnedBy];

  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">{t().teamTitle}</h1>
      <p>
        <button type="button" onClick={() => void load()}>
          {t().inboxRefresh}
        </button>
      </p>

      <section aria-labelledby="helpline-title" class="panel">
        <h2 id="helpline-title">{t().teamHelpline(staff.helpline.name)}</h2>
        <dl class="facts">
          <dt>{t().teamFingerprint}</dt>
          <dd class="fingerprint" data-testid="fingerprint">
            {staff.fingerprint}
          </dd>
          <dt>{t().teamTrust}</dt>
          <dd classList={{ "warning-text": staff.pinnedBy === "first-use" }}>{pinnedText()(t())}</dd>
          <dt>{t().teamRosterVersion}</dt>
          <dd data-testid="roster-version">{version() ?? "…"}</dd>
        </dl>
        <p class="hint">{t().teamFingerprintHint}</p>
      </section>

      <Alert message={error()} />
      <Status>{status()}</Status>

      <section aria-labelledby="invite-title" class="panel">
        <h2 id="invite-title">{t().teamInviteTitle}</h2>
        <form class="inline-form" onSubmit={createInvite}>
          <fieldset class="radios">
            <legend>{t().teamRole}</legend>
            <label>
              <input type="radio" name="role" value="counsellor" checked /> {t().roles.counsellor}
            </label>
            <label>
              <input type="radio" name="role" value="supervisor" /> {t().roles.supervisor}
            </label>
          </fieldset>
          <label for="invite-hours">{t().teamExpiry}</label>
          <select id="invite-hours" name="hours">
            <For each={EXPIRY_HOURS}>
              {(h) => (
                <option value={h} selected={h === 72}>
                  {t().teamHours(h)}
                </option>
              )}
            </For>
          </select>
          <button type="submit" class="primary" disabled={busy()}>
            {t().teamInvite}
          </button>
        </form>
        <Show when={invite()}>
          {(inv) => (
            <div class="invite-result">
              <label for="invite-link">
                {t().teamInviteLink(t().roles[inv().role], formatDateTime(inv().expiresAt))}
              </label>
              <input
                id="invite-link"
                type="text"
                readonly
                value={inv().link}
                class="mono"
                aria-describedby="invite-once"
              />
              <p class="warning" id="invite-once">
                {t().teamInviteOnce}
              </p>
              <div class="actions">
                <button type="button" onClick={() => void copyLink()}>
                  {t().teamCopy}
                </button>
                <button type="button" class="link-button" onClick={() => setInvite(undefined)}>
                  {t().teamHideLink}
                </button>
              </div>
            </div>
          )}
        </Show>
      </section>

      <Show when={pending().length > 0}>
        <section aria-labelledby="pending-title" class="panel">
          <h2 id="pending-title">{t().teamPendingTitle}</h2>
          <p class="hint">{t().teamPendingHint}</p>
          <ul class="plain">
            <For each={pending()}>
              {(m) => (
                <li class="pending-member">
                  <form class="inline-form" onSubmit={(e) => admit(m, e)}>
                    <p>
                      <strong>{m.username}</strong> · {t().roles[m.role]}
                    </p>
                    <label for={`admit-name-${m.id}`}>{t().teamDisplayName}</label>
                    <input
                      id={`admit-name-${m.id}`}
                      name="displayName"
                      type="text"
                      value={m.displayName ?? m.username}
                      maxLength={64}
                    />
                    <span class="check">
                      <input
                        id={`admit-intake-${m.id}`}
                        name="intake"
                        type="checkbox"
                        checked={m.role === "counsellor"}
                      />
                      <label for={`admit-intake-${m.id}`}>{t().teamReadsIntake}</label>
                    </span>
                    <Show
                      when={m.keyProof !== null && m.sealedInviteSecret !== null}
                      fallback={
                        <span class="check unbound">
                          <input id={`admit-unbound-${m.id}`} name="unbound" type="checkbox" />
                          <label for={`admit-unbound-${m.id}`}>{t().teamUnboundConfirm}</label>
                        </span>
                      }
                    >
                      <span class="hint">{t().teamBound}</span>
                    </Show>
                    <button
                      type="submit"
                      class="primary"
                      disabled={busy()}
                      aria-label={t().teamAdmitNamed(m.username)}
                    >
                      {t().teamAdmit}
                    </button>
                  </form>
                </li>
              )}
            </For>
          </ul>
          <p class="hint">{t().teamUnboundHint}</p>
          <Show when={admitProgress()}>{(p) => <BulkProgressView progress={p()} />}</Show>
        </section>
      </Show>

      <section aria-labelledby="members-title" class="panel">
        <h2 id="members-title">{t().teamMembers}</h2>
        <Show when={team()} fallback={<Status>{t().teamLoading}</Status>}>
          <table aria-labelledby="members-title">
            <thead>
              <tr>
                <th scope="col">{t().teamName}</th>
                <th scope="col">{t().teamUsername}</th>
                <th scope="col">{t().teamRole}</th>
                <th scope="col">{t().teamIntake}</th>
                <th scope="col">{t().teamCaseload}</th>
                <th scope="col">{t().teamKeys}</th>
                <th scope="col">
                  <span class="visually-hidden">{t().overviewActions}</span>
                </th>
              </tr>
            </thead>
            <tbody>
              <For each={active()}>
                {(m) => (
                  <tr data-member={m.username}>
                    <th scope="row">
                      {nameOf(m)}
                      <Show when={m.id === staff.memberId}> ({t().teamYou})</Show>
                    </th>
                    <td>{m.username}</td>
                    <td>{t().roles[m.role]}</td>
                    <td>
                      <input
                        type="checkbox"
                        checked={m.intakeReader}
                        disabled={busy() || !m.onRoster}
                        aria-label={t().teamIntakeFor(nameOf(m))}
                        onChange={(e) => toggleIntake(m, e.currentTarget.checked)}
                      />
                    </td>
                    <td>{m.caseload}</td>
                    <td classList={{ "warning-text": !m.keysMatchRoster }}>
                      {m.keysMatchRoster ? t().teamKeysOk : t().teamKeysMismatch}
                    </td>
                    <td>
                      <Show when={m.id !== staff.memberId}>
                        <button
                          type="button"
                          class="danger"
                          disabled={busy()}
                          aria-label={t().teamRemoveNamed(nameOf(m))}
                          onClick={() => startRemove(m)}
                        >
                          {t().teamRemove}
                        </button>
                      </Show>
                    </td>
                  </tr>
                )}
              </For>
            </tbody>
          </table>
        </Show>
      </section>

      <Show when={removing()}>
        {(m) => (
          <section aria-labelledby="remove-title" class="panel danger-panel">
            <h2 id="remove-title" tabindex="-1">
              {t().teamRemoveTitle(nameOf(m()))}
            </h2>
            <p>{t().teamRemoveLead(nameOf(m()))}</p>
            <form class="stack" onSubmit={remove}>
              <fieldset>
                <legend>{t().teamTakers}</legend>
                <For each={otherCounsellors(m().id)} fallback={<p class="hint">{t().teamNoTakers}</p>}>
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
                <button type="submit" class="danger" disabled={busy()}>
                  {interrupted() ? t().teamRemoveResume : t().teamRemoveConfirm(nameOf(m()))}
                </button>
                <button
                  type="button"
                  class="link-button"
                  disabled={busy()}
                  onClick={() => {
                    setRemoving(undefined);
                    focusHeading();
                  }}
                >
                  {t().commonClose}
                </button>
              </div>
            </form>
            <Show when={progress()}>{(p) => <BulkProgressView progress={p()} />}</Show>
            <Show when={interrupted()}>
              <p class="notice">{t().teamRemoveInterrupted}</p>
            </Show>
            <Show when={outcome()}>
              {(o) => <BulkOutcomeView outcome={o().outcome} seconds={o().seconds} />}
            </Show>
          </section>
        )}
      </Show>

      <Show when={removed().length > 0}>
        <details class="panel">
          <summary>{t().teamRemovedTitle(removed().length)}</summary>
          <ul>
            <For each={removed()}>
              {(m) => (
                <li>
                  {nameOf(m)} ({m.username}){" "}
                  <button
                    type="button"
                    class="link-button"
                    disabled={busy()}
                    aria-label={t().teamRekeyNamed(nameOf(m))}
                    onClick={() => startRemove(m)}
                  >
                    {t().teamRekey}
                  </button>
                </li>
              )}
            </For>
          </ul>
        </details>
      </Show>
    </section>
  );
}
