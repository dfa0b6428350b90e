/**
 * A request per route of the authorisation matrix (tests/authz-matrix.test.ts): what each role sends to
 * each route, built against the matrix's world (authz-world.ts). A role that may not write sends what an
 * allowed writer of its kind would send, so a refusal is about the role, not the body.
 */
import { ATTACHMENT_REQUESTS } from "./attachments/authz-requests.js";
import {
  type Actor,
  acceptBody,
  draftBody,
  envelopeBody,
  epochBody,
  freshSession,
  newInviteToken,
  openThreadBody,
  ownRepliesBody,
  profileBody,
  type RoleName,
  reportBody,
  rosterBody,
  seekerSignIn,
  staffSignIn,
  surveyBody,
  teamRepliesBody,
  type World,
} from "./authz-world.js";

export interface Built {
  readonly path: string;
  readonly json?: unknown;
  /** A raw body (attachment chunks), sent as application/octet-stream. */
  readonly raw?: Uint8Array<ArrayBuffer>;
  /** Use this session instead of the actor's (sign-out gets a fresh one). */
  readonly cookie?: string | undefined;
}

export type Builder = (w: World, actor: Actor) => Promise<Built>;

let counter = 0;
const A = (w: World) => w.actors;
/** Roles that write to TA; others send what an allowed writer of their kind would send. */
const writerOf = (w: World, actor: Actor, can: readonly RoleName[]): Actor =>
  can.includes(actor.role)
    ? actor
    : actor.seeker !== undefined || actor.role === "anonymous"
      ? A(w).seekerA
      : A(w).counsellorAssigned;
export const ctx = (w: World) => `new:${w.h1}`;

export const REQUESTS: Record<string, Builder> = {
  "GET /api/health": async () => ({ path: "/api/health" }),
  "GET /api/openapi.json": async () => ({ path: "/api/openapi.json" }),
  "GET /api/pow/challenge": async () => ({ path: "/api/pow/challenge?purpose=open-thread" }),
  "GET /api/helplines": async () => ({ path: "/api/helplines" }),
  "GET /api/helplines/:helplineId/rosters": async (w) => ({ path: `/api/helplines/${w.h1}/rosters` }),
  // The value in force already: an allowed caller changes nothing, so later cells see the same state.
  "POST /api/helplines/:helplineId/settings": async (w) => ({
    path: `/api/helplines/${w.h1}/settings`,
    json: { lockAfterMinutes: 15 },
  }),
  "POST /api/helplines/:helplineId/profile": async (w) => ({
    path: `/api/helplines/${w.h1}/profile`,
    json: await profileBody(w),
  }),
  "POST /api/helplines/:helplineId/rosters": async (w) => ({
    path: `/api/helplines/${w.h1}/rosters`,
    json: await rosterBody(w),
  }),
  "POST /api/auth/challenge": async (w) => ({ path: "/api/auth/challenge", json: { helplineId: w.h1 } }),
  "POST /api/auth/seeker": async (w) => ({ path: "/api/auth/seeker", json: await seekerSignIn(w) }),
  "POST /api/auth/staff/params": async () => ({
    path: "/api/auth/staff/params",
    json: { username: "spare" },
  }),
  "POST /api/auth/staff/unlock": async (w) => ({
    path: "/api/auth/staff/unlock",
    json: { username: "spare", proof: w.b64(w.staff.spare.proof) },
  }),
  "POST /api/auth/staff": async (w) => ({
    path: "/api/auth/staff",
    json: await staffSignIn(w, w.staff.spare),
  }),
  "POST /api/auth/staff/recover": async (w) => ({
    path: "/api/auth/staff/recover",
    json: { username: "spare", recoveryProof: w.spareRecoveryProof },
  }),
  "POST /api/auth/staff/reset": async (w) => ({
    path: "/api/auth/staff/reset",
    json: { username: "spare", recoveryProof: w.spareRecoveryProof, passphrase: w.spareBundle },
  }),
  "GET /api/auth/session": async () => ({ path: "/api/auth/session" }),
  "POST /api/auth/sign-out": async (w, actor) => ({
    path: "/api/auth/sign-out",
    cookie: await freshSession(w, actor),
  }),
  "POST /api/invites": async (w) => ({
    path: "/api/invites",
    json: { id: w.b64(w.random(16)), role: "counsellor", expiresInHours: 24, token: w.b64(w.random(32)) },
  }),
  "GET /api/invites/:token": async (w) => ({ path: `/api/invites/${w.openInviteToken}` }),
  "POST /api/invites/:token/accept": async (w) => ({
    path: `/api/invites/${await newInviteToken(w)}/accept`,
    json: acceptBody(w, `nieuw-${++counter}`),
  }),
  "GET /api/staff": async () => ({ path: "/api/staff" }),
  "GET /api/threads": async () => ({ path: "/api/threads" }),
  "POST /api/threads": async (w, actor) => ({
    path: "/api/threads",
    json: await openThreadBody(w, (actor.seeker !== undefined ? actor : A(w).seekerA).seeker!),
  }),
  "POST /api/threads/epochs/batch": async (w) => {
    const { record, grants } = await epochBody(w, w.threads.ta, A(w).supervisor);
    return {
      path: "/api/threads/epochs/batch",
      json: { items: [{ threadId: w.threads.ta, record, grants }] },
    };
  },
  "POST /api/threads/envelopes/batch": async (w, actor) => {
    const writer = writerOf(w, actor, ["counsellorAssigned", "supervisor"]);
    const { id, envelope } = await envelopeBody(w, w.threads.ta, writer);
    return {
      path: "/api/threads/envelopes/batch",
      json: { items: [{ threadId: w.threads.ta, id, envelope }] },
    };
  },
  "POST /api/threads/read": async (w) => ({
    path: "/api/threads/read",
    json: { items: [{ threadId: w.threads.ta }] },
  }),
  "GET /api/threads/:threadId": async (w) => ({ path: `/api/threads/${w.threads.ta}` }),
  "GET /api/threads/:threadId/envelopes": async (w) => ({ path: `/api/threads/${w.threads.ta}/envelopes` }),
  "GET /api/threads/:threadId/heads": async (w) => ({ path: `/api/threads/${w.threads.ta}/heads` }),
  "POST /api/threads/:threadId/envelopes": async (w, actor) => ({
    path: `/api/threads/${w.threads.ta}/envelopes`,
    json: await envelopeBody(
      w,
      w.threads.ta,
      writerOf(w, actor, ["seekerA", "counsellorAssigned", "supervisor"]),
    ),
  }),
  "POST /api/threads/:threadId/epochs": async (w, actor) => {
    const signer = ["counsellorAssigned", "supervisor"].includes(actor.role) ? actor : A(w).supervisor;
    const { record, grants } = await epochBody(w, w.threads.ta, signer);
    return { path: `/api/threads/${w.threads.ta}/epochs`, json: { record, grants } };
  },
  "PATCH /api/threads/:threadId": async (w) => ({
    path: `/api/threads/${w.threads.ta}`,
    json: { flagged: true },
  }),
  "DELETE /api/threads/:threadId": async (w) => ({ path: `/api/threads/${w.threads.td}` }),
  "POST /api/threads/:threadId/exported": async (w) => ({ path: `/api/threads/${w.threads.ta}/exported` }),
  "GET /api/drafts/:context": async (w) => ({ path: `/api/drafts/${ctx(w)}` }),
  "PUT /api/drafts/:context": async (w) => ({ path: `/api/drafts/${ctx(w)}`, json: draftBody(w, ctx(w)) }),
  "DELETE /api/drafts/:context": async (w) => ({ path: `/api/drafts/${ctx(w)}` }),
  "GET /api/audit": async () => ({ path: "/api/audit" }),
  "GET /api/saved-replies/own": async () => ({ path: "/api/saved-replies/own" }),
  "PUT /api/saved-replies/own": async (w, actor) => ({
    path: "/api/saved-replies/own",
    json: await ownRepliesBody(w, actor),
  }),
  "GET /api/saved-replies/team": async () => ({ path: "/api/saved-replies/team" }),
  "PUT /api/saved-replies/team": async (w, actor) => ({
    path: "/api/saved-replies/team",
    json: await teamRepliesBody(w, actor),
  }),
  ...ATTACHMENT_REQUESTS,
  "GET /api/stats": async () => ({ path: "/api/stats?from=2026-01-01&to=2026-12-31" }),
  "GET /api/stats/questions": async () => ({ path: "/api/stats/questions" }),
  "PUT /api/stats/questions": async () => ({
    path: "/api/stats/questions",
    json: { questions: ["age", "reason"] },
  }),
  "PUT /api/stats/answers/:threadId": async (w) => ({
    path: `/api/stats/answers/${w.threads.ta}`,
    json: { record: await surveyBody(w, w.threads.ta) },
  }),
  "GET /api/stats/answers": async () => ({ path: "/api/stats/answers?from=2026-01-01&to=2026-12-31" }),
  "PUT /api/stats/reports/:year": async (w, actor) => ({
    path: "/api/stats/reports/2026",
    json: await reportBody(w, actor),
  }),
  "GET /api/stats/reports": async () => ({ path: "/api/stats/reports" }),
};
