/**
 * What the routes' own code cannot say about them: a one-line summary, who may call it, and the schema
 * of a successful answer. Everything about the request (path parameters, query, JSON body) comes from
 * the route's `validate(...)` middleware (validate.ts), read off the app itself (routes/openapi).
 *
 * Adding a route: validate its inputs with `validate(...)` in the route file and add a line here; the
 * test (routes/openapi/index.test.ts) fails for a route of the app without one.
 */
import * as P from "@briefgeheim/protocol";
import { z } from "zod";

export type Who = "anyone" | "signed in" | "seeker" | "staff" | "supervisor";

export interface RouteDoc {
  readonly summary: string;
  readonly who: Who;
  /** The JSON of a 200 answer; absent: described in docs/API.md only. */
  readonly response?: z.ZodType;
}

/** The proof-of-work challenge (middleware/pow; docs/API.md, "Proof of work and quotas"). */
const powChallenge = z.object({
  algorithm: z.literal("SHA-256"),
  challenge: z.string(),
  maxnumber: z.number().int(),
  salt: z.string(),
  signature: z.string(),
});

/** Keyed by `METHOD /api/path/:param` exactly as the app registers the route. */
export const ROUTE_DOCS: Readonly<Record<string, RouteDoc>> = {
  "GET /api/health": { summary: "Health", who: "anyone", response: P.healthSchema },
  "GET /api/openapi.json": { summary: "This document", who: "anyone", response: z.object({}) },
  "GET /api/helplines": { summary: "Helplines", who: "anyone", response: P.helplinesResponseSchema },
  "GET /api/helplines/:helplineId/rosters": {
    summary: "Roster chain after a version",
    who: "anyone",
    response: P.rostersResponseSchema,
  },
  "POST /api/helplines/:helplineId/rosters": {
    summary: "Publish the next roster",
    who: "supervisor",
    response: P.publishRosterResponseSchema,
  },
  "POST /api/helplines/:helplineId/profile": {
    summary: "Publish the next signed helpline profile",
    who: "supervisor",
    response: P.publishProfileResponseSchema,
  },
  "POST /api/helplines/:helplineId/settings": {
    summary: "Server-side helpline settings (retention, inactivity lock); audited",
    who: "supervisor",
  },
  "GET /api/pow/challenge": {
    summary: "A signed proof-of-work challenge (ALTCHA's SHA-256 scheme; difficulty rises with load)",
    who: "anyone",
    response: powChallenge,
  },
  "POST /api/auth/challenge": {
    summary: "Sign-in nonce (single use, 60 s)",
    who: "anyone",
    response: P.challengeResponseSchema,
  },
  "POST /api/auth/seeker": {
    summary: "Help-seeker sign-in (needs a solved proof of work in the Briefgeheim-Pow header)",
    who: "anyone",
    response: P.sessionSchema,
  },
  "POST /api/auth/staff/params": {
    summary: "Argon2 parameters of a username (decoys for unknown ones)",
    who: "anyone",
    response: P.staffParamsResponseSchema,
  },
  "POST /api/auth/staff/unlock": {
    summary: "Wrapped account key for a passphrase proof",
    who: "anyone",
    response: P.staffUnlockResponseSchema,
  },
  "POST /api/auth/staff": {
    summary: "Staff sign-in (proof and signed challenge)",
    who: "anyone",
    response: P.sessionSchema,
  },
  "POST /api/auth/staff/recover": {
    summary: "Recovery-wrapped key for a recovery proof",
    who: "anyone",
    response: P.staffRecoverResponseSchema,
  },
  "POST /api/auth/staff/reset": {
    summary: "New passphrase wrap after recovery",
    who: "anyone",
    response: P.okSchema,
  },
  "GET /api/auth/session": { summary: "The caller's session", who: "signed in", response: P.sessionSchema },
  "POST /api/auth/sign-out": { summary: "End the session", who: "signed in", response: P.okSchema },
  "POST /api/invites": {
    summary: "Create a one-time invite",
    who: "supervisor",
    response: P.createInviteResponseSchema,
  },
  "GET /api/invites/:token": { summary: "Invite details", who: "anyone", response: P.inviteInfoSchema },
  "POST /api/invites/:token/accept": {
    summary: "Accept an invite with new account keys",
    who: "anyone",
    response: P.acceptInviteResponseSchema,
  },
  "GET /api/staff": { summary: "The team", who: "supervisor", response: P.staffResponseSchema },
  "GET /api/threads": {
    summary: "Thread summaries by waiting time",
    who: "signed in",
    response: P.threadsResponseSchema,
  },
  "POST /api/threads": {
    summary: "Open a thread (epoch 0 and first message; needs a solved proof of work in Briefgeheim-Pow)",
    who: "seeker",
    response: P.createThreadResponseSchema,
  },
  "POST /api/threads/epochs/batch": {
    summary: "New epochs for many threads (a caseload)",
    who: "supervisor",
    response: P.epochBatchResponseSchema,
  },
  "POST /api/threads/envelopes/batch": {
    summary: "Envelopes for many threads (a bulk job's handover events), each as the single post takes it",
    who: "staff",
    response: P.envelopeBatchResponseSchema,
  },
  "POST /api/threads/read": {
    summary: "Many threads' details and envelopes in one request",
    who: "signed in",
  },
  "GET /api/threads/:threadId": {
    summary: "Summary, epoch records and the caller's grants",
    who: "signed in",
    response: P.threadDetailSchema,
  },
  "PATCH /api/threads/:threadId": {
    summary: "Status or flag",
    who: "staff",
    response: P.threadResponseSchema,
  },
  "POST /api/threads/:threadId/exported": {
    summary: "Record in the audit log that the caller printed or exported the conversation (no content)",
    who: "staff",
    response: P.threadExportedResponseSchema,
  },
  "DELETE /api/threads/:threadId": {
    summary: "Delete the conversation",
    who: "seeker",
    response: P.deletedSchema,
  },
  "GET /api/threads/:threadId/envelopes": {
    summary: "Envelopes in server order",
    who: "signed in",
    response: P.envelopesResponseSchema,
  },
  "GET /api/threads/:threadId/heads": {
    summary: "The newest envelope per (stream, sender) of the thread",
    who: "signed in",
    response: P.headsResponseSchema,
  },
  "POST /api/threads/:threadId/envelopes": {
    summary: "Post an envelope (idempotent on id)",
    who: "signed in",
    response: P.envelopeAckSchema,
  },
  "POST /api/threads/:threadId/epochs": {
    summary: "Next epoch: claim, assign, reassign, remove",
    who: "staff",
    response: P.epochAckSchema,
  },
  "GET /api/drafts/:context": {
    summary: "The caller's draft",
    who: "signed in",
    response: P.draftResponseSchema,
  },
  "PUT /api/drafts/:context": {
    summary: "Store the caller's draft",
    who: "signed in",
    response: P.draftAckSchema,
  },
  "DELETE /api/drafts/:context": {
    summary: "Delete the caller's draft",
    who: "signed in",
    response: P.draftDeletedSchema,
  },
  "GET /api/saved-replies/own": {
    summary: "The caller's own encrypted saved replies and signature (type 0x0c), or none (revision 0)",
    who: "staff",
    response: P.savedRepliesResponseSchema,
  },
  "PUT /api/saved-replies/own": {
    summary: "Store the caller's own set; its header names the next revision (409 when stale)",
    who: "staff",
    response: P.savedRepliesAckSchema,
  },
  "GET /api/saved-replies/team": {
    summary: "The helpline's signed team saved replies (type 0x0d), or none (revision 0)",
    who: "staff",
    response: P.savedRepliesResponseSchema,
  },
  "PUT /api/saved-replies/team": {
    summary: "Store the team set signed by the calling supervisor; the next revision (409 when stale)",
    who: "supervisor",
    response: P.savedRepliesAckSchema,
  },
  "GET /api/attachments/limits": { summary: "Attachment limits of the caller's helpline", who: "signed in" },
  "POST /api/attachments": { summary: "Start an attachment upload (declared padded size)", who: "signed in" },
  "GET /api/attachments/:attachmentId": {
    summary: "An upload's status (chunks acknowledged)",
    who: "signed in",
  },
  "DELETE /api/attachments/:attachmentId": { summary: "Drop an unbound upload", who: "signed in" },
  "PUT /api/attachments/:attachmentId/chunks/:index": {
    summary: "Store chunk n of an upload (application/octet-stream, idempotent)",
    who: "signed in",
  },
  "POST /api/attachments/:attachmentId/complete": { summary: "Finish an upload", who: "signed in" },
  "GET /api/attachments/:attachmentId/content": {
    summary: "The encrypted attachment (readers of its thread)",
    who: "signed in",
  },
  "GET /api/audit": {
    summary: "The helpline's hash-chained audit log",
    who: "supervisor",
    response: P.auditResponseSchema,
  },
  "GET /api/stats": {
    summary: "The helpline's daily figures and workload (metadata only)",
    who: "supervisor",
    response: P.statsResponseSchema,
  },
  "GET /api/stats/questions": {
    summary: "The helpline's survey questions",
    who: "signed in",
    response: P.surveySettingsSchema,
  },
  "PUT /api/stats/questions": {
    summary: "Set the helpline's survey questions",
    who: "supervisor",
    response: P.surveySettingsSchema,
  },
  "PUT /api/stats/answers/:threadId": {
    summary: "Store a help-seeker's sealed survey answers (type 0x09), once per conversation",
    who: "seeker",
    response: z.object({ stored: z.literal(true) }),
  },
  "GET /api/stats/answers": {
    summary:
      "Sealed survey answers with the caller's epoch-0 grants (counted in the browser); the Briefgeheim-Next response header repeats `next` (absent on the last page)",
    who: "supervisor",
    response: P.surveyAnswersResponseSchema,
  },
  "PUT /api/stats/reports/:year": {
    summary: "Publish the helpline's signed annual report (type 0x0a)",
    who: "supervisor",
    response: z.object({ year: z.number().int(), stored: z.literal(true) }),
  },
  "GET /api/stats/reports": {
    summary: "The helpline's published annual reports",
    who: "supervisor",
    response: P.annualReportsResponseSchema,
  },
};
