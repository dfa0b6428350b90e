/**
 * The authorisation matrix (docs/REQUIREMENTS.md §4, "Reliability"): every route of the API against
 * every role, each cell an asserted status (and error code). The world is set up through
 * packages/client (tests/authz-world.ts); every request body is valid (built with the crypto package
 * for the role that could send it), so authorisation, not validation, decides.
 *
 * Order of checks in the server (found by reading the routes, and asserted by the second test):
 * body limit and content type, then the session (401) and the role (403) run before any validation,
 * so a refused role gets the same answer whatever it sends. Whether a thread is visible (404, the same
 * as for a thread that does not exist) is decided in the handler after validation: those cells need
 * the valid bodies.
 *
 * A new route without a row fails the first test.
 */
import { ERROR_STATUS, type ErrorCode } from "@briefgeheim/protocol";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ATTACHMENT_REQUESTS } from "./attachments/authz-requests.js";
import {
  type Actor,
  acceptBody,
  buildWorld,
  draftBody,
  envelopeBody,
  epochBody,
  freshSession,
  newInviteToken,
  openThreadBody,
  ownRepliesBody,
  profileBody,
  ROLES,
  type RoleName,
  reportBody,
  rosterBody,
  seekerSignIn,
  staffSignIn,
  surveyBody,
  teamRepliesBody,
  type World,
} from "./authz-world.js";
import { type Harness, type RawResponse, startHarness } from "./journeys-harness.js";

// ------------------------------------------------------------------------------------- the cells

interface Cell {
  readonly status: number;
  readonly code?: ErrorCode;
  readonly label: string;
}
const OK: Cell = { status: 200, label: "200" };
/** No session. */
const AUTH: Cell = { status: 401, code: "UNAUTHENTICATED", label: "401" };
/** The role may not use the route. */
const ROLE: Cell = { status: 403, code: "FORBIDDEN", label: "403" };
/** The staff member was removed from the roster (revoked session). */
const GONE: Cell = { status: 403, code: "ACCOUNT_REMOVED", label: "403 removed" };
/** Not visible to the caller (the same answer as for nothing at all). */
const HIDE: Cell = { status: 404, code: "NOT_FOUND", label: "404" };

/**
 * The matrix. Columns: anonymous, help-seeker A (owns TA and TD), help-seeker B, counsellor assigned
 * (TA), counsellor not assigned, counsellor of another helpline, supervisor, supervisor of another
 * helpline, removed counsellor (her session was open when she was removed). Thread routes target TA
 * (DELETE: TD); the helpline is helpline 1; drafts are the caller's own.
 */
// biome-ignore format: a table, aligned by role
const MATRIX: readonly (readonly [string, readonly Cell[]])[] = [
  //                                            anon  seekA seekB cAsg  cNot  cOth  sup   supO  removed
  ["GET /api/health",                          [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["GET /api/openapi.json",                    [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["GET /api/pow/challenge",                   [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["GET /api/helplines",                       [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["GET /api/helplines/:helplineId/rosters",   [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["POST /api/helplines/:helplineId/rosters",  [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   ROLE, GONE]],
  ["POST /api/helplines/:helplineId/profile",  [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   ROLE, GONE]],
  ["POST /api/helplines/:helplineId/settings", [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   ROLE, GONE]],
  ["POST /api/auth/challenge",                 [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["POST /api/auth/seeker",                    [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["POST /api/auth/staff/params",              [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["POST /api/auth/staff/unlock",              [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["POST /api/auth/staff",                     [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["POST /api/auth/staff/recover",             [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["POST /api/auth/staff/reset",               [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["GET /api/auth/session",                    [AUTH, OK,   OK,   OK,   OK,   OK,   OK,   OK,   GONE]],
  ["POST /api/auth/sign-out",                  [AUTH, OK,   OK,   OK,   OK,   OK,   OK,   OK,   GONE]],
  ["POST /api/invites",                        [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
  ["GET /api/invites/:token",                  [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["POST /api/invites/:token/accept",          [OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK,   OK]],
  ["GET /api/staff",                           [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
  ["GET /api/threads",                         [AUTH, OK,   OK,   OK,   OK,   OK,   OK,   OK,   GONE]],
  ["POST /api/threads",                        [AUTH, OK,   OK,   ROLE, ROLE, ROLE, ROLE, ROLE, GONE]],
  ["POST /api/threads/epochs/batch",           [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
  ["POST /api/threads/read",                  [AUTH, OK,   OK,   OK,   OK,   OK,   OK,   OK,   GONE]],
  ["GET /api/threads/:threadId",               [AUTH, OK,   HIDE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["GET /api/threads/:threadId/envelopes",     [AUTH, OK,   HIDE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["GET /api/threads/:threadId/heads",         [AUTH, OK,   HIDE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["POST /api/threads/:threadId/envelopes",    [AUTH, OK,   HIDE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["POST /api/threads/:threadId/epochs",       [AUTH, ROLE, ROLE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["PATCH /api/threads/:threadId",             [AUTH, ROLE, ROLE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["DELETE /api/threads/:threadId",            [AUTH, OK,   HIDE, ROLE, ROLE, ROLE, ROLE, ROLE, GONE]],
  ["POST /api/threads/:threadId/exported",     [AUTH, ROLE, ROLE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["GET /api/drafts/:context",                 [AUTH, OK,   OK,   OK,   OK,   OK,   OK,   OK,   GONE]],
  ["PUT /api/drafts/:context",                 [AUTH, OK,   OK,   OK,   OK,   OK,   OK,   OK,   GONE]],
  ["DELETE /api/drafts/:context",              [AUTH, OK,   OK,   OK,   OK,   OK,   OK,   OK,   GONE]],
  ["GET /api/audit",                           [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
  // Saved replies: staff only, each their own set and their own helpline's team set.
  ["GET /api/saved-replies/own",               [AUTH, ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   GONE]],
  ["PUT /api/saved-replies/own",               [AUTH, ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   GONE]],
  ["GET /api/saved-replies/team",              [AUTH, ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   GONE]],
  ["PUT /api/saved-replies/team",              [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
  // Attachments: the upload routes are the owner's (help-seeker A's uploads; others see 404), a bound
  // file is read by the readers of its thread TA, a new upload for TA needs to be its reader.
  ["GET /api/attachments/limits",              [AUTH, OK,   OK,   OK,   OK,   OK,   OK,   OK,   GONE]],
  ["POST /api/attachments",                    [AUTH, OK,   HIDE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["GET /api/attachments/:attachmentId",       [AUTH, OK,   HIDE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["DELETE /api/attachments/:attachmentId",    [AUTH, OK,   HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, GONE]],
  ["PUT /api/attachments/:attachmentId/chunks/:index", [AUTH, OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, GONE]],
  ["POST /api/attachments/:attachmentId/complete", [AUTH, OK, HIDE, HIDE, HIDE, HIDE, HIDE, HIDE, GONE]],
  ["GET /api/attachments/:attachmentId/content", [AUTH, OK,   HIDE, OK,   HIDE, HIDE, OK,   HIDE, GONE]],
  ["GET /api/stats",                           [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
  ["GET /api/stats/questions",                 [AUTH, OK,   OK,   OK,   OK,   OK,   OK,   OK,   GONE]],
  ["PUT /api/stats/questions",                 [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
  ["PUT /api/stats/answers/:threadId",         [AUTH, OK,   HIDE, ROLE, ROLE, ROLE, ROLE, ROLE, GONE]],
  ["GET /api/stats/answers",                   [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
  ["PUT /api/stats/reports/:year",             [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
  ["GET /api/stats/reports",                   [AUTH, ROLE, ROLE, ROLE, ROLE, ROLE, OK,   OK,   GONE]],
];

// --------------------------------------------------------------------------- a request per cell

interface Built {
  readonly path: string;
  readonly json?: unknown;
  /** A raw body (attachment chunks), sent as application/octet-stream. */
  readonly raw?: Uint8Array<ArrayBuffer>;
  /** Use this session instead of the actor's (sign-out gets a fresh one). */
  readonly cookie?: string | undefined;
}

type Builder = (w: World, actor: Actor) => Promise<Built>;

let counter = 0;
const A = (w: World) => w.actors;
/** Roles that write to TA; others send what an allowed writer of their kind would send. */
const writerOf = (w: World, actor: Actor, can: readonly RoleName[]): Actor =>
  can.includes(actor.role)
    ? actor
    : actor.seeker !== undefined || actor.role === "anonymous"
      ? A(w).seekerA
      : A(w).counsellorAssigned;
const ctx = (w: World) => `new:${w.h1}`;

const REQUESTS: Record<string, Builder> = {
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

/** Extra checks of 200 answers where the status alone does not say enough. */
const CHECKS: Record<string, (w: World, actor: Actor, res: RawResponse) => void> = {
  "POST /api/threads/epochs/batch": (_w, actor, res) => {
    // The other helpline's supervisor may call the route, but sees no thread of helpline 1.
    const [result] = res.body.results;
    if (actor.role === "supervisorOther")
      expect(result).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
    else expect(result).toMatchObject({ ok: true });
  },
  "POST /api/threads/read": (_w, actor, res) => {
    // Anyone signed in may call it; each thread is answered only to those who may see it (404 item).
    const [result] = res.body.results;
    if (["seekerA", "counsellorAssigned", "supervisor"].includes(actor.role))
      expect(result, actor.role).toMatchObject({ ok: true });
    else expect(result, actor.role).toMatchObject({ ok: false, error: { code: "NOT_FOUND" } });
  },
  "GET /api/threads": (w, actor, res) => {
    const ids = (res.body.threads as { id: string }[]).map((t) => t.id);
    const sees = ["seekerA", "counsellorAssigned", "supervisor"].includes(actor.role);
    expect(ids.includes(w.threads.ta), `${actor.role} lists TA`).toBe(sees);
    if (actor.role === "counsellorOther" || actor.role === "supervisorOther") expect(ids).toEqual([]);
  },
  "GET /api/staff": (w, actor, res) => {
    const helpline = actor.role === "supervisor" ? w.h1 : w.h2;
    const ids = (res.body.members as { id: string }[]).map((m) => m.id);
    expect(ids).toContain(actor.role === "supervisor" ? w.staff.vera.memberId : w.staff.wim.memberId);
    expect(ids.includes(w.staff.vera.memberId)).toBe(helpline === w.h1);
  },
  "GET /api/stats": (w, actor, res) => {
    expect(res.body.helplineId).toBe(actor.role === "supervisor" ? w.h1 : w.h2);
  },
  "GET /api/audit": (w, actor, res) => {
    const helpline = actor.role === "supervisor" ? w.h1 : w.h2;
    expect((res.body.entries as { helplineId: string }[]).every((e) => e.helplineId === helpline)).toBe(true);
  },
};

// ------------------------------------------------------------------------------------------ tests

let h: Harness;
let w: World;

beforeAll(async () => {
  h = await startHarness();
  w = await buildWorld(h);
  // Every signed-in role keeps a draft, so reading one's own draft is a 200.
  for (const actor of Object.values(w.actors)) {
    if (actor.role === "anonymous" || actor.role === "removed") continue;
    const res = await h.request("PUT", `/api/drafts/${ctx(w)}`, {
      cookie: actor.cookie,
      json: draftBody(w, ctx(w)),
    });
    expect(res.status).toBe(200);
  }
}, 120_000);
afterAll(async () => {
  await h?.close();
});

function methodOf(key: string): string {
  return key.split(" ")[0]!;
}

function describeCell(res: RawResponse): string {
  const code = res.body?.error?.code as string | undefined;
  return code === undefined ? String(res.status) : `${res.status} ${code}`;
}

describe(`authorisation matrix: ${MATRIX.length} routes x ${ROLES.length} roles`, () => {
  it("covers every route the app registers, each with a request and a cell per role", () => {
    const registered = [
      ...new Set(
        h.app.routes
          .filter((r) => r.method !== "ALL" && r.path.startsWith("/api/"))
          .map((r) => `${r.method} ${r.path}`),
      ),
    ].sort();
    const rows = MATRIX.map(([key]) => key);
    expect(new Set(rows).size).toBe(rows.length);
    expect([...rows].sort()).toEqual(registered);
    expect(Object.keys(REQUESTS).sort()).toEqual(registered);
    for (const [key, cells] of MATRIX) expect(cells, key).toHaveLength(ROLES.length);
  });

  for (const [key, cells] of MATRIX) {
    it(key, async () => {
      const mismatches: string[] = [];
      for (const [i, role] of ROLES.entries()) {
        const expected = cells[i]!;
        const actor = w.actors[role];
        const built = await REQUESTS[key]!(w, actor);
        const res = await h.request(methodOf(key), built.path, {
          cookie: "cookie" in built ? built.cookie : actor.cookie,
          ...(built.json === undefined ? {} : { json: built.json }),
          ...(built.raw === undefined
            ? {}
            : { raw: built.raw, headers: { "content-type": "application/octet-stream" } }),
        });
        const ok =
          res.status === expected.status &&
          (expected.code === undefined || res.body?.error?.code === expected.code);
        if (!ok) mismatches.push(`${role}: expected ${expected.label}, got ${describeCell(res)}`);
        else if (res.status === 200) CHECKS[key]?.(w, actor, res);
        else expect(ERROR_STATUS[res.body.error.code as ErrorCode]).toBe(res.status);
      }
      expect(mismatches).toEqual([]);
    });
  }

  it("a refused session or role gets the same answer with an invalid body or path (authorisation first)", async () => {
    const mismatches: string[] = [];
    let checked = 0;
    for (const [key, cells] of MATRIX) {
      const [method, pattern] = key.split(" ") as [string, string];
      const invalidPath = pattern.replace(/:[A-Za-z]+/g, "x");
      for (const [i, role] of ROLES.entries()) {
        const expected = cells[i]!;
        if (expected.status !== 401 && expected.status !== 403) continue;
        // The chunk route takes raw bytes (any other type is 415 before the session, a CSRF guard): an
        // invalid body there is bytes of a wrong length.
        const binary = /\/chunks\/x$/.test(invalidPath);
        const res = await h.request(method, invalidPath, {
          cookie: w.actors[role].cookie,
          ...(method === "GET" || method === "DELETE"
            ? {}
            : binary
              ? { raw: new Uint8Array(3), headers: { "content-type": "application/octet-stream" } }
              : { json: { unexpected: ["field"] } }),
        });
        checked++;
        if (res.status !== expected.status || res.body?.error?.code !== expected.code) {
          mismatches.push(`${key} ${role}: expected ${expected.label}, got ${describeCell(res)}`);
        }
      }
    }
    const refusals = MATRIX.flatMap(([, cells]) => cells).filter((c) => c.status === 401 || c.status === 403);
    expect(checked).toBe(refusals.length);
    expect(mismatches).toEqual([]);
  });

  it("nothing answered with a 500", () => {
    expect(h.logLines.filter((l) => l.includes('"level":"error"'))).toEqual([]);
  });
});
