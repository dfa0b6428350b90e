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
  type BoxKeyPair,
  deriveAccountKeys,
  derivePassphraseKeys,
  deriveSeekerKeys,
  fromBase64,
  type HelplineId,
  loadSodium,
  type MemberId,
  parseRecoveryKey,
  parseRootRecoveryText,
  type RandomSource,
  type RootKey,
  recoveryProof,
  rootKeyFromSeed,
  type SeekerCode,
  type SeekerKeys,
  type SignKeyPair,
  type Sodium,
  systemRandom,
  type ThreadId,
  toBase64,
  unwrapWithPassphrase,
  type WrappedKeyBytes,
  wrapWithPassphrase,
} from "@briefgeheim/crypto";
import { expectOk } from "./authz-world-requests.js";
import { type Harness, ORIGIN } from "./journeys-harness.js";

export const PASS = "een lange wachtzin voor de test";

/** The roles of the matrix (docs/REQUIREMENTS.md §4), plus a supervisor of another helpline. */
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

// The request builders (fresh sessions, sign-in bodies, valid bodies for every write route).
export * from "./authz-world-requests.js";
