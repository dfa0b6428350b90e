/**
 * @briefgeheim/client: the SDK both browser apps use (no DOM; runs in Node 20 and browsers). It talks
 * to the API through Hono's typed RPC and does every cryptographic step with `@briefgeheim/crypto`:
 * the server only ever sees ciphertext, public keys, signatures and metadata.
 *
 * @example
 * import { createClient, startSeeker, signInStaff } from "@briefgeheim/client";
 * const client = await createClient({ baseUrl: location.origin, origin: location.origin, pins });
 * const seeker = await startSeeker(client, { code: typed });
 * const view = await seeker.readThread(threadId);
 */
export { type Api, createApi } from "./api.js";
export {
  type AttachmentSession,
  attachmentLimits,
  discardAttachment,
  resumeAttachment,
  uploadAttachment,
} from "./attachments.js";
export { downloadAttachment } from "./attachments-download.js";
export type {
  AttachmentLimits,
  AttachmentMeta,
  AttachmentPhase,
  AttachmentProgress,
  AttachmentTarget,
  DownloadAttachmentOptions,
  OutgoingFile,
  ResumeAttachmentOptions,
  UploadAttachmentOptions,
} from "./attachments-types.js";
export type { BulkOutcome, BulkProgress } from "./bulk-run.js";
export { type BriefgeheimClient, type ClientOptions, createClient } from "./client.js";
export { CookieJar } from "./cookie-jar.js";
export { DEFAULT_CRISIS_OPTIONS } from "./crisis-defaults.js";
export { type DeviceMemory, memoryDeviceMemory, recallJson, rememberJson } from "./device-memory.js";
export {
  type DraftContent,
  type DraftContext,
  DraftStore,
  newDraftContext,
  replyDraftContext,
} from "./drafts.js";
export {
  ClientError,
  type ClientErrorCode,
  type ClientErrorSource,
  type ClientOnlyCode,
  isClientError,
} from "./errors.js";
export {
  type CrisisOption,
  checkProfile,
  type DirectoryEntry,
  editableFields,
  type HelplineProfile,
  type HelplineProfileFields,
  helplineDirectory,
  type OpenHelpline,
  openHelpline,
  type ProfileForEditing,
  profileForEditing,
  publishHelplineProfile,
} from "./helpline-profile.js";
export { type HelplineSettings, updateHelplineSettings } from "./helpline-settings.js";
export {
  checkRememberedHead,
  HelplineDirectory,
  type RosterHead,
  rosterHeadKey,
  type TrustedHelpline,
} from "./helplines.js";
export { type InviteLinkParts, inviteLink, parseInviteLink } from "./invite-link.js";
export { warmUpKeyDerivation } from "./kdf-warm-up.js";
export { type PinKind, type RootPin, resolveRoot, type TrustedRoot } from "./pins.js";
export {
  POW_HEADER,
  type PowChallenge,
  type PowProgress,
  type PowPurpose,
  proofOfWork,
  solvePowChallenge,
  withProofOfWork,
} from "./pow.js";
export { withRetry } from "./retry.js";
export type {
  OwnSavedReplies,
  ReplySignature,
  SavedReply,
  TeamSavedReplies,
} from "./saved-replies.js";
export { type OpenedThread, type OpenThreadOptions, SeekerSession } from "./seeker.js";
export { type SeekerProgress, type StartSeekerOptions, startSeeker } from "./seeker-start.js";
export { type StaffIdentity, type StaffSavedReplies, StaffSession } from "./staff.js";
export type { AuditReport } from "./staff-audit.js";
export type {
  MoveOutcome,
  ReassignCaseloadOptions,
  RemovalOutcome,
  RemoveMemberOptions,
} from "./staff-caseload.js";
export type { NotAnnounced } from "./staff-handover.js";
export type { ListedThreads, ListSnapshot, StaffReadResult } from "./staff-inbox.js";
export {
  type AcceptedInvite,
  type AcceptInviteOptions,
  type AcceptInviteProgress,
  acceptInvite,
} from "./staff-invite.js";
export { type StaffSignInOptions, type StaffSignInProgress, signInStaff } from "./staff-sign-in.js";
export type { DayRange, StaffStatistics, SurveyTally, TallyProgress } from "./staff-stats.js";
export type {
  Admission,
  AdmitOptions,
  Admitted,
  CreatedInvite,
  SucceededRoot,
  TeamMember,
} from "./staff-team.js";
export type { InboxView, StaffThreadView } from "./staff-threads.js";
export { isKnownAnswerSet, type SurveyAnswerSet } from "./survey-answers.js";
export type { FetchedThread } from "./thread-batch.js";
export { FULL_READ_EVERY, type FullReadReason, type ReadKind } from "./thread-history.js";
export type { Sent } from "./thread-post.js";
export type { HandoverView, MessageFrom, ThreadMessage, ThreadReaders, ThreadView } from "./thread-view.js";
export {
  type CookieMode,
  createTransport,
  errorFromResponse,
  type FetchLike,
  readJson,
  type Transport,
  type TransportOptions,
} from "./transport.js";
export type { VerifiedThreadItem, VerifyThreadItem, VerifyThreadsInput } from "./verify-threads-job.js";
export {
  WORK_JOBS,
  type WorkInput,
  type WorkJob,
  type WorkJobName,
  type WorkJobs,
  type WorkOutput,
} from "./work-jobs.js";
export {
  inlineRunner,
  WorkerPool,
  type WorkPort,
  type WorkReply,
  type WorkRequest,
  type WorkRunner,
} from "./work-pool.js";
export { serveWork, type WorkScope } from "./work-serve.js";
export { fromWire, type WireError, wireError } from "./work-wire.js";
