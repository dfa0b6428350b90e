import type { TeamMember } from "@briefgeheim/client";
import { For, Show } from "solid-js";
import { Status } from "../../components/common.js";
import { TableHead } from "../../components/TableHead.js";
import { t } from "../../i18n/index.js";
import { requireStaff } from "../../state/session.js";
import { nameOf } from "./member.js";

/**
 * The active members: role, intake reader (a checkbox), caseload, keys against the roster (or that the
 * server hides a member of the signed roster), the safety code of the roster's keys and role (the
 * member sees the same in "My keys"), remove.
 */
export function MembersTable(props: {
  loaded: boolean;
  active: readonly TeamMember[];
  busy: boolean;
  onToggleIntake: (m: TeamMember, on: boolean) => void;
  onRemove: (m: TeamMember) => void;
}) {
  const staff = requireStaff();
  return (
    <section aria-labelledby="members-title" class="panel">
      <h2 id="members-title">{t().teamMembers}</h2>
      <Show when={props.loaded} fallback={<Status>{t().teamLoading}</Status>}>
        <table aria-labelledby="members-title">
          <TableHead
            columns={[
              t().teamName,
              t().teamUsername,
              t().teamRole,
              t().teamIntake,
              t().teamCaseload,
              t().teamKeys,
              t().teamSafetyCode,
            ]}
            actions={t().overviewActions}
          />
          <tbody>
            <For each={props.active}>
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
                      disabled={props.busy || !m.onRoster}
                      aria-label={t().teamIntakeFor(nameOf(m))}
                      onChange={(e) => props.onToggleIntake(m, e.currentTarget.checked)}
                    />
                  </td>
                  <td>{m.caseload}</td>
                  <td classList={{ "warning-text": !m.keysMatchRoster }}>
                    {m.missingFromServer
                      ? t().teamMissingFromServer
                      : m.keysMatchRoster
                        ? t().teamKeysOk
                        : t().teamKeysMismatch}
                  </td>
                  <td>
                    <code class="safety-code">{m.safetyCode}</code>
                  </td>
                  <td>
                    <Show when={m.id !== staff.memberId}>
                      <button
                        type="button"
                        class="danger"
                        disabled={props.busy}
                        aria-label={t().teamRemoveNamed(nameOf(m))}
                        onClick={() => props.onRemove(m)}
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
  );
}
