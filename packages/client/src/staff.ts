import { type MemberId, memberSafetyCode, type ThreadId } from "@briefgeheim/crypto";
import type { EpochAck, HelplineSettingsRequest, StaffRole } from "@briefgeheim/protocol";
import type { BulkOutcome, BulkProgress } from "./bulk-run.js";
import { guard } from "./errors.js";
import {
  type HelplineProfile,
  type HelplineProfileFields,
  type ProfileForEditing,
  profileForEditing,
  publishHelplineProfile,
} from "./helpline-profile.js";
import { type HelplineSettings, updateHelplineSettings } from "./helpline-settings.js";
import {
  loadOwnReplies,
  loadTeamReplies,
  newSavedReplyId,
  nothingSeen,
  type OwnSavedReplies,
  type RepliesSeen,
  type ReplySignature,
  recheckTeamReplies,
  type SavedReply,
  saveOwnReplies,
  saveTeamReplies,
  type TeamSavedReplies,
} from "./saved-replies.js";
import { type AuditReport, fetchAudit } from "./staff-audit.js";
import {
  assign,
  type MoveOutcome,
  type ReassignCaseloadOptions,
  type RemovalOutcome,
  type RemoveMemberOptions,
  reassignCaseload,
  removeMember,
} from "./staff-caseload.js";
import { recordExport } from "./staff-export.js";
import { announceHandover, type NotAnnounced } from "./staff-handover.js";
import { annualReport, publishAnnualReport } from "./staff-report.js";
import { StaffSessionThreads } from "./staff-session-threads.js";
import {
  fetchStats,
  fetchSurveyQuestions,
  type StaffStatistics,
  saveSurveyQuestions,
  tallySurvey,
  warmUpSurveyCount,
} from "./staff-stats.js";
import {
  type AdmitOptions,
  type Admitted,
  admitPending,
  type CreatedInvite,
  createInvite,
  listTeam,
  publishRosterWithRootSheet,
  rekeyForRoster,
  type SucceededRoot,
  setIntakeReader,
  succeedRoot,
  type TeamMember,
} from "./staff-team.js";
import type { Sent } from "./thread-post.js";

// The session and everyday use live in staff-session-base.ts and staff-session-threads.ts (file size).
export type { StaffIdentity } from "./staff-session-base.js";

/**
 * A signed-in counsellor or supervisor. Made by `signInStaff`. Keys live only in memory until
 * `wipe()` or `signOut()`. Supervisor-only methods fail with `NOT_A_SUPERVISOR` for counsellors.
 *
 * @example
 * const staff = await signInStaff(client, { username, passphrase });
 * for (const t of await staff.listThreads("intake")) { ... }
 * await staff.claim(threadId);
 * await staff.reply(threadId, "Fijn dat je schrijft.");
 */
export class StaffSession extends StaffSessionThreads {
  /** The saved-reply sets this session last saw: revision and hash (rollback check; not secret). */
  readonly #repliesSeen: RepliesSeen = nothingSeen();

  /**
   * Saved replies (saved-replies.ts, PROTOCOL.md §14): the member's own set with the signature, and
   * the helpline's team set (supervisors save it). Each save names the revision it was loaded at.
   *
   * @example
   * const own = await staff.savedReplies().own();
   * await staff.savedReplies().saveOwn({ replies: [...own.replies, reply], signature: own.signature }, own.revision);
   */
  savedReplies(): StaffSavedReplies {
    const ctx = () => this.ctx();
    const seen = this.#repliesSeen;
    return {
      newId: () => newSavedReplyId(ctx()),
      own: () => guard(() => loadOwnReplies(ctx(), seen)),
      saveOwn: (content, basedOn) => guard(() => saveOwnReplies(ctx(), seen, content, basedOn)),
      team: () => guard(() => loadTeamReplies(ctx(), seen)),
      recheckTeam: (team) => recheckTeamReplies(ctx(), team),
      saveTeam: (replies, basedOn) => guard(() => saveTeamReplies(ctx(), seen, replies, basedOn)),
    };
  }

  // -------------------------------------------------------------------------------- supervisors

  /**
   * A one-time invite for a new counsellor or supervisor.
   *
   * @example
   * const { token, memberId } = await staff.invite("counsellor");
   */
  invite(role: StaffRole, options?: { readonly expiresInHours?: number }): Promise<CreatedInvite> {
    return guard(() => createInvite(this.ctx(), role, options));
  }

  /**
   * The team: every account with its status, caseload, and whether the verified roster lists it.
   *
   * @example
   * const team = await staff.listStaff();
   */
  listStaff(): Promise<TeamMember[]> {
    return guard(() => listTeam(this.ctx()));
  }

  /**
   * Publishes the next roster adding accepted-but-pending members, each checked by the safety code the
   * supervisor compared with the member (`SAFETY_CODE_MISMATCH`) or by the binding of this
   * supervisor's own invite (`INVITE_KEY_MISMATCH`); nothing is published when one fails. Every thread
   * is re-keyed for new supervisors (progress through `onProgress`).
   *
   * @example
   * await staff.admitPending({ admit: [{ memberId: annaId, intakeReader: true, comparedSafetyCode: typed }] });
   */
  admitPending(options?: AdmitOptions): Promise<Admitted> {
    return guard(() => admitPending(this.ctx(), options));
  }

  /**
   * Moves every thread whose current epoch does not match the newest roster (a supervisor missing, a
   * removed member still listed) to a roster-change epoch; resumable. `admitPending` runs it when it
   * adds a supervisor.
   *
   * @example
   * await staff.rekeyForRoster({ onProgress: (p) => bar(p) });
   */
  rekeyForRoster(options?: {
    readonly threadIds?: readonly ThreadId[];
    readonly batchSize?: number;
    readonly onProgress?: (progress: BulkProgress) => void;
  }): Promise<BulkOutcome> {
    return guard(() => rekeyForRoster(this.ctx(), options));
  }

  // --- Root sheet and safety code (slice A) ---

  /**
   * This member's own safety code, from the keys this session unlocked: the code a supervisor compares
   * before admitting them (and anyone may compare later with the team screen).
   *
   * @example
   * show(staff.mySafetyCode()); // "40517 00982 31764 ..."
   */
  mySafetyCode(): string {
    const ctx = this.ctx();
    return memberSafetyCode(ctx.client.sodium, {
      helplineId: ctx.helplineId,
      memberId: ctx.memberId,
      role: ctx.role,
      signPk: ctx.keys.signing.publicKey,
      boxPk: ctx.keys.box.publicKey,
    });
  }

  /**
   * Publishes the next roster signed with the root from its printed sheet (no supervisor left).
   *
   * @example
   * await staff.publishRosterWithRootSheet(sheet, (r) => ({ replace: [{ ...me, role: "supervisor" }] }));
   */
  publishRosterWithRootSheet(
    sheet: string,
    changes: Parameters<typeof publishRosterWithRootSheet>[2],
  ): Promise<{ version: number }> {
    return guard(async () => ({
      version: (await publishRosterWithRootSheet(this.ctx(), sheet, changes)).version,
    }));
  }

  /**
   * Hands the root over to a new root (signed by the old one from its sheet); print the new sheet.
   *
   * @example
   * const { rootRecoveryText } = await staff.succeedRoot(oldSheet);
   */
  succeedRoot(sheet: string): Promise<SucceededRoot> {
    return guard(() => succeedRoot(this.ctx(), sheet));
  }

  // --- end of root sheet and safety code ---

  /**
   * Makes a member an intake reader or not (a new roster).
   *
   * @example
   * await staff.setIntakeReader(bramId, true);
   */
  setIntakeReader(memberId: MemberId, on: boolean): Promise<{ version: number }> {
    return guard(() => setIntakeReader(this.ctx(), memberId, on));
  }

  /**
   * Assigns (or reassigns) one thread.
   *
   * @example
   * await staff.assign(threadId, bramId);
   */
  assign(
    threadId: ThreadId,
    memberId: MemberId | readonly MemberId[],
  ): Promise<EpochAck & { readonly notAnnounced: readonly NotAnnounced[] }> {
    const to = typeof memberId === "string" ? [memberId] : memberId;
    return guard(() => assign(this.ctx(), threadId, to));
  }

  /**
   * Moves a whole caseload; resumable.
   *
   * @example
   * await staff.reassignCaseload({ from: annaId, to: [bramId], onProgress: (p) => bar(p) });
   */
  reassignCaseload(options: ReassignCaseloadOptions): Promise<MoveOutcome> {
    return guard(() => reassignCaseload(this.ctx(), options));
  }

  /**
   * Posts a signed handover event naming `memberId` (PROTOCOL.md §5.1) unless the current epoch holds
   * one already: a supervisor for anyone reading the thread, a counsellor only for themselves in the
   * epoch their own claim made (any other is refused by every reader, `EVENT_SIGNER_NOT_ALLOWED`).
   * `assign` and `reassignCaseload` post it themselves.
   *
   * @example
   * await staff.announceHandover(threadId, staff.memberId); // "Bram took over your conversation"
   */
  announceHandover(threadId: ThreadId, memberId: MemberId): Promise<Sent | undefined> {
    return guard(() => announceHandover(this.ctx(), threadId, memberId));
  }

  /**
   * Records in the audit log that this member printed or exported the thread (no content); call it
   * before printing.
   *
   * @example
   * await staff.recordExport(threadId);
   * window.print();
   */
  recordExport(threadId: ThreadId): Promise<{ at: number }> {
    return guard(() => recordExport(this.ctx(), threadId));
  }

  /**
   * Removes a member: new roster without them, new epochs for every thread they read.
   *
   * @example
   * await staff.removeMember(annaId, { reassignTo: [bramId] });
   */
  removeMember(memberId: MemberId, options?: RemoveMemberOptions): Promise<RemovalOutcome> {
    return guard(() => removeMember(this.ctx(), memberId, options));
  }

  /**
   * The audit log, verified.
   *
   * @example
   * const { ok } = await staff.audit();
   */
  audit(): Promise<AuditReport> {
    return guard(() => fetchAudit(this.ctx()));
  }

  /**
   * Statistics (supervisors; staff-stats.ts): figures from metadata, the survey questions, and the
   * sealed survey answers counted on this device.
   *
   * @example
   * const { days } = await staff.statistics().figures({ from: "2026-01-01", to: "2026-12-31" });
   */
  statistics(): StaffStatistics {
    const ctx = () => this.ctx();
    return {
      figures: (range) => guard(() => fetchStats(ctx(), range)),
      questions: () => guard(() => fetchSurveyQuestions(ctx())),
      saveQuestions: (questions) => guard(() => saveSurveyQuestions(ctx(), questions)),
      tallySurvey: (range, onProgress) => guard(() => tallySurvey(ctx(), range, onProgress)),
      warmUpCount: () => guard(() => warmUpSurveyCount(ctx())),
      annualReport: (year) => guard(() => annualReport(ctx(), this.helpline.name, year)),
      publishAnnualReport: (content) => guard(() => publishAnnualReport(ctx(), content)),
    };
  }

  // ------------------------------------------------------------ helpline profile (helpline-profile.ts)

  /**
   * The helpline's profile as a supervisor edits it: the verified current one, or the operator's
   * unsigned proposal while the helpline is not open yet (`current` undefined).
   *
   * @example
   * const { fields, current } = await staff.helplineProfile();
   */
  helplineProfile(): Promise<ProfileForEditing> {
    return guard(() => profileForEditing(this.ctx()));
  }

  /**
   * Signs and publishes the next version of the helpline profile (version 1 opens the helpline).
   *
   * @example
   * await staff.publishHelplineProfile({ name, descriptionNl, descriptionEn, replyWithinHours: 72 });
   */
  publishHelplineProfile(fields: HelplineProfileFields): Promise<HelplineProfile> {
    return guard(() => publishHelplineProfile(this.ctx(), fields));
  }

  /**
   * Changes what the server applies itself: retention days and idle-lock minutes (audited).
   *
   * @example
   * await staff.updateHelplineSettings({ retentionDays: 180, lockAfterMinutes: 10 });
   */
  updateHelplineSettings(change: HelplineSettingsRequest): Promise<HelplineSettings> {
    return guard(() => updateHelplineSettings(this.ctx(), change));
  }
}

/** `StaffSession.savedReplies()`. */
export interface StaffSavedReplies {
  newId(): string;
  own(): Promise<OwnSavedReplies>;
  saveOwn(
    content: { readonly replies: readonly SavedReply[]; readonly signature: ReplySignature },
    basedOn: number,
  ): Promise<{ revision: number }>;
  team(): Promise<TeamSavedReplies>;
  /** `TEAM_REPLIES_SIGNER` when the newest roster verified since no longer lists the signer as a supervisor. */
  recheckTeam(team: TeamSavedReplies): void;
  saveTeam(replies: readonly SavedReply[], basedOn: number): Promise<{ revision: number }>;
}
