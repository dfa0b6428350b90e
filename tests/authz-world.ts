/**
 * A populated world for the authorisation matrix and the bad-input tests, set up through
 * packages/client against the in-process API (tests/journeys-harness.ts), plus the raw credentials
 * of every identity (re-derived from passphrases and codes with @briefgeheim/crypto, as a browser
 * would), so that tests can build valid request bodies for any route by hand.
 *
 * Helpline 1 ("een"): supervisor Vera; counsellors Cas (assigned thread TA), Cor (not assigned),
 * Rem (was assigned TA, then removed; her session was open at the time) and Spare (used by the
 * sign-in routes, whose passphrase bundle the tests know); help-seekers A (threads TA, TD) and B
 * (thread TB, in intake). Helpline 2 ("twee"): supervisor Wim, counsellor Ole.
 */
import {
  acceptInvite,
  type BriefgeheimClient,
  inviteLink,
  type SeekerSession,
  type StaffSession,
  signInStaff,
  startSeeker,
} from "@briefgeheim/client";
import {
  type AccountKey,
  type AccountKeys,
  applyRosterChange,
  type BoxKeyPair,
  claimThread,
  deriveAccountKeys,
  derivePassphraseKeys,
  deriveSeekerKeys,
  type EpochKeys,
  type EpochRecord,
  type EpochRecordBytes,
  encodeWrappedKey,
  fromBase64,
  type GrantBytes,
  generateAccountKey,
  type HelplineId,
  loadSodium,
  type MemberId,
  newId,
  nextRoster,
  openGrant,
  openThread,
  parseEnvelope,
  parseEpochRecord,
  parseGrant,
  parseRecoveryKey,
  parseRootRecoveryText,
  type RandomSource,
  type RootKey,
  type Roster,
  recoveryProof,
  rootKeyFromSeed,
  type SeekerCode,
  type SeekerKeys,
  type SignKeyPair,
  type Sodium,
  sealDraft,
  sealEnvelope,
  seekerKeysFromMaster,
  signChallenge,
  systemRandom,
  type ThreadId,
  toBase64,
  unwrapWithPassphrase,
  type WrappedKeyBytes,
  wrapWithPassphrase,
} from "@briefgeheim/crypto";
import { type Harness, ORIGIN } from "./journeys-harness.js";

export const PASS = "een lange wachtzin voor de test";

/** The roles of the matrix (PRODUCT.md section 4), plus a supervisor of another helpline. */
export const ROLES = [
  "anonymous",
  "seekerA",
  "seekerB",
  "counsellorAssigned",
  "counsellorNotAssigned",
  "counsellorOther",
  "supervisor",
  "supervisorOther",
  "removed",
] as const;
export type RoleName = (typeof ROLES)[number];

export interface StaffCreds {
  readonly username: string;
  readonly memberId: MemberId;
  readonly helplineId: HelplineId;
  /** The passphrase proof the server checks (by its hash). */
  proof: Uint8Array;
  readonly accountKey: AccountKey;
  readonly keys: AccountKeys;
  readonly recoveryKeyText: string;
}

export interface SeekerCreds {
  readonly helplineId: HelplineId;
  readonly keys: SeekerKeys;
}

/** Who acts in a role: the session cookie (if any) and the keys that role signs and decrypts with. */
export interface Actor {
  readonly role: RoleName;
  cookie: string | undefined;
  readonly helplineId: HelplineId | undefined;
  readonly staff?: StaffCreds;
  readonly seeker?: SeekerCreds;
  /** The key that signs envelopes and epoch records, and the box key that opens grants. */
  readonly signing?: SignKeyPair;
  readonly box?: BoxKeyPair;
}

export interface World {
  readonly h: Harness;
  readonly sodium: Sodium;
  readonly random: RandomSource;
  readonly b64: (bytes: Uint8Array) => string;
  readonly h1: HelplineId;
  readonly h2: HelplineId;
  /** Helpline 1's root key (from Vera's root recovery sheet). */
  readonly root1: RootKey;
  readonly staff: Record<"vera" | "cas" | "cor" | "rem" | "spare" | "wim" | "ole", StaffCreds>;
  readonly seekers: Record<"a" | "b", SeekerCreds>;
  readonly actors: Record<RoleName, Actor>;
  readonly sessions: { vera: StaffSession; wim: StaffSession; seekerA: SeekerSession };
  /** TA: help-seeker A's, assigned to Cas (was Rem's). TD: A's, assigned to Cas. TB: B's, in intake. */
  readonly threads: { ta: ThreadId; td: ThreadId; tb: ThreadId };
  /** The passphrase bundle Spare's account has (the reset route re-applies it). */
  readonly spareBundle: {
    salt: string;
    opsLimit: number;
    memLimitKiB: number;
    proof: string;
    wrappedKey: string;
  };
  readonly spareRecoveryProof: string;
  /** An unused invite of helpline 1 (for GET /api/invites/:token). */
  readonly openInviteToken: string;
}

// ------------------------------------------------------------------------------------------ setup

async function deriveStaff(
  h: Harness,
  sodium: Sodium,
  username: string,
  recoveryKeyText: string,
): Promise<StaffCreds> {
  const params = await h.request("POST", "/api/auth/staff/params", { json: { username } });
  const pass = derivePassphraseKeys(sodium, PASS, {
    salt: fromBase64(sodium, params.body.salt),
    opsLimit: params.body.opsLimit,
    memLimitKiB: params.body.memLimitKiB,
  });
  const unlocked = await h.request("POST", "/api/auth/staff/unlock", {
    json: { username, proof: toBase64(sodium, pass.proof) },
  });
  if (unlocked.status !== 200) throw new Error(`unlock ${username}: ${unlocked.status}`);
  const accountKey = unwrapWithPassphrase(
    sodium,
    fromBase64(sodium, unlocked.body.wrappedKey) as WrappedKeyBytes,
    pass,
  ) as AccountKey;
  return {
    username,
    memberId: unlocked.body.memberId,
    helplineId: unlocked.body.helplineId,
    proof: pass.proof,
    accountKey,
    keys: deriveAccountKeys(sodium, accountKey),
    recoveryKeyText,
  };
}

function expectOk(what: string, res: { status: number; body: unknown }): void {
  if (res.status !== 200) throw new Error(`${what}: ${res.status} ${JSON.stringify(res.body)}`);
}

/** Builds the world (about 20 Argon2id runs: accounts, sign-ins, re-derivations and two codes). */
export async function buildWorld(h: Harness): Promise<World> {
  const sodium = await loadSodium();
  const random = systemRandom(sodium);
  const b64 = (bytes: Uint8Array) => toBase64(sodium, bytes);
  const pins: Record<string, string> = {};
  const recovery = new Map<string, string>();

  async function firstSupervisor(slug: string, tag: number, username: string) {
    const hl = await h.createHelpline({ slug, name: `Hulplijn ${slug}`, tag, replyHours: 48 });
    const accepted = await acceptInvite(await h.client({ trustOnFirstUse: true }), hl.link, {
      username,
      displayName: username,
      passphrase: PASS,
    });
    pins[hl.helplineId] = accepted.fingerprint!;
    recovery.set(username, accepted.recoveryKeyText);
    const session = await signInStaff(await h.client({ pins }), { username, passphrase: PASS });
    return { helplineId: hl.helplineId as HelplineId, session, rootText: accepted.rootRecoveryText! };
  }
  async function join(by: StaffSession, usernames: string[], intakeReaders: string[] = []) {
    const ids = new Map<string, MemberId>();
    for (const username of usernames) {
      const invite = await by.invite("counsellor");
      const accepted = await acceptInvite(
        await h.client({ pins }),
        inviteLink(ORIGIN, invite.token, invite.secret),
        { username, displayName: username, passphrase: PASS },
      );
      recovery.set(username, accepted.recoveryKeyText);
      ids.set(username, invite.memberId);
    }
    await by.admitPending({ intakeReaders: intakeReaders.map((u) => ids.get(u)!) });
  }
  const signIn = async (username: string) =>
    signInStaff(await h.client({ pins }), { username, passphrase: PASS });

  const one = await firstSupervisor("een", 31, "vera");
  const two = await firstSupervisor("twee", 32, "wim");
  await join(one.session, ["cas", "cor", "rem", "spare"]);
  await join(two.session, ["ole"]);
  const names = ["vera", "cas", "cor", "rem", "spare", "wim", "ole"] as const;
  const staff = {} as Record<(typeof names)[number], StaffCreds>;
  for (const u of names) staff[u] = await deriveStaff(h, sodium, u, recovery.get(u)!);
  const sessions = {
    cas: await signIn("cas"),
    cor: await signIn("cor"),
    rem: await signIn("rem"),
    ole: await signIn("ole"),
  };

  const seekerA = await startSeeker(await h.client({ pins }), { helplineId: one.helplineId });
  const seekerB = await startSeeker(await h.client({ pins }), { helplineId: one.helplineId });
  const seekerKeys = (s: SeekerSession) => deriveSeekerKeys(sodium, s.code as SeekerCode, one.helplineId);
  const seekers = {
    a: { helplineId: one.helplineId, keys: seekerKeys(seekerA) },
    b: { helplineId: one.helplineId, keys: seekerKeys(seekerB) },
  };

  // TA: A's thread, assigned to Rem, who is then removed (her thread goes to Cas).
  const ta = (await seekerA.openThread({ subject: "TA", body: "Eerste vraag" })).threadId;
  const td = (await seekerA.openThread({ subject: "TD", body: "Tweede vraag" })).threadId;
  const tb = (await seekerB.openThread({ subject: "TB", body: "Vraag van B" })).threadId;
  await one.session.assign(ta, staff.rem.memberId);
  await one.session.assign(td, staff.cas.memberId);
  await sessions.rem.reply(ta, "Rem antwoordt");
  await sessions.cas.reply(td, "Cas antwoordt");
  const remCookie = h.sessionOf(sessions.rem.client);
  const removal = await one.session.removeMember(staff.rem.memberId, { reassignTo: [staff.cas.memberId] });
  if (removal.failed.length > 0) throw new Error(`removal failed: ${JSON.stringify(removal.failed)}`);

  // Spare's passphrase bundle, known to the tests: reset once to it (the reset route re-applies it).
  const wrap = wrapWithPassphrase(sodium, staff.spare.accountKey, PASS, { random });
  const spareBundle = {
    salt: b64(wrap.salt),
    opsLimit: 3,
    memLimitKiB: 65_536,
    proof: b64(wrap.proof),
    wrappedKey: b64(wrap.wrapped),
  };
  const spareRecoveryProof = b64(
    recoveryProof(sodium, parseRecoveryKey(sodium, staff.spare.recoveryKeyText).secret),
  );
  expectOk(
    "spare reset",
    await h.request("POST", "/api/auth/staff/reset", {
      json: { username: "spare", recoveryProof: spareRecoveryProof, passphrase: spareBundle },
    }),
  );
  staff.spare.proof = wrap.proof;

  const openInviteToken = (await one.session.invite("counsellor")).token;
  const root1 = rootKeyFromSeed(sodium, parseRootRecoveryText(sodium, one.rootText));

  const cookie = (client: BriefgeheimClient) => h.sessionOf(client);
  const staffActor = (role: RoleName, c: StaffCreds, session: string | undefined): Actor => ({
    role,
    cookie: session,
    helplineId: c.helplineId,
    staff: c,
    signing: c.keys.signing,
    box: c.keys.box,
  });
  const seekerActor = (role: RoleName, s: SeekerCreds, session: string | undefined): Actor => ({
    role,
    cookie: session,
    helplineId: s.helplineId,
    seeker: s,
    signing: s.keys.messageSign,
    box: s.keys.box,
  });
  const actors: Record<RoleName, Actor> = {
    anonymous: { role: "anonymous", cookie: undefined, helplineId: undefined },
    seekerA: seekerActor("seekerA", seekers.a, cookie(seekerA.client)),
    seekerB: seekerActor("seekerB", seekers.b, cookie(seekerB.client)),
    counsellorAssigned: staffActor("counsellorAssigned", staff.cas, cookie(sessions.cas.client)),
    counsellorNotAssigned: staffActor("counsellorNotAssigned", staff.cor, cookie(sessions.cor.client)),
    counsellorOther: staffActor("counsellorOther", staff.ole, cookie(sessions.ole.client)),
    supervisor: staffActor("supervisor", staff.vera, cookie(one.session.client)),
    supervisorOther: staffActor("supervisorOther", staff.wim, cookie(two.session.client)),
    removed: staffActor("removed", staff.rem, remCookie),
  };
  for (const a of Object.values(actors)) {
    if (a.role !== "anonymous" && a.cookie === undefined) throw new Error(`no session for ${a.role}`);
  }
  return {
    h,
    sodium,
    random,
    b64,
    h1: one.helplineId,
    h2: two.helplineId,
    root1,
    staff,
    seekers,
    actors,
    sessions: { vera: one.session, wim: two.session, seekerA },
    threads: { ta, td, tb },
    spareBundle,
    spareRecoveryProof,
    openInviteToken,
  };
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
  let prev: Uint8Array = new Uint8Array(32);
  for (const e of listing.body.envelopes as { envelope: string }[]) {
    const env = parseEnvelope(w.sodium, fromBase64(w.sodium, e.envelope));
    if ((env.kind === "note" ? "note" : "main") !== stream) continue;
    prev = env.hash;
    if (w.b64(env.senderSignPk) === mine) seq = Math.max(seq, env.seq);
  }
  const envelope = sealEnvelope(w.sodium, {
    helplineId: state.current.helplineId,
    threadId,
    epochKeys: state.keys,
    kind,
    sender: actor.signing!,
    seq: seq + 1,
    prevEnvelopeHash: prev,
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
    prevEnvelopeHash: new Uint8Array(32),
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
  };
  const next =
    actor.staff !== undefined &&
    roster.members.find((m) => m.memberId === actor.staff!.memberId)?.role === "counsellor"
      ? claimThread(w.sodium, base)
      : applyRosterChange(w.sodium, base);
  return { record: w.b64(next.record), grants: next.grants.map(w.b64), parsed: next.parsed, start: next };
}

/** Helpline 1's next roster (same members), signed with its root. */
export async function rosterBody(w: World) {
  const roster = await latestRoster(w);
  return { roster: w.b64(nextRoster(w.sodium, roster, {}, w.root1.keyPair, Date.now())) };
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
