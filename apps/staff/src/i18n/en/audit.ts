import type { audit as nl } from "../nl/audit.js";
import { plural } from "../plural.js";
import type { Shape } from "../shape.js";

/** English texts, the audit log. Typed against the Dutch part: a missing or extra key is a type error. */
export const audit: Shape<typeof nl> = {
  auditTitle: "Audit log",
  auditLead: "Who did what and when: sign-ins, claims, assignments, reassignments, team changes. No content.",
  auditLoading: "Loading and verifying the audit log…",
  auditVerified: (n: number) =>
    plural("en", n, {
      one: `The chain is verified: ${n} entry, unbroken from the first.`,
      other: `The chain is verified: ${n} entries, unbroken from the first.`,
    }),
  auditPrunedThrough: (n: number) =>
    `Entries 1 to ${n} were removed after the retention period; a checkpoint in the chain says where they ended.`,
  auditBrokenTitle: "Warning: the audit log does not check out",
  auditBroken:
    "The audit log's chain is broken: an entry was changed, removed or inserted. Tell the operator.",
  auditFilter: "Show",
  auditAll: "everything",
  auditSeq: "No.",
  auditWhen: "When",
  auditWho: "Who",
  auditWhat: "What",
  auditAbout: "About",
  auditDetailsHeader: "Details",
  auditOperator: "operator",
  auditSeeker: "help-seeker",
  auditThread: (id: string) => `conversation ${id}`,
  auditActions: {
    "sign-in": "signed in",
    claim: "claimed a conversation",
    assign: "assigned a conversation",
    reassign: "reassigned a conversation",
    "remove-reader": "removed a reader",
    "roster-change": "changed the team list",
    "invite-created": "created an invitation",
    "invite-accepted": "accepted an invitation",
    "thread-deleted": "deleted a conversation",
    "audit-pruned": "audit log shortened (retention)",
    "profile-published": "signed the helpline profile",
    "settings-changed": "changed the settings",
    "thread-exported": "printed or exported a conversation",
    "flag-raised": "asked for help with a conversation",
    "flag-resolved": "resolved a request for help",
  },
  auditDetails: {
    role: "role",
    expiresAt: "valid until",
    firstSupervisor: "first supervisor",
    version: "version",
    added: "added",
    removed: "removed",
    epoch: "key period",
    reason: "reason",
    readers: "readers",
    prunedThrough: "removed up to no.",
    prunedCount: "entries removed",
    prunedHeadHash: "last removed entry (hash)",
    before: "older than",
    note: "note (encrypted, id)",
  },
};
