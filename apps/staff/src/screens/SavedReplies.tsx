import type { OwnSavedReplies, SavedReply } from "@briefgeheim/client";
import { createSignal, onMount, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { t } from "../i18n/index.js";
import { errorCode } from "../lib/sdk.js";
import { problemOf, repliesFailure, type SessionReplies, sessionReplies } from "../state/saved-replies.js";
import { requireStaff } from "../state/session.js";
import { ReplyListEditor } from "./saved-replies/ReplyListEditor.js";
import "../styles/saved-replies.css";

/**
 * Standaardantwoorden (issue 10, staff item 6): the member's own saved replies and signature, and the
 * team's saved replies (supervisors edit, counsellors read). Opening it as a supervisor re-seals the
 * team set when the roster changed since its last save, so new members can read it and removed ones
 * cannot.
 */
export function SavedReplies() {
  const staff = requireStaff();
  const api = staff.savedReplies();
  const isSupervisor = staff.role === "supervisor";
  const [data, setData] = createSignal<SessionReplies | undefined>();
  const [signature, setSignature] = createSignal("");
  const [auto, setAuto] = createSignal(false);
  const [sigError, setSigError] = createSignal<string | undefined>();
  const [sigStatus, setSigStatus] = createSignal("");
  const [sigBusy, setSigBusy] = createSignal(false);

  const reload = async () => {
    const next = await sessionReplies(staff, true, true);
    setData(next);
    if (next.own.ok) {
      setSignature(next.own.value.signature.text);
      setAuto(next.own.value.signature.auto);
    }
  };
  onMount(() => void reload());

  /** Saves, and on a conflict loads the newest set before the refusal is shown. */
  const saving = async (save: () => Promise<unknown>) => {
    try {
      await save();
    } catch (e) {
      if (errorCode(e) === "REVISION_CONFLICT") await reload();
      throw e;
    }
    await reload();
  };

  const teamReplies = (d: SessionReplies): readonly SavedReply[] => (d.team.ok ? d.team.value.replies : []);
  const ownOf = (d: SessionReplies): OwnSavedReplies | undefined => (d.own.ok ? d.own.value : undefined);
  const saveOwnReplies = (replies: readonly SavedReply[]) =>
    saving(async () => {
      const own = ownOf(data()!)!;
      await api.saveOwn({ replies, signature: own.signature }, own.revision);
    });
  const saveTeam = (replies: readonly SavedReply[]) =>
    saving(async () => {
      const team = data()!.team;
      await api.saveTeam(replies, team.ok ? team.value.revision : team.revision);
    });

  const saveSignature = async (e: SubmitEvent) => {
    e.preventDefault();
    const own = ownOf(data()!);
    if (own === undefined) return;
    setSigBusy(true);
    setSigError(undefined);
    setSigStatus("");
    try {
      await saving(() =>
        api.saveOwn({ replies: own.replies, signature: { text: signature(), auto: auto() } }, own.revision),
      );
      setSigStatus(t().signatureSaved);
    } catch (err) {
      setSigError(repliesFailure(err));
    } finally {
      setSigBusy(false);
    }
  };

  return (
    <section aria-labelledby="replies-title" class="saved-replies-screen">
      <h1 id="replies-title">{t().repliesTitle}</h1>
      <p class="hint">{t().repliesLead}</p>
      <Show when={data()} fallback={<Status>{t().repliesLoading}</Status>}>
        {(d) => (
          <>
            <section aria-labelledby="own-replies-title">
              <h2 id="own-replies-title">{t().repliesOwnTitle}</h2>
              <p class="hint">{t().repliesOwnHint}</p>
              <Show when={ownOf(d())} fallback={<Alert message={problemOf(d().own)} />}>
                {(own) => (
                  <ReplyListEditor
                    id="own"
                    replies={own().replies}
                    canEdit
                    newId={api.newId}
                    save={saveOwnReplies}
                  />
                )}
              </Show>
            </section>

            <Show when={ownOf(d())}>
              <section aria-labelledby="signature-title">
                <h2 id="signature-title">{t().signatureTitle}</h2>
                <form class="stack" onSubmit={saveSignature} aria-busy={sigBusy()}>
                  <div class="field">
                    <label for="signature-text">{t().signatureLabel}</label>
                    <textarea
                      id="signature-text"
                      rows={3}
                      dir="auto"
                      aria-describedby="signature-hint"
                      value={signature()}
                      onInput={(e) => setSignature(e.currentTarget.value)}
                    />
                    <p class="hint" id="signature-hint">
                      {t().signatureHint}
                    </p>
                  </div>
                  <p class="check">
                    <input
                      id="signature-auto"
                      type="checkbox"
                      checked={auto()}
                      onChange={(e) => setAuto(e.currentTarget.checked)}
                    />
                    <label for="signature-auto">{t().signatureAuto}</label>
                  </p>
                  <p class="actions">
                    <button type="submit" disabled={sigBusy()}>
                      {t().signatureSave}
                    </button>
                  </p>
                  <Alert message={sigError()} />
                  <Status>{sigStatus()}</Status>
                </form>
              </section>
            </Show>

            <section aria-labelledby="team-replies-title">
              <h2 id="team-replies-title">{t().repliesTeamTitle}</h2>
              <p class="hint">
                {isSupervisor ? t().repliesTeamHintSupervisor : t().repliesTeamHintCounsellor}
              </p>
              <Show when={!d().team.ok}>
                <Alert message={problemOf(d().team)} />
                <Show when={isSupervisor}>
                  <p class="hint">{t().repliesSupervisorStartOver}</p>
                </Show>
              </Show>
              <Show when={d().team.ok || isSupervisor}>
                <ReplyListEditor
                  id="team"
                  replies={teamReplies(d())}
                  canEdit={isSupervisor}
                  newId={api.newId}
                  save={saveTeam}
                />
              </Show>
            </section>
          </>
        )}
      </Show>
    </section>
  );
}
