/**
 * The request builders of the authorisation world (tests/authz-world.ts, which re-exports them):
 * fresh sessions, sign-in bodies, and valid request bodies for every write route.
 */
import {
  applyRosterChange,
  claimThread,
  deriveAccountKeys,
  deriveSavedRepliesKey,
  type EnvelopeHead,
  type EpochKeys,
  type EpochRecord,
  type EpochRecordBytes,
  encodeWrappedKey,
  fromBase64,
  type GrantBytes,
  generateAccountKey,
  type HelplineId,
  newId,
  nextRoster,
  openGrant,
  openThread,
  parseEnvelope,
  parseEpochRecord,
  parseGrant,
  parseHelplineProfile,
  type Roster,
  type SeekerKeys,
  sealDraft,
  sealEnvelope,
  sealSavedReplies,
  sealSurveyRecord,
  sealTeamReplies,
  seekerKeysFromMaster,
  signAnnualReport,
  signChallenge,
  signHelplineProfile,
  type ThreadId,
} from "@briefgeheim/crypto";
import {
  ANNUAL_FIGURES,
  type AnnualReportInput,
  canonicalJson,
  SURVEY_QUESTION_IDS,
  suppressAnnualReport,
} from "@briefgeheim/protocol";
import type { Actor, SeekerCreds, StaffCreds, World } from "./authz-world.js";
import { ORIGIN } from "./journeys-harness.js";

export function expectOk(what: string, res: { status: number; body: unknown }): void {
  if (res.status !== 200) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
}
// ------------------------------------------------------------------------------ request builders

/** A fresh session for an actor (sign-in by challenge with its raw keys); the removed one keeps hers. */
export async function freshSession(w: World, actor: Actor): Promise<string | undefined> {
  if (actor.role === "anonymous" || actor.role === "removed") return actor.cookie;
  if (actor.seeker !== undefined) {
    const res = await w.h.request("POST", "/api/auth/seeker", {
      json: await seekerSignIn(w, actor.seeker.keys),
    });
    expectOk("seeker sign-in", res);
    return res.cookie;
  }
  const res = await w.h.request("POST", "/api/auth/staff", { json: await staffSignIn(w, actor.staff!) });
  expectOk("staff sign-in", res);
  return res.cookie;
}

async function challenge(w: World, helplineId: HelplineId): Promise<string> {
  const res = await w.h.request("POST", "/api/auth/challenge", { json: { helplineId } });
  expectOk("challenge", res);
  return res.body.nonce as string;
}

/** A help-seeker sign-in body for `keys` (a fresh challenge). */
export async function seekerSignIn(
  w: World,
  keys: Pick<SeekerKeys, "signIn"> = seekerKeysFromMaster(w.sodium, w.random(32)),
  helplineId: HelplineId = w.h1,
) {
  const nonce = await challenge(w, helplineId);
  const signature = signChallenge(
    w.sodium,
    { origin: ORIGIN, helplineId, role: "seeker", nonce: fromBase64(w.sodium, nonce) },
    keys.signIn.secretKey,
  );
  return { helplineId, signInPk: w.b64(keys.signIn.publicKey), nonce, signature: w.b64(signature) };
}

/** A staff sign-in body (a fresh challenge). */
export async function staffSignIn(w: World, c: StaffCreds) {
  const nonce = await challenge(w, c.helplineId);
  const signature = signChallenge(
    w.sodium,
    { origin: ORIGIN, helplineId: c.helplineId, role: "staff", nonce: fromBase64(w.sodium, nonce) },
    c.keys.signIn.secretKey,
  );
  return { username: c.username, proof: w.b64(c.proof), nonce, signature: w.b64(signature) };
}

/** Helpline 1's newest roster as the server stores it (parsed, not re-verified: the tests trust it). */
export async function latestRoster(w: World, helplineId: HelplineId = w.h1): Promise<Roster> {
  return w.sessions.vera.client.helplines.latestRoster(helplineId);
}

/** A thread's records and the actor's keys of its current epoch (from the actor's own grants). */
export async function threadState(
  w: World,
  threadId: ThreadId,
  actor: Actor,
): Promise<{ records: EpochRecord[]; current: EpochRecord; keys: EpochKeys | undefined }> {
  const res = await w.h.request("GET", `/api/threads/${threadId}`, { cookie: actor.cookie });
  expectOk(`thread ${threadId} as ${actor.role}`, res);
  const records = (res.body.records as string[]).map((r) =>
    parseEpochRecord(w.sodium, fromBase64(w.sodium, r) as EpochRecordBytes),
  );
  const current = records.at(-1)!;
  const grant = (res.body.grants as string[])
    .map((g) => fromBase64(w.sodium, g) as GrantBytes)
    .find((g) => parseGrant(w.sodium, g).epoch === current.epoch);
  return {
    records,
    current,
    keys: grant === undefined ? undefined : openGrant(w.sodium, grant, current, actor.box!),
  };
}

/** The thread's heads as `actor` lists them (PROTOCOL.md §5): what its envelopes and records name. */
export async function headsOf(w: World, threadId: ThreadId, actor: Actor): Promise<EnvelopeHead[]> {
  const res = await w.h.request("GET", `/api/threads/${threadId}/heads`, { cookie: actor.cookie });
  expectOk(`heads of ${threadId}`, res);
  return (res.body.envelopes as { envelope: string }[]).map((e) => {
    const env = parseEnvelope(w.sodium, fromBase64(w.sodium, e.envelope));
    const stream = env.kind === "note" ? ("staff" as const) : ("main" as const);
    return { stream, signPk: env.senderSignPk, seq: env.seq, hash: env.hash, pastDamaged: false };
  });
}

/**
 * A valid next envelope of `kind` from `actor` in the thread's current epoch: the right seq and link,
 * encrypted under the actor's epoch key. `reader` is who loads the thread state (default: `actor`).
 */
export async function envelopeBody(
  w: World,
  threadId: ThreadId,
  actor: Actor,
  kind: "message" | "note" | "status" = "message",
  body = "Een bericht",
) {
  const state = await threadState(w, threadId, actor);
  if (state.keys === undefined) throw new Error(`${actor.role} holds no key of ${threadId}`);
  const listing = await w.h.request("GET", `/api/threads/${threadId}/envelopes?limit=200`, {
    cookie: actor.cookie,
  });
  expectOk("envelopes", listing);
  const stream = kind === "note" ? "note" : "main";
  const mine = w.b64(actor.signing!.publicKey);
  let seq = 0;
  for (const e of listing.body.envelopes as { envelope: string }[]) {
    const env = parseEnvelope(w.sodium, fromBase64(w.sodium, e.envelope));
    if ((env.kind === "note" ? "note" : "main") !== stream) continue;
    if (w.b64(env.senderSignPk) === mine) seq = Math.max(seq, env.seq);
  }
  const envelope = sealEnvelope(w.sodium, {
    helplineId: state.current.helplineId,
    threadId,
    epochKeys: state.keys,
    kind,
    sender: actor.signing!,
    seq: seq + 1,
    heads: await headsOf(w, threadId, actor),
    createdAt: Date.now(),
    payload: { subject: "", body, attachments: [] },
    random: w.random,
  });
  return {
    id: w.b64(w.random(16)),
    envelope: w.b64(envelope),
    ...(kind === "status" ? { status: body } : {}),
  };
}

/** A help-seeker's valid request to open a new thread (epoch 0 on the newest roster, first message). */
export async function openThreadBody(w: World, seeker: SeekerCreds) {
  const roster = await latestRoster(w, seeker.helplineId);
  const threadId = newId<ThreadId>(w.sodium, w.random);
  const e0 = openThread(w.sodium, {
    helplineId: seeker.helplineId,
    threadId,
    roster,
    seeker: { signing: seeker.keys.messageSign, box: seeker.keys.box },
    random: w.random,
    now: Date.now(),
  });
  const envelope = sealEnvelope(w.sodium, {
    helplineId: seeker.helplineId,
    threadId,
    epochKeys: e0.keys,
    kind: "message",
    sender: seeker.keys.messageSign,
    seq: 1,
    heads: [],
    createdAt: Date.now(),
    payload: { subject: "Nieuw", body: "Hallo", attachments: [] },
    random: w.random,
  });
  return {
    threadId,
    record: w.b64(e0.record),
    grants: e0.grants.map(w.b64),
    envelope: w.b64(envelope),
  };
}

/** The next epoch of a thread as `actor` may sign it: a counsellor claims, a supervisor re-keys. */
export async function epochBody(w: World, threadId: ThreadId, actor: Actor) {
  const state = await threadState(w, threadId, actor);
  if (state.keys === undefined) throw new Error(`${actor.role} holds no key of ${threadId}`);
  const roster = await latestRoster(w, state.current.helplineId);
  const base = {
    prev: state.current,
    prevKeys: state.keys,
    roster,
    signer: actor.signing!,
    random: w.random,
    now: Date.now(),
    heads: await headsOf(w, threadId, actor),
  };
  const next =
    actor.staff !== undefined &&
    roster.members.find((m) => m.memberId === actor.staff!.memberId)?.role === "counsellor"
      ? claimThread(w.sodium, base)
      : applyRosterChange(w.sodium, base);
  return { record: w.b64(next.record), grants: next.grants.map(w.b64), parsed: next.parsed, start: next };
}

/**
 * Helpline 1's next roster (same members), signed by its supervisor Vera (protocol 2: supervisors
 * sign; a root-signed emergency roster may also come from a counsellor's session, so the matrix uses
 * the supervisor's signature to test who may post an ordinary roster).
 */
/** The next signed profile of helpline 1 (PROTOCOL.md §10), signed by its supervisor Vera. */
export async function profileBody(w: World) {
  const res = await w.h.request("GET", "/api/helplines");
  expectOk("helplines", res);
  const listed = (res.body as { helplines: { id: string; profile?: string | null }[] }).helplines;
  const text = listed.find((h) => h.id === w.h1)?.profile;
  if (typeof text !== "string") throw new Error("helpline 1 has no signed profile");
  const {
    signerPk: _signer,
    signature: _signature,
    ...current
  } = parseHelplineProfile(w.sodium, fromBase64(w.sodium, text));
  const next = { ...current, profileVersion: current.profileVersion + 1, issuedAt: Date.now() };
  return { profile: w.b64(signHelplineProfile(w.sodium, next, w.staff.vera.keys.signing)) };
}

export async function rosterBody(w: World) {
  const roster = await latestRoster(w);
  return { roster: w.b64(nextRoster(w.sodium, roster, {}, w.staff.vera.keys.signing, Date.now())) };
}

/** What a browser uploads when accepting an invite (keys and well-formed wrapped keys; no Argon2). */
export function acceptBody(w: World, username: string) {
  const keys = deriveAccountKeys(w.sodium, generateAccountKey(w.sodium, w.random));
  const salt = w.random(16);
  const wrapped = (kind: "passphrase" | "recovery") =>
    encodeWrappedKey({
      kind,
      salt: kind === "passphrase" ? salt : new Uint8Array(16),
      opsLimit: kind === "passphrase" ? 3 : 0,
      memLimitKiB: kind === "passphrase" ? 65_536 : 0,
      sealed: w.random(72),
    });
  return {
    username,
    displayName: username,
    signInPk: w.b64(keys.signIn.publicKey),
    signPk: w.b64(keys.signing.publicKey),
    boxPk: w.b64(keys.box.publicKey),
    passphrase: {
      salt: w.b64(salt),
      opsLimit: 3,
      memLimitKiB: 65_536,
      proof: w.b64(w.random(32)),
      wrappedKey: w.b64(wrapped("passphrase")),
    },
    recovery: { proof: w.b64(w.random(32)), wrappedKey: w.b64(wrapped("recovery")) },
  };
}

/** A draft for `context` (sealed under a throwaway key: the server only checks the context). */
export function draftBody(w: World, context: string) {
  const bytes = sealDraft(
    w.sodium,
    w.random(32) as never,
    context,
    { subject: "", body: "concept", attachments: [] },
    w.random,
  );
  return { draft: w.b64(bytes) };
}

/** A new invite of helpline 1 (made by Vera through the SDK): its token. */
export async function newInviteToken(w: World): Promise<string> {
  return (await w.sessions.vera.invite("counsellor")).token;
}

/** Help-seeker A's sealed survey answers for one of their threads (under its epoch-0 key). */
export async function surveyBody(w: World, threadId: ThreadId): Promise<string> {
  const seeker = w.actors.seekerA;
  const res = await w.h.request("GET", `/api/threads/${threadId}`, { cookie: seeker.cookie });
  expectOk(`thread ${threadId} as the help-seeker`, res);
  const record0 = parseEpochRecord(w.sodium, fromBase64(w.sodium, res.body.records[0]) as EpochRecordBytes);
  const grant = (res.body.grants as string[])
    .map((g) => fromBase64(w.sodium, g) as GrantBytes)
    .find((g) => parseGrant(w.sodium, g).epoch === 0);
  if (grant === undefined) throw new Error("the help-seeker holds no epoch-0 grant");
  const keys = openGrant(w.sodium, grant, record0, seeker.box!);
  const ctx = { helplineId: record0.helplineId, threadId, epoch: 0 };
  return w.b64(sealSurveyRecord(w.sodium, ctx, keys.key, { age: "16-18", reason: "own-time" }, w.random));
}

/** A valid annual report of 2026 for the actor's own helpline, signed by the actor (all counts suppressed). */
export async function reportBody(w: World, actor: Actor): Promise<{ report: string }> {
  const helplineId = actor.helplineId ?? w.h1;
  const signer = actor.signing ?? w.actors.supervisor.signing!;
  const roster = await latestRoster(w, helplineId);
  const questions = Object.fromEntries(
    SURVEY_QUESTION_IDS.map((q) => [q, { answered: 0, counts: {} }]),
  ) as unknown as AnnualReportInput["survey"]["questions"];
  const figures = Object.fromEntries(ANNUAL_FIGURES.map((f) => [f, 0])) as AnnualReportInput["figures"];
  const content = suppressAnnualReport({
    helplineName: "Hulplijn",
    year: 2026,
    replyTimeHours: 72,
    figures,
    survey: { records: 0, questions },
  });
  const bytes = signAnnualReport(
    w.sodium,
    {
      helplineId,
      year: 2026,
      rosterVersion: roster.version,
      issuedAt: Date.now(),
      content: canonicalJson(content),
    },
    signer,
  );
  return { report: w.b64(bytes) };
}

/** The revision after the one `actor` reads at `/api/saved-replies/<scope>` (1 when it cannot read). */
async function nextRevision(w: World, actor: Actor, scope: "own" | "team"): Promise<number> {
  const res = await w.h.request("GET", `/api/saved-replies/${scope}`, { cookie: actor.cookie });
  return res.status === 200 ? (res.body.revision as number) + 1 : 1;
}

/** The actor's own saved-reply set (type 0x0c) at its next revision, for its helpline. */
export async function ownRepliesBody(w: World, actor: Actor): Promise<{ set: string }> {
  const staff = actor.staff ?? w.staff.cas;
  const key = deriveSavedRepliesKey(w.sodium, staff.accountKey);
  const revision = await nextRevision(w, actor, "own");
  const content = { replies: [], signature: { text: "Groet", auto: false } };
  return { set: w.b64(sealSavedReplies(w.sodium, key, staff.helplineId, revision, content, w.random)) };
}

/** The team set at its next revision, signed by the actor when a staff member (else by Vera). */
export async function teamRepliesBody(w: World, actor: Actor): Promise<{ set: string }> {
  const staff = actor.staff ?? w.staff.vera;
  const helplineId = staff.helplineId;
  const roster =
    await w.sessions[helplineId === w.h1 ? "vera" : "wim"].client.helplines.latestRoster(helplineId);
  // Sealing needs a supervisor of the roster; a counsellor's cell is refused by role before the body counts.
  const signer = roster.members.some((m) => m.memberId === staff.memberId && m.role === "supervisor")
    ? staff
    : w.staff.vera;
  const bytes = sealTeamReplies(
    w.sodium,
    {
      helplineId: signer.helplineId,
      revision: await nextRevision(w, actor, "team"),
      roster: signer === staff ? roster : await latestRoster(w),
      replies: [],
    },
    { memberId: signer.memberId, secretKey: signer.keys.signing.secretKey },
    w.random,
  );
  return { set: w.b64(bytes) };
}
