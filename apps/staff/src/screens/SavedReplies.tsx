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
 * team's saved replies (supervisors edit, counsellors read). When the team changed since the team
 * list's last save, a supervisor sees it and shares the list shown again by pressing a button: never
 * automatically, since a browser cannot know that the list the server served is the newest one
 * (PROTOCOL.md §14).
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
  const [shareError, setShareError] = createSignal<string | undefined>();
  const [shareStatus, setShareStatus] = createSignal("");
  const [shareBusy, setShareBusy] = createSignal(false);
  let teamHeading: HTMLHeadingElement | undefined;

  const reload = async () => {
    const next = await sessionReplies(staff, true);
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
  const needsSharing = (d: SessionReplies): boolean => d.team.ok && d.team.value.needsSharing;
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

  /** Shares the team list shown again with the newest roster's members (a new revision, a new key). */
  const shareAgain = async () => {
    const team = data()?.team;
    if (team?.ok !== true) return;
    setShareBusy(true);
    setShareError(undefined);
    setShareStatus("");
    try {
      await saving(() => api.saveTeam(team.value.replies, team.value.revision));
      setShareStatus(t().repliesShared);
      // The button is gone: the focus goes to the section it was in.
      teamHeading?.focus();
    } catch (err) {
      setShareError(repliesFailure(err));
    } finally {
      setShareBusy(false);
    }
  };

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
              <h2 id="team-replies-title" tabindex="-1" ref={teamHeading}>
                {t().repliesTeamTitle}
              </h2>
              <p class="hint">
                {isSupervisor ? t().repliesTeamHintSupervisor : t().repliesTeamHintCounsellor}
              </p>
              <Show when={isSupervisor && needsSharing(d())}>
                <p class="hint" id="team-share-hint">
                  {t().repliesShareHint}
                </p>
                <p class="actions">
                  <button
                    type="button"
                    aria-describedby="team-share-hint"
                    disabled={shareBusy()}
                    onClick={() => void shareAgain()}
                  >
                    {t().repliesShareButton}
                  </button>
                </p>
                <Alert message={shareError()} />
              </Show>
              <Status>{shareStatus()}</Status>
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
