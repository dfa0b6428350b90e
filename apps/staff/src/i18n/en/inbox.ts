import type { inbox as nl } from "../nl/inbox.js";
import type { Shape } from "../shape.js";

/** English texts, the inbox and one thread. Typed against the Dutch part: a missing or extra key is a type error. */
export const inbox: Shape<typeof nl> = {
  inboxTitle: "Inbox",
  inboxLoading: "Loading conversations…",
  inboxRefresh: "Refresh",
  inboxUpdated: (at: string) => `Updated at ${at}.`,
  inboxSearch: "Search conversations",
  inboxSearchHint:
    "The search runs in this browser only, over subjects and messages decrypted here. Nothing is sent to the server.",
  inboxSearchResults: (n: number, done: number, total: number) =>
    n === 1
      ? `${n} conversation found (searched: ${done} of ${total}).`
      : `${n} conversations found (searched: ${done} of ${total}).`,
  inboxNoHits: "No conversations found.",
  inboxIntake: "Intake",
  inboxIntakeHint: "New conversations for the team. Claim one to reply.",
  inboxIntakeHintSupervisor: "New conversations nobody has claimed yet.",
  inboxIntakeEmpty: "No new conversations.",
  inboxMine: "My conversations",
  inboxMineEmpty: "You have no conversations yet.",
  inboxAll: "All conversations",
  inboxAllEmpty: "There are no conversations outside intake.",
  inboxDecrypting: (id: string) => `Conversation ${id} (decrypting…)`,
  inboxUnreadable: (id: string) => `Conversation ${id}: could not be verified`,
  inboxNoSubject: "(no subject)",
  inboxUnread: "New",
  inboxWaiting: (time: string) => `waiting ${time}`,
  inboxLastActivity: (ago: string) => `last message ${ago} ago`,
  inboxFlagged: "supervisor asked",
  inboxInIntake: "in intake",
  inboxNoCounsellor: "no counsellor",
  threadBack: "← Back to the inbox",
  threadLoading: "Loading and verifying the conversation…",
  threadUnavailableTitle: "Conversation not available",
  threadNoAccess: "This conversation does not exist, or you (no longer) have access to it.",
  threadTamperedTitle: "Warning: this conversation could not be verified",
  threadTampered:
    "The keys or the order of this conversation do not match what the helpline signed, so nothing of it is shown. Tell your supervisor and the operator.",
  threadNotVerifiedTitle: "Warning: not every message could be verified",
  threadNotVerified: (n: number) =>
    n === 1
      ? `${n} check fails (a message forged, damaged, moved, duplicated or left out). What checks out reads as usual; the problem is marked on the message itself. Tell your supervisor.`
      : `${n} checks fail (messages forged, damaged, moved, duplicated or left out). What checks out reads as usual; each problem is marked on the message itself. Tell your supervisor.`,
  threadProblemAt: (n: number, reason: string) => `Message ${n}: ${reason}`,
  threadVerified: (n: number) =>
    n === 1
      ? `${n} message, signed and in the right order: verified.`
      : `All ${n} messages are signed and in the right order: verified.`,
  threadVerifiedMark: "verified",
  threadVerifiedMarkLong: "This message's signature and position were checked.",
  threadUnreadableCount: (n: number) =>
    n === 1
      ? `You cannot read ${n} older message (from before your access).`
      : `You cannot read ${n} older messages (from before your access).`,
  threadStatus: "Status",
  threadPromise: "Reply time",
  threadDueAt: (at: string) => `reply by ${at}`,
  threadAssigned: "Assigned to",
  threadReaders: "Who can read it",
  threadReadersText: (helpline: string, counsellors: string) =>
    `${helpline} (supervisors) and ${counsellors}`,
  threadNoCounsellors: "no counsellor",
  threadExpires: "Will be deleted on",
  threadConversation: "Conversation",
  threadFromMe: "You",
  threadFromSeeker: "Help-seeker",
  threadFromHelpline: "Helpline",
  threadFromStaff: (name: string) => `${name} (helpline)`,
  threadStatusChanged: (status: string) => `Status changed to: ${status}`,
  threadClaimHint: "This conversation is in intake. Claim it to reply and write notes.",
  threadClaim: "Claim",
  threadClaimed: "You claimed the conversation.",
  threadReply: "Reply to the help-seeker",
  threadReplyHint: "Your draft is stored encrypted while you type.",
  threadReplyEmpty: "Write a reply first.",
  threadSend: "Send",
  threadReplySent: "Your reply was encrypted and sent.",
  threadDraftPending: "Saving the draft shortly…",
  threadDraftSaved: (at: string) => `Draft saved encrypted at ${at}.`,
  threadDraftRestored: (at: string) => `Your draft from ${at} was restored.`,
  threadDraftFailed: (reason: string) => `The draft could not be saved: ${reason}`,
  threadDraftUnavailable: (reason: string) => `The draft could not be loaded: ${reason}`,
  threadReadOnly: "You can read this conversation but (no longer) reply.",
  threadNotes: "Internal notes",
  threadNotesHint: "For the helpline only. The help-seeker never sees these notes.",
  threadNoNotes: "No notes yet.",
  threadNotesAfterClaim: "Notes are possible once the conversation is claimed.",
  threadNotesReadOnly: "You cannot add notes here.",
  threadNote: "New note",
  threadAddNote: "Add note",
  threadNoteEmpty: "Write a note first.",
  threadNoteSaved: "Note stored encrypted.",
  threadManage: "Manage",
  threadSetStatus: "Save status",
  threadStatusSaved: "Status saved.",
  threadAskSupervisor: "Ask a supervisor for help",
  threadFlagSupervisor: "Flag for supervisors",
  threadFlaggedYes: "A supervisor has been asked for help.",
  threadFlaggedNo: "Not flagged.",
  threadFlagSet: "The supervisors see that you ask for help.",
  threadFlagCleared: "The request to the supervisor was withdrawn.",
  threadAssignTo: "Assign to",
  threadChoose: "Choose…",
  threadAssign: "Assign",
  threadAssignedDone: "Conversation assigned. The keys were granted anew.",
  threadId: (id: string) => `Conversation ${id}`,
  problemUnknown: "does not check out",
  statusNames: {
    open: "open",
    waiting: "waiting for help-seeker",
    closed: "closed",
  },
  problems: {
    BAD_SIGNATURE: "signature does not match",
    UNKNOWN_SENDER: "unknown sender",
    WRONG_THREAD: "belongs to another conversation",
    UNKNOWN_EPOCH: "unknown key period",
    SEQ_GAP: "a message is missing",
    DUPLICATE: "duplicate message",
    BROKEN_LINK: "a link in the chain does not match",
    REORDERED: "order changed",
    SENDER_FORK: "the sender has two versions",
    STALE_EPOCH: "outdated key period",
    DECRYPT_FAILED: "could not be decrypted",
    MISSING: "a message somebody had already seen is gone",
    WITHHELD: "a message this device saw before is no longer shown",
    NOT_REKEYED:
      "someone who left the team can still read this conversation until a supervisor renews its keys (team screen)",
    AFTER_EPOCH_CHANGE: "written after the conversation was handed over (by someone who no longer reads it)",
    EVENT_NOT_A_READER: "a handover to someone who cannot read this conversation",
    EVENT_SIGNER_NOT_ALLOWED: "a handover announced by someone who may not announce it",
  },
  threadProblemInThread: (reason: string) => `In the conversation: ${reason}`,
  threadDamagedMessage: "Damaged message: not shown, because it does not check out.",
  threadMessageProblem: (reasons: string) => `Careful: ${reasons}`,
  threadContinuesPastDamaged: "Continues past a damaged message.",
  threadNotVerifiedMark: "not verified",
  charCount: (used: string, max: string) => `${used} of ${max} characters`,
  charCountOver: (over: string, max: string) =>
    `${over} characters too many: a message may have at most ${max} characters. Shorten it or split it over two messages.`,
  retryInSeconds: (seconds: number) =>
    `Try again in ${
      seconds < 90
        ? seconds === 1
          ? "1 second"
          : `${seconds} seconds`
        : `${Math.ceil(seconds / 60)} minutes`
    }.`,
};
