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
import { ctx, REQUESTS } from "./authz-matrix-requests.js";
import { type Actor, buildWorld, draftBody, ROLES, type World } from "./authz-world.js";
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
  ["POST /api/threads/envelopes/batch",       [AUTH, ROLE, ROLE, OK,   OK,   OK,   OK,   OK,   GONE]],
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
  "POST /api/threads/envelopes/batch": (_w, actor, res) => {
    // Any staff member may call it; each item is refused exactly as the single post would refuse it.
    const [result] = res.body.results;
    if (["counsellorAssigned", "supervisor"].includes(actor.role))
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
