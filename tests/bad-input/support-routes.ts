/** Bad input (see tests/bad-input/support.ts): the valid request bodies ("templates") of every write route. */
import * as P from "@briefgeheim/protocol";
import { LIMITS } from "@briefgeheim/protocol";
import {
  acceptBody,
  draftBody,
  envelopeBody,
  epochBody,
  newInviteToken,
  openThreadBody,
  rosterBody,
  type World,
} from "../authz-world.js";
import type { Harness } from "../journeys-harness.js";
import type { Pools } from "./support.js";
import type { BodyRoute } from "./support-generators.js";

export async function buildRoutes(_h: Harness, w: World, pools: Pools): Promise<BodyRoute[]> {
  const A = w.actors;
  const id = () => w.b64(w.random(16));
  const openInvite = await newInviteToken(w);
  const epoch = await epochBody(w, w.threads.ta, A.counsellorAssigned);
  const batch = await epochBody(w, w.threads.ta, A.supervisor);
  const wrappedHeader = 2 + 1 + 16 + 4 + 4 + 4; // up to and including the sealed part's length
  const ctx = `new:${w.h1}`;
  const r = (x: Omit<BodyRoute, "template"> & { template: unknown }) => x as BodyRoute;
  return [
    r({
      key: "POST /api/helplines/:helplineId/rosters",
      method: "POST",
      path: `/api/helplines/${w.h1}/rosters`,
      cookie: A.supervisor.cookie,
      template: await rosterBody(w),
      schema: P.publishRosterRequestSchema,
      limit: LIMITS.body.roster,
      binary: [{ path: ["roster"], struct: "signed" }],
    }),
    r({
      key: "POST /api/auth/challenge",
      method: "POST",
      path: "/api/auth/challenge",
      cookie: undefined,
      template: { helplineId: id() }, // a helpline that does not exist: 404, nothing written
      schema: P.challengeRequestSchema,
      limit: LIMITS.body.small,
      binary: [{ path: ["helplineId"], fixed: 16, anyBytesRefused: true }],
    }),
    r({
      key: "POST /api/auth/seeker",
      method: "POST",
      path: "/api/auth/seeker",
      cookie: undefined,
      template: pools.usedSeeker[0],
      schema: P.seekerSignInRequestSchema,
      limit: LIMITS.body.small,
      binary: [
        { path: ["helplineId"], fixed: 16, anyBytesRefused: true },
        { path: ["signInPk"], fixed: 32, anyBytesRefused: true },
        { path: ["nonce"], fixed: 32, anyBytesRefused: true },
        { path: ["signature"], fixed: 64, anyBytesRefused: true },
      ],
    }),
    r({
      key: "POST /api/auth/staff/params",
      method: "POST",
      path: "/api/auth/staff/params",
      cookie: undefined,
      template: { username: "spare" },
      schema: P.staffParamsRequestSchema,
      limit: LIMITS.body.small,
      binary: [],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      key: "POST /api/auth/staff/unlock",
      method: "POST",
      path: "/api/auth/staff/unlock",
      cookie: undefined,
      template: { username: "spare", proof: w.b64(w.random(32)) },
      schema: P.staffUnlockRequestSchema,
      limit: LIMITS.body.small,
      binary: [{ path: ["proof"], fixed: 32, anyBytesRefused: true }],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      key: "POST /api/auth/staff",
      method: "POST",
      path: "/api/auth/staff",
      cookie: undefined,
      template: pools.usedStaff[0],
      schema: P.staffSignInRequestSchema,
      limit: LIMITS.body.small,
      binary: [
        { path: ["proof"], fixed: 32, anyBytesRefused: true },
        { path: ["nonce"], fixed: 32, anyBytesRefused: true },
        { path: ["signature"], fixed: 64, anyBytesRefused: true },
      ],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      key: "POST /api/auth/staff/recover",
      method: "POST",
      path: "/api/auth/staff/recover",
      cookie: undefined,
      template: { username: "spare", recoveryProof: w.b64(w.random(32)) },
      schema: P.staffRecoverRequestSchema,
      limit: LIMITS.body.small,
      binary: [{ path: ["recoveryProof"], fixed: 32, anyBytesRefused: true }],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      // A wrong recovery proof: whatever else is changed, nothing can be reset.
      key: "POST /api/auth/staff/reset",
      method: "POST",
      path: "/api/auth/staff/reset",
      cookie: undefined,
      template: { username: "spare", recoveryProof: w.b64(w.random(32)), passphrase: w.spareBundle },
      schema: P.staffResetRequestSchema,
      limit: LIMITS.body.small,
      binary: [
        { path: ["recoveryProof"], fixed: 32, anyBytesRefused: true },
        { path: ["passphrase", "salt"], fixed: 16, anyBytesRefused: true },
        { path: ["passphrase", "proof"], fixed: 32, anyBytesRefused: true },
        { path: ["passphrase", "wrappedKey"], struct: "signed" },
      ],
      numbers: [
        ["passphrase", "opsLimit"],
        ["passphrase", "memLimitKiB"],
      ],
      texts: [{ path: ["username"], schema: P.usernameSchema }],
    }),
    r({
      key: "POST /api/invites",
      method: "POST",
      path: "/api/invites",
      cookie: A.supervisor.cookie,
      template: {
        id: id(),
        role: "counsellor",
        token: w.b64(w.random(32)),
        expiresInHours: 24,
        sealedSecret: w.b64(w.random(72)),
      },
      schema: P.createInviteRequestSchema,
      limit: LIMITS.body.small,
      binary: [
        { path: ["id"], fixed: 16, anyBytesRefused: false },
        { path: ["token"], fixed: 32, anyBytesRefused: false },
        { path: ["sealedSecret"], fixed: 72, anyBytesRefused: false },
      ],
      numbers: [["expiresInHours"]],
    }),
    r({
      key: "POST /api/invites/:token/accept",
      method: "POST",
      path: `/api/invites/${openInvite}/accept`,
      cookie: undefined,
      template: { ...acceptBody(w, "nieuwkomer"), keyProof: w.b64(w.random(32)) },
      schema: P.acceptInviteRequestSchema,
      limit: LIMITS.body.invite,
      binary: [
        { path: ["signInPk"], fixed: 32, anyBytesRefused: false },
        { path: ["signPk"], fixed: 32, anyBytesRefused: false },
        { path: ["boxPk"], fixed: 32, anyBytesRefused: false },
        { path: ["keyProof"], fixed: 32, anyBytesRefused: false },
        { path: ["passphrase", "salt"], fixed: 16, anyBytesRefused: true },
        { path: ["passphrase", "proof"], fixed: 32, anyBytesRefused: false },
        { path: ["passphrase", "wrappedKey"], struct: wrappedHeader },
        { path: ["recovery", "proof"], fixed: 32, anyBytesRefused: false },
        { path: ["recovery", "wrappedKey"], struct: wrappedHeader },
      ],
      numbers: [
        ["passphrase", "opsLimit"],
        ["passphrase", "memLimitKiB"],
      ],
      texts: [
        { path: ["username"], schema: P.usernameSchema },
        { path: ["displayName"], schema: P.displayNameSchema },
      ],
    }),
    r({
      key: "POST /api/threads",
      method: "POST",
      path: "/api/threads",
      cookie: A.seekerA.cookie,
      template: await openThreadBody(w, w.seekers.a),
      schema: P.createThreadRequestSchema,
      limit: LIMITS.body.thread,
      binary: [
        { path: ["threadId"], fixed: 16, anyBytesRefused: true },
        { path: ["record"], struct: "signed" },
        { path: ["grants", 0], struct: "signed" },
        { path: ["grants", 1], struct: "signed" },
        { path: ["envelope"], struct: "signed" },
      ],
    }),
    r({
      key: "POST /api/threads/epochs/batch",
      method: "POST",
      path: "/api/threads/epochs/batch",
      cookie: A.supervisor.cookie,
      template: { items: [{ threadId: w.threads.ta, record: batch.record, grants: batch.grants }] },
      schema: P.epochBatchRequestSchema,
      limit: LIMITS.body.batch,
      batch: true,
      binary: [
        { path: ["items", 0, "threadId"], fixed: 16, anyBytesRefused: true },
        { path: ["items", 0, "record"], struct: "signed" },
        { path: ["items", 0, "grants", 0], struct: "signed" },
        { path: ["items", 0, "grants", 2], struct: "signed" },
      ],
    }),
    r({
      key: "POST /api/threads/:threadId/envelopes",
      method: "POST",
      path: `/api/threads/${w.threads.ta}/envelopes`,
      cookie: A.counsellorAssigned.cookie,
      template: await envelopeBody(w, w.threads.ta, A.counsellorAssigned),
      schema: P.postEnvelopeRequestSchema,
      limit: LIMITS.body.envelope,
      binary: [
        { path: ["id"], fixed: 16, anyBytesRefused: false },
        { path: ["envelope"], struct: "signed" },
      ],
    }),
    r({
      key: "POST /api/threads/:threadId/epochs",
      method: "POST",
      path: `/api/threads/${w.threads.ta}/epochs`,
      cookie: A.counsellorAssigned.cookie,
      template: { record: epoch.record, grants: epoch.grants },
      schema: P.postEpochRequestSchema,
      limit: LIMITS.body.epoch,
      binary: [
        { path: ["record"], struct: "signed" },
        { path: ["grants", 0], struct: "signed" },
        { path: ["grants", 1], struct: "signed" },
      ],
    }),
    r({
      key: "PATCH /api/threads/:threadId",
      method: "PATCH",
      path: `/api/threads/${w.threads.ta}`,
      cookie: A.counsellorAssigned.cookie,
      template: { flagged: true },
      schema: P.patchThreadRequestSchema,
      limit: LIMITS.body.small,
      binary: [],
    }),
    r({
      key: "PUT /api/drafts/:context",
      method: "PUT",
      path: `/api/drafts/${ctx}`,
      cookie: A.seekerA.cookie,
      template: draftBody(w, ctx),
      schema: P.putDraftRequestSchema,
      limit: LIMITS.body.draft,
      binary: [{ path: ["draft"], struct: 2 + 4 + ctx.length }],
    }),
  ];
}
