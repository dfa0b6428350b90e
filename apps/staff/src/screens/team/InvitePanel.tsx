import type { CreatedInvite, TeamMember } from "@briefgeheim/client";
import { createEffect, createSignal, For, onCleanup, Show } from "solid-js";
import { formatDateTime, t } from "../../i18n/index.js";
import { inviteLink } from "../../lib/fragment.js";
import { requireStaff } from "../../state/session.js";

const EXPIRY_HOURS = [24, 72, 168] as const;

/** Creating a one-time invite (role, expiry) and showing its link once, with a copy button. */
export function InvitePanel(props: {
  busy: boolean;
  act: (fn: () => Promise<unknown>, done: string) => Promise<boolean>;
  setStatus: (status: string) => void;
  /** The team as last listed, and a way to list it again: a used link leaves the screen. */
  members?: readonly TeamMember[] | undefined;
  reload?: () => Promise<void>;
}) {
  const staff = requireStaff();
  const [invite, setInvite] = createSignal<(CreatedInvite & { link: string }) | undefined>();
  // Issue 10, staff item 4: once someone accepted the invite (they are listed, pending or admitted),
  // the one-time link is of no use and goes; the team is listed again every 10 s while it is shown.
  const usedBy = () => {
    const inv = invite();
    return inv === undefined ? undefined : props.members?.find((m) => m.id === inv.memberId);
  };
  createEffect(() => {
    if (invite() === undefined || usedBy() !== undefined || props.reload === undefined) return;
    const timer = setInterval(() => void props.reload?.(), 10_000);
    onCleanup(() => clearInterval(timer));
  });

  const createInvite = (e: SubmitEvent) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget as HTMLFormElement);
    const role = data.get("role") === "supervisor" ? "supervisor" : "counsellor";
    const hours = Number(data.get("hours") ?? 72);
    void props.act(async () => {
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
      props.setStatus(t().teamCopied);
    } catch {
      const input = document.getElementById("invite-link") as HTMLInputElement | null;
      input?.select();
      props.setStatus(t().teamCopyManually);
    }
  };

  return (
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
        <button type="submit" class="primary" disabled={props.busy}>
          {t().teamInvite}
        </button>
      </form>
      <Show when={usedBy()}>
        {(m) => (
          <p class="notice" role="status" data-testid="invite-used">
            {t().inviteUsed(m().displayName ?? m().username)}
          </p>
        )}
      </Show>
      <Show when={usedBy() === undefined ? invite() : undefined}>
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
  );
}
