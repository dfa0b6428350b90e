/**
 * The real API server as a child process, driven over loopback HTTP: shared by the durability test
 * (tests/durability.test.ts) and the API benchmark (bench/api). Starts `node --import tsx
 * apps/api/src/server.ts` on a given libSQL file with PORT=0 (the server prints its bound port as a JSON
 * line), creates a helpline with the operator's CLI, and sets up staff and help-seekers through the
 * API itself, with real keys from @briefgeheim/crypto (no Argon2: the server only stores proofs' hashes
 * and opaque wrapped keys, so random proofs do).
 */
import {
  type BoxKeyPair,
  deriveAccountKeys,
  encodeWrappedKey,
  generateAccountKey,
  generateRootKey,
  type HelplineId,
  loadSodium,
  type MemberId,
  nextRoster,
  parseRoster,
  type RandomSource,
  type RootKey,
  type Roster,
  type RosterMember,
  type SignKeyPair,
  type Sodium,
  seekerKeysFromMaster,
  signChallenge,
  signRoster,
  systemRandom,
} from "@briefgeheim/crypto";
import { POW_HEADER, type PowChallenge, powPurposeOf, solvePow } from "../../apps/api/src/testing/pow.js";
import { b64 } from "./api-world-messages.js";
import { BENCH_ORIGIN } from "./api-world-process.js";

// The process (tests/support/api-world-process.ts) and thread bodies (tests/support/api-world-messages.ts).
export * from "./api-world-messages.js";
export * from "./api-world-process.js";

// ------------------------------------------------------------------------------------------- HTTP

export interface Res<T = unknown> {
  status: number;
  body: T;
  cookie: string | undefined;
}

/** One JSON request; `cookie` is the bare session token. */
// biome-ignore lint/suspicious/noExplicitAny: callers read arbitrary JSON answers
export async function call<T = any>(
  base: string,
  method: string,
  path: string,
  body?: unknown,
  cookie?: string,
  timeoutMs = 30_000,
): Promise<Res<T>> {
  const headers: Record<string, string> = {};
  if (body !== undefined) headers["content-type"] = "application/json";
  if (cookie) headers.cookie = `__Host-bg_session=${cookie}`;
  // Help-seeker sign-in and a new conversation carry a solved proof of work (production difficulty).
  const purpose = method === "POST" ? powPurposeOf(path) : undefined;
  if (purpose !== undefined) headers[POW_HEADER] = await powFor(base, purpose, timeoutMs);
  const res = await fetch(base + path, {
    method,
    headers,
    body: body === undefined ? undefined : JSON.stringify(body),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const text = await res.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // not JSON
  }
  const m = /__Host-bg_session=([^;]*)/.exec(res.headers.get("set-cookie") ?? "");
  return { status: res.status, body: parsed as T, cookie: m?.[1] || undefined };
}

/** Fetches a proof-of-work challenge from the server at `base` and solves it (the header value). */
export async function powFor(base: string, purpose: string, timeoutMs = 30_000): Promise<string> {
  const res = await fetch(`${base}/api/pow/challenge?purpose=${purpose}`, {
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (res.status !== 200) throw new Error(`pow challenge: ${res.status} ${await res.text()}`);
  return solvePow((await res.json()) as PowChallenge);
}

async function ok<T>(what: string, p: Promise<Res<T>>): Promise<Res<T>> {
  const r = await p;
  if (r.status !== 200) throw new Error(`${what}: ${r.status} ${JSON.stringify(r.body)}`);
  return r;
}

// ------------------------------------------------------------------------------------------ world

export interface StaffMember {
  username: string;
  memberId: string;
  role: "supervisor" | "counsellor";
  intakeReader: boolean;
  proof: Uint8Array;
  signIn: SignKeyPair;
  signing: SignKeyPair;
  box: BoxKeyPair;
  cookie: string;
}

export interface SeekerSession {
  signIn: SignKeyPair;
  messageSign: SignKeyPair;
  box: BoxKeyPair;
  cookie: string;
}

export interface World {
  sodium: Sodium;
  random: RandomSource;
  base: string;
  helplineId: string;
  root: RootKey;
  roster: Roster;
  rosterBytes: Uint8Array;
  supervisor: StaffMember;
  counsellors: StaffMember[];
}
function staffKeys(sodium: Sodium, random: RandomSource, username: string) {
  const keys = deriveAccountKeys(sodium, generateAccountKey(sodium, random));
  const salt = random(16);
  const proof = random(32);
  const wrapped = (kind: "passphrase" | "recovery") =>
    encodeWrappedKey({
      kind,
      salt: kind === "passphrase" ? salt : new Uint8Array(16),
      opsLimit: kind === "passphrase" ? 3 : 0,
      memLimitKiB: kind === "passphrase" ? 65_536 : 0,
      sealed: random(72),
    });
  const body = {
    username,
    signInPk: b64(sodium, keys.signIn.publicKey),
    signPk: b64(sodium, keys.signing.publicKey),
    boxPk: b64(sodium, keys.box.publicKey),
    passphrase: {
      salt: b64(sodium, salt),
      opsLimit: 3,
      memLimitKiB: 65_536,
      proof: b64(sodium, proof),
      wrappedKey: b64(sodium, wrapped("passphrase")),
    },
    recovery: { proof: b64(sodium, random(32)), wrappedKey: b64(sodium, wrapped("recovery")) },
  };
  return { keys, proof, body };
}

async function staffSignIn(
  sodium: Sodium,
  base: string,
  helplineId: string,
  s: Omit<StaffMember, "cookie">,
): Promise<string> {
  const ch = await ok("challenge", call(base, "POST", "/api/auth/challenge", { helplineId }));
  const signature = signChallenge(
    sodium,
    {
      origin: BENCH_ORIGIN,
      helplineId: helplineId as HelplineId,
      role: "staff",
      nonce: Buffer.from(ch.body.nonce, "base64url"),
    },
    s.signIn.secretKey,
  );
  const res = await ok(
    "staff sign-in",
    call(base, "POST", "/api/auth/staff", {
      username: s.username,
      proof: b64(sodium, s.proof),
      nonce: ch.body.nonce,
      signature: b64(sodium, signature),
    }),
  );
  if (!res.cookie) throw new Error("staff sign-in set no cookie");
  return res.cookie;
}

/**
 * Accepts the operator's first-supervisor invite (roster v1 from a new root key), then invites
 * `counsellors` counsellors (all intake readers if `intakeReaders`), lists them in roster v2 and signs
 * everyone in.
 */
export async function setupWorld(
  base: string,
  helpline: { helplineId: string; token: string; slug: string },
  opts: { counsellors: number; intakeReaders: boolean },
): Promise<World> {
  const sodium = await loadSodium();
  const random = systemRandom(sodium);
  const { helplineId } = helpline;
  const root = generateRootKey(sodium, random);
  const sup = staffKeys(sodium, random, `${helpline.slug}-vera`);
  const supMember: RosterMember = {
    memberId: (await ok("invite lookup", call(base, "GET", `/api/invites/${helpline.token}`))).body
      .memberId as MemberId,
    role: "supervisor",
    intakeReader: false,
    signPk: sup.keys.signing.publicKey,
    boxPk: sup.keys.box.publicKey,
    displayName: "Vera",
  };
  const v1 = signRoster(
    sodium,
    {
      helplineId: helplineId as HelplineId,
      version: 1,
      prevHash: new Uint8Array(32),
      issuedAt: Date.now(),
      members: [supMember],
    },
    root.keyPair,
  );
  await ok(
    "accept (first supervisor)",
    call(base, "POST", `/api/invites/${helpline.token}/accept`, {
      ...sup.body,
      roster: b64(sodium, v1),
    }),
  );
  const supervisorBase = {
    username: sup.body.username,
    memberId: supMember.memberId as string,
    role: "supervisor" as const,
    intakeReader: false,
    proof: sup.proof,
    signIn: sup.keys.signIn,
    signing: sup.keys.signing,
    box: sup.keys.box,
  };
  const supervisor: StaffMember = {
    ...supervisorBase,
    cookie: await staffSignIn(sodium, base, helplineId, supervisorBase),
  };
  let roster = parseRoster(sodium, v1);
  let rosterBytes: Uint8Array = v1;
  const pending: Omit<StaffMember, "cookie">[] = [];
  const add: RosterMember[] = [];
  for (let i = 0; i < opts.counsellors; i++) {
    const memberId = b64(sodium, random(16));
    const inv = await ok(
      "invite",
      call(
        base,
        "POST",
        "/api/invites",
        // The inviter's browser makes the random token; the server keeps only its hash.
        { id: memberId, role: "counsellor", expiresInHours: 24, token: b64(sodium, random(32)) },
        supervisor.cookie,
      ),
    );
    const k = staffKeys(sodium, random, `${helpline.slug}-c${i}`);
    await ok("accept", call(base, "POST", `/api/invites/${inv.body.token}/accept`, k.body));
    add.push({
      memberId: memberId as MemberId,
      role: "counsellor",
      intakeReader: opts.intakeReaders,
      signPk: k.keys.signing.publicKey,
      boxPk: k.keys.box.publicKey,
      displayName: `Counsellor ${i}`,
    });
    pending.push({
      username: k.body.username,
      memberId,
      role: "counsellor",
      intakeReader: opts.intakeReaders,
      proof: k.proof,
      signIn: k.keys.signIn,
      signing: k.keys.signing,
      box: k.keys.box,
    });
  }
  if (add.length > 0) {
    const next = nextRoster(sodium, roster, { add }, root.keyPair, Date.now());
    await ok(
      "roster",
      call(
        base,
        "POST",
        `/api/helplines/${helplineId}/rosters`,
        { roster: b64(sodium, next) },
        supervisor.cookie,
      ),
    );
    roster = parseRoster(sodium, next);
    rosterBytes = next;
  }
  const counsellors: StaffMember[] = [];
  for (const p of pending) counsellors.push({ ...p, cookie: await staffSignIn(sodium, base, helplineId, p) });
  return { sodium, random, base, helplineId, root, roster, rosterBytes, supervisor, counsellors };
}

/** The base64url signature of a help-seeker's sign-in challenge (nonce as the server sent it). */
export function signChallengeForSeeker(
  sodium: Sodium,
  helplineId: string,
  nonce: string,
  signInSecretKey: SignKeyPair["secretKey"],
): string {
  const signature = signChallenge(
    sodium,
    {
      origin: BENCH_ORIGIN,
      helplineId: helplineId as HelplineId,
      role: "seeker",
      nonce: Buffer.from(nonce, "base64url"),
    },
    signInSecretKey,
  );
  return b64(sodium, signature);
}

/** A help-seeker with fresh keys, signed in (challenge + signature). */
export async function newSeeker(w: Pick<World, "sodium" | "random" | "base" | "helplineId">) {
  const keys = seekerKeysFromMaster(w.sodium, w.random(32));
  const ch = await ok("challenge", call(w.base, "POST", "/api/auth/challenge", { helplineId: w.helplineId }));
  const signature = signChallenge(
    w.sodium,
    {
      origin: BENCH_ORIGIN,
      helplineId: w.helplineId as HelplineId,
      role: "seeker",
      nonce: Buffer.from(ch.body.nonce, "base64url"),
    },
    keys.signIn.secretKey,
  );
  const res = await ok(
    "seeker sign-in",
    call(w.base, "POST", "/api/auth/seeker", {
      helplineId: w.helplineId,
      signInPk: b64(w.sodium, keys.signIn.publicKey),
      nonce: ch.body.nonce,
      signature: b64(w.sodium, signature),
    }),
  );
  if (!res.cookie) throw new Error("seeker sign-in set no cookie");
  const s: SeekerSession = {
    signIn: keys.signIn,
    messageSign: keys.messageSign,
    box: keys.box,
    cookie: res.cookie,
  };
  return s;
}
