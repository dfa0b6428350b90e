import type { BulkOutcome, BulkProgress, TeamMember } from "@briefgeheim/client";
import { createSignal, onMount, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { t } from "../i18n/index.js";
import { rosterVersion } from "../lib/roster.js";
import { focusHeading } from "../state/nav.js";
import { failure, requireStaff } from "../state/session.js";
import { HelplinePanel } from "./team/HelplinePanel.js";
import { InvitePanel } from "./team/InvitePanel.js";
import { MembersTable } from "./team/MembersTable.js";
import { nameOf } from "./team/member.js";
import { PendingPanel } from "./team/PendingPanel.js";
import { RemovedList, RemovePanel } from "./team/RemovePanel.js";

/**
 * Supervisors: the helpline's fingerprint and roster version, one-time invites, admitting accepted
 * members (display name, explicit intake choice, compared safety code), every member's safety code,
 * intake readers, and removing someone (a new roster, then new epochs
 * for every thread they read: their threads move to others).
 */
export function Team() {
  const staff = requireStaff();
  const [team, setTeam] = createSignal<TeamMember[] | undefined>();
  const [error, setError] = createSignal<string | undefined>();
  const [status, setStatus] = createSignal("");
  const [busy, setBusy] = createSignal(false);
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

  const admit = (m: TeamMember, e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const displayName = String(data.get("displayName") ?? "").trim() || m.username;
    const intake = data.get("intake");
    const code = String(data.get("safetyCode") ?? "").trim();
    // The intake choice is explicit: neither answer is preselected.
    if (intake !== "yes" && intake !== "no") {
      setError(t().teamIntakeChoose(m.username));
      return;
    }
    // Without a binding in the listing only the compared code can admit (the SDK checks either way).
    if (code === "" && (m.keyProof === null || m.sealedInviteSecret === null)) {
      setError(t().teamCodeMissing(m.username));
      return;
    }
    setAdmitProgress(undefined);
    void act(async () => {
      // New supervisors: every thread is re-keyed for them (progress shown).
      await staff.admitPending({
        admit: [
          {
            memberId: m.id as never,
            intakeReader: intake === "yes",
            displayName,
            ...(code === "" ? {} : { comparedSafetyCode: code }),
          },
        ],
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

  return (
    <section aria-labelledby="team-title">
      <h1 id="team-title">{t().teamTitle}</h1>
      <p>
        <button type="button" onClick={() => void load()}>
          {t().inboxRefresh}
        </button>
      </p>

      <HelplinePanel version={version()} />

      <Alert message={error()} />
      <Status>{status()}</Status>

      <InvitePanel busy={busy()} act={act} setStatus={setStatus} members={team()} reload={load} />

      <Show when={pending().length > 0}>
        <PendingPanel pending={pending()} busy={busy()} progress={admitProgress()} onAdmit={admit} />
      </Show>

      <MembersTable
        loaded={team() !== undefined}
        active={active()}
        busy={busy()}
        onToggleIntake={toggleIntake}
        onRemove={startRemove}
      />

      <Show when={removing()}>
        {(m) => (
          <RemovePanel
            member={m()}
            takers={otherCounsellors(m().id)}
            busy={busy()}
            interrupted={interrupted()}
            progress={progress()}
            outcome={outcome()}
            onSubmit={(e) => void remove(e)}
            onClose={() => {
              setRemoving(undefined);
              focusHeading();
            }}
          />
        )}
      </Show>

      <Show when={removed().length > 0}>
        <RemovedList removed={removed()} busy={busy()} onRekey={startRemove} />
      </Show>
    </section>
  );
}
