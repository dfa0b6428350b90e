import type { everyday as nl } from "../nl/everyday.js";
import { listOf, plural } from "../plural.js";
import type { Shape } from "../shape.js";

/** English texts of slice F: handover events, the reassign confirmation, counts in the navigation. */
export const everyday: Shape<typeof nl> = {
  handoverBySupervisor: (name: string) => `The conversation was handed over to ${name}.`,
  handoverSelf: (name: string) => `${name} took over the conversation.`,
  handoverLabel: "Handover",
  handoverNotAnnounced: (n: number) =>
    plural("en", n, {
      one: `${n} conversation was moved, but the handover notice could not be added to it:`,
      other: `${n} conversations were moved, but the handover notice could not be added to them:`,
    }),
  conversationsN: (n: number) => plural("en", n, { one: `${n} conversation`, other: `${n} conversations` }),
  reassignSummary: (n: number, from: string, to: readonly string[]) =>
    `${plural("en", n, { one: `${n} conversation`, other: `${n} conversations` })} from ${from} to ${listOf("en", to)}`,
  reassignCheckTitle: "Is this right?",
  reassignCheckLead: "Check what will happen. Nothing changes until you confirm.",
  reassignCheckRoundRobin: "The conversations are shared out in turn.",
  reassignCheckLoses: (from: string) =>
    `${from} will not be able to read what is added to these conversations.`,
  reassignCheckSeeker: "The help-seeker sees in the conversation who it was handed over to.",
  reassignConfirm: "Yes, reassign",
  reassignBack: "Back, change nothing",
  reassignChooseWhat: "Choose whether to reassign the whole caseload or a selection.",
  bulkPlainRoster: "Signing the new team list…",
  bulkPlainListing: "Looking up the conversations…",
  bulkPlainLoading: (done: number, total: number) =>
    `Checking conversations: ${done} of ${plural("en", total, { one: `${total} conversation`, other: `${total} conversations` })}.`,
  bulkPlainSigning: (_done: number, total: number) =>
    `Making new keys for ${plural("en", total, { one: `${total} conversation`, other: `${total} conversations` })}.`,
  bulkPlainUploading: (done: number, total: number) => `Saving: ${done} of ${total} done.`,
  bulkPlainAnnouncing: (done: number, total: number) =>
    `Adding the handover notice to each conversation: ${done} of ${total}.`,
  bulkDone: (n: number) =>
    plural("en", n, {
      one: `Done: ${n} conversation was moved.`,
      other: `Done: ${n} conversations were moved.`,
    }),
  bulkAlreadyDone: (n: number) =>
    n === 0
      ? ""
      : plural("en", n, {
          one: `${n} conversation had been moved already.`,
          other: `${n} conversations had been moved already.`,
        }),
  bulkTook: (s: string) => `That took ${s} seconds.`,
  navAdmissions: (n: number) =>
    plural("en", n, { one: `${n} person waiting for admission`, other: `${n} people waiting for admission` }),
  navWaitingThreads: (n: number) =>
    plural("en", n, {
      one: `${n} conversation waiting for an answer`,
      other: `${n} conversations waiting for an answer`,
    }),
  threadVerifiedApart: (messages: number, notes: number) =>
    `${plural("en", messages, { one: `${messages} message`, other: `${messages} messages` })}${
      notes === 0 ? "" : ` and ${plural("en", notes, { one: `${notes} note`, other: `${notes} notes` })}`
    }: signed and in the right order, verified.`,
  inviteUsed: (name: string) =>
    `${name} used the invite. The link no longer works, so it is no longer shown.`,
  printOpen: "Print or save as PDF",
  printBack: "← Back to the conversation",
  printLead:
    "For a report: the conversation as decrypted and checked here, without the app around it. Choose ‘Save as PDF’ in your browser's print dialog for a file. Printing is recorded in the audit log (who, which conversation, when; no content).",
  printWithNotes: "Include internal notes",
  printButton: "Print or save as PDF",
  printRecorded: "Recorded in the audit log. The print dialog opens.",
  printHelpline: "Helpline",
  printConversation: "Conversation",
  printBy: "Printed by",
  printAt: "On",
  printNote: "Internal note",
  printVerified: "All messages are signed and in the right order: verified.",
  printNotVerified: (n: number) =>
    plural("en", n, {
      one: `Note: ${n} check failed. The problem is shown at the message.`,
      other: `Note: ${n} checks failed. Each problem is shown at its message.`,
    }),
  tabTitleCount: (n: number, title: string) => (n > 0 ? `(${n}) ${title}` : title),
};
