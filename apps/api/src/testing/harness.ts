/**
 * In-process test harness: a real app on a temporary libSQL file, real crypto, a controllable clock,
 * captured logs, and helpers that set up helplines, staff and help-seekers through the API itself.
 * Argon2 is never run: the server only stores proofs' hashes and opaque wrapped keys, so tests use
 * random proofs and well-formed wrapped-key structures.
 */
import {
  deriveAccountKeys,
  encodeWrappedKey,
  generateAccountKey,
  generateRootKey,
  type HelplineId,
  loadSodium,
  type MemberId,
  nextRoster,
  parseRoster,
  type RosterMember,
  type Sodium,
  seekerKeysFromMaster,
  signChallenge,
  signRoster,
  systemRandom,
  toBase64,
} from "@briefgeheim/crypto";
import { createApp } from "../app.js";
import { loadServerCrypto } from "../crypto/index.js";
import { helplines } from "../db/schema.js";
import { createWriter, type Writer } from "../db/writer.js";
import { newId } from "../deps.js";
import { memoryLogger } from "../logger.js";
import { newInviteToken } from "../operator.js";
import type { RateLimitConfig } from "../rate-limits.js";
import { insertInvite } from "../routes/invites/index.js";
import type { QuotaConfig } from "../services/quotas.js";
import { threadHelpers } from "./harness-threads.js";
import {
  type HelplineFixture,
  ORIGIN,
  type Res,
  type Seeker,
  type Staff,
  TestClock,
} from "./harness-types.js";
import {
  hasHeader,
  POW_HEADER,
  type PowChallenge,
  type PowConfig,
  powPurposeOf,
  solvePow,
  TEST_QUOTAS,
} from "./pow.js";
import { tempDatabase } from "./temp-db.js";

export {
  type HelplineFixture,
  ORIGIN,
  type Res,
  type Seeker,
  type Staff,
  TestClock,
} from "./harness-types.js";

export type World = Awaited<ReturnType<typeof createWorld>>;

export async function createWorld(
  options: {
    rateLimits?: Partial<RateLimitConfig>;
    /** Proof of work (default: production difficulty; every harness request solves it). */
    pow?: Partial<PowConfig>;
    /** Daily quotas (default: high enough that tests of other things never meet them). */
    quotas?: Partial<QuotaConfig>;
  } = {},
) {
  const db = await tempDatabase();
  const logger = memoryLogger();
  const writer: Writer = createWriter(db, { logger });
  const clock = new TestClock();
  const sodium: Sodium = await loadSodium();
  const crypto = await loadServerCrypto();
  const app = createApp({
    db,
    writer,
    clock,
    logger,
    origin: ORIGIN,
    crypto,
    rateLimits: options.rateLimits,
    ...(options.pow === undefined ? {} : { pow: options.pow }),
    quotas: options.quotas ?? TEST_QUOTAS,
  });
  const random = systemRandom(sodium);
  const b64 = (bytes: Uint8Array) => toBase64(sodium, bytes);

  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  async function request<T = any>(
    method: string,
    path: string,
    opts: {
      body?: unknown;
      cookie?: string | undefined;
      headers?: Record<string, string>;
      raw?: string;
      /** false: send no proof of work where one is needed (tests of the refusal). */
      pow?: boolean;
    } = {},
  ): Promise<Res<T>> {
    const headers: Record<string, string> = { ...opts.headers };
    const purpose = method === "POST" ? powPurposeOf(path) : undefined;
    if (purpose !== undefined && opts.pow !== false && !hasHeader(headers, POW_HEADER)) {
      const ch = await app.request(`/api/pow/challenge?purpose=${purpose}`);
      headers[POW_HEADER] = solvePow((await ch.json()) as PowChallenge);
    }
    let body: string | undefined;
    if (opts.raw !== undefined) body = opts.raw;
    else if (opts.body !== undefined) body = JSON.stringify(opts.body);
    if (body !== undefined && !Object.keys(headers).some((h) => h.toLowerCase() === "content-type")) {
      headers["Content-Type"] = "application/json";
    }
    if (opts.cookie) headers.Cookie = `__Host-bg_session=${opts.cookie}`;
    const res = await app.request(path, { method, headers, body });
    const text = await res.text();
    let parsed: unknown = text;
    try {
      parsed = JSON.parse(text);
    } catch {
      // not JSON
    }
    const setCookie = res.headers.get("set-cookie") ?? "";
    const m = /__Host-bg_session=([^;]*)/.exec(setCookie);
    return { status: res.status, body: parsed as T, headers: res.headers, cookie: m ? m[1] : undefined };
  }

  function wrapped(kind: "passphrase" | "recovery", salt?: Uint8Array) {
    return encodeWrappedKey({
      kind,
      salt: kind === "passphrase" ? (salt ?? random(16)) : new Uint8Array(16),
      opsLimit: kind === "passphrase" ? 3 : 0,
      memLimitKiB: kind === "passphrase" ? 65_536 : 0,
      sealed: random(72),
    });
  }

  /** Keys and upload bundle for a new staff account (what the browser would make). */
  function newStaffKeys(username: string, displayName: string) {
    const accountKey = generateAccountKey(sodium, random);
    const keys = deriveAccountKeys(sodium, accountKey);
    const salt = random(16);
    const proof = random(32);
    const recoveryProof = random(32);
    const body = {
      username,
      signInPk: b64(keys.signIn.publicKey),
      signPk: b64(keys.signing.publicKey),
      boxPk: b64(keys.box.publicKey),
      passphrase: {
        salt: b64(salt),
        opsLimit: 3,
        memLimitKiB: 65_536,
        proof: b64(proof),
        wrappedKey: b64(wrapped("passphrase", salt)),
      },
      recovery: { proof: b64(recoveryProof), wrappedKey: b64(wrapped("recovery")) },
    };
    return { keys, proof, recoveryProof, body, displayName };
  }

  async function signInStaff(s: Staff): Promise<string> {
    const ch = await request("POST", "/api/auth/challenge", { body: { helplineId: s.helplineId } });
    if (ch.status !== 200) throw new Error(`challenge ${ch.status} ${JSON.stringify(ch.body)}`);
    const nonce = crypto.bytes(ch.body.nonce);
    const signature = signChallenge(
      sodium,
      { origin: ORIGIN, helplineId: s.helplineId as HelplineId, role: "staff", nonce },
      s.signIn.secretKey,
    );
    const res = await request("POST", "/api/auth/staff", {
      body: { username: s.username, proof: b64(s.proof), nonce: ch.body.nonce, signature: b64(signature) },
    });
    if (res.status !== 200 || !res.cookie)
      throw new Error(`staff sign-in ${res.status} ${JSON.stringify(res.body)}`);
    s.cookie = res.cookie;
    return res.cookie;
  }

  /** Helpline + operator invite + first supervisor (roster v1), signed in. */
  async function setupHelpline(
    slug: string,
    tag: number,
    opts: { retentionDays?: number } = {},
  ): Promise<HelplineFixture> {
    const id = newId();
    await writer.run((tx) =>
      tx.insert(helplines).values({
        id,
        slug,
        name: `Helpline ${slug}`,
        replyTimeHours: 72,
        tag,
        retentionDays: opts.retentionDays ?? 365,
        createdAt: clock.now(),
      }),
    );
    const inviteId = newId();
    const invite = await writer.run((tx) =>
      insertInvite(tx, {
        id: inviteId,
        helplineId: id,
        role: "supervisor",
        expiresInHours: 72,
        createdBy: null,
        firstSupervisor: true,
        now: clock.now(),
        token: newInviteToken(),
      }),
    );
    const root = generateRootKey(sodium, random);
    const k = newStaffKeys(`${slug}-vera`, "Vera");
    const member: RosterMember = {
      memberId: inviteId as MemberId,
      role: "supervisor",
      intakeReader: false,
      signPk: k.keys.signing.publicKey,
      boxPk: k.keys.box.publicKey,
      displayName: "Vera",
    };
    const rosterBytes = signRoster(
      sodium,
      {
        helplineId: id as HelplineId,
        version: 1,
        prevHash: new Uint8Array(32),
        issuedAt: clock.now(),
        members: [member],
      },
      root.keyPair,
    );
    const res = await request("POST", `/api/invites/${invite.token}/accept`, {
      body: { ...k.body, roster: b64(rosterBytes) },
    });
    if (res.status !== 200) throw new Error(`accept ${res.status} ${JSON.stringify(res.body)}`);
    const supervisor: Staff = {
      username: k.body.username,
      memberId: inviteId,
      helplineId: id,
      proof: k.proof,
      recoveryProof: k.recoveryProof,
      signIn: k.keys.signIn,
      signing: k.keys.signing,
      box: k.keys.box,
      member,
    };
    await signInStaff(supervisor);
    return { id, slug, root, roster: parseRoster(sodium, rosterBytes), supervisor };
  }

  /** A supervisor invites a member, who accepts; the supervisor publishes the next roster with them. */
  async function addStaff(
    h: HelplineFixture,
    name: string,
    role: "counsellor" | "supervisor",
    intakeReader = false,
  ): Promise<Staff> {
    const inviteId = newId();
    const inv = await request("POST", "/api/invites", {
      cookie: h.supervisor.cookie,
      body: { id: inviteId, role, expiresInHours: 24, token: newInviteToken() },
    });
    if (inv.status !== 200) throw new Error(`invite ${inv.status} ${JSON.stringify(inv.body)}`);
    const k = newStaffKeys(`${h.slug}-${name.toLowerCase()}`, name);
    const acc = await request("POST", `/api/invites/${inv.body.token}/accept`, { body: k.body });
    if (acc.status !== 200) throw new Error(`accept ${acc.status} ${JSON.stringify(acc.body)}`);
    const member: RosterMember = {
      memberId: inviteId as MemberId,
      role,
      intakeReader,
      signPk: k.keys.signing.publicKey,
      boxPk: k.keys.box.publicKey,
      displayName: name,
    };
    await publishRoster(h, { add: [member] });
    const s: Staff = {
      username: k.body.username,
      memberId: inviteId,
      helplineId: h.id,
      proof: k.proof,
      recoveryProof: k.recoveryProof,
      signIn: k.keys.signIn,
      signing: k.keys.signing,
      box: k.keys.box,
      member,
    };
    await signInStaff(s);
    return s;
  }

  async function publishRoster(
    h: HelplineFixture,
    changes: { add?: RosterMember[]; remove?: MemberId[]; replace?: RosterMember[] },
  ): Promise<Res> {
    const bytes = nextRoster(sodium, h.roster, changes, h.root.keyPair, clock.now());
    const res = await request("POST", `/api/helplines/${h.id}/rosters`, {
      cookie: h.supervisor.cookie,
      body: { roster: b64(bytes) },
    });
    if (res.status !== 200) throw new Error(`roster ${res.status} ${JSON.stringify(res.body)}`);
    h.roster = parseRoster(sodium, bytes);
    return res;
  }

  async function newSeeker(helplineId: string): Promise<Seeker> {
    const keys = seekerKeysFromMaster(sodium, random(32));
    const s: Seeker = { helplineId, signIn: keys.signIn, messageSign: keys.messageSign, box: keys.box };
    const ch = await request("POST", "/api/auth/challenge", { body: { helplineId } });
    if (ch.status !== 200) throw new Error(`challenge ${ch.status} ${JSON.stringify(ch.body)}`);
    const signature = signChallenge(
      sodium,
      {
        origin: ORIGIN,
        helplineId: helplineId as HelplineId,
        role: "seeker",
        nonce: crypto.bytes(ch.body.nonce),
      },
      keys.signIn.secretKey,
    );
    const res = await request("POST", "/api/auth/seeker", {
      body: {
        helplineId,
        signInPk: b64(keys.signIn.publicKey),
        nonce: ch.body.nonce,
        signature: b64(signature),
      },
    });
    if (res.status !== 200 || !res.cookie)
      throw new Error(`seeker sign-in ${res.status} ${JSON.stringify(res.body)}`);
    s.cookie = res.cookie;
    return s;
  }

  const { buildThread, openNewThread, envelope, currentKeys, currentHeads } = threadHelpers({
    sodium,
    crypto,
    clock,
    random,
    b64,
    request,
  });

  return {
    db,
    writer,
    clock,
    logger,
    sodium,
    crypto,
    app,
    random,
    b64,
    request,
    wrapped,
    newStaffKeys,
    signInStaff,
    setupHelpline,
    addStaff,
    publishRoster,
    newSeeker,
    buildThread,
    openNewThread,
    envelope,
    currentKeys,
    currentHeads,
    async cleanup() {
      await writer.close();
      db.cleanup();
    },
  };
}
