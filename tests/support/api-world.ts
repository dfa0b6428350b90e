/**
 * The real API server as a child process, driven over loopback HTTP: shared by the durability test
 * (tests/durability.test.ts) and the API benchmark (bench/api). Starts `node --import tsx
 * apps/api/src/server.ts` on a given libSQL file with PORT=0 (the server prints its bound port as a JSON
 * line), creates a helpline with the operator's CLI, and sets up staff and help-seekers through the
 * API itself, with real keys from @briefgeheim/crypto (no Argon2: the server only stores proofs' hashes
 * and opaque wrapped keys, so random proofs do).
 */
import { type ChildProcess, execFile, spawn } from "node:child_process";
import { closeSync, openSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import {
  type BoxKeyPair,
  deriveAccountKeys,
  type EpochKeys,
  encodeWrappedKey,
  generateAccountKey,
  generateRootKey,
  type HelplineId,
  loadSodium,
  type MemberId,
  nextRoster,
  openThread,
  parseRoster,
  type RandomSource,
  type RootKey,
  type Roster,
  type RosterMember,
  type SignKeyPair,
  type Sodium,
  sealEnvelope,
  seekerKeysFromMaster,
  signChallenge,
  signRoster,
  systemRandom,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";

export const ROOT_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const ADMIN = join(ROOT_DIR, "apps/api/src/admin.ts");

// ------------------------------------------------------------------------------------ the process

export interface ServerProcess {
  child: ChildProcess;
  pid: number;
  port: number;
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The server's stdout (one JSON line per event and request) so far. */
  log(): string;
  /** Peak resident memory (VmHWM) in KiB, from /proc; undefined once the process is gone. */
  peakRssKiB(): number | undefined;
  /** Resolves with the exit code or signal. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export interface StartOptions {
  dbFile: string;
  /** Where the server's stdout goes (a file, so nobody has to drain a pipe). */
  logFile: string;
  env?: Record<string, string>;
  /** Extra node flags (e.g. --cpu-prof). */
  nodeArgs?: string[];
  /** Another checkout's root to run its server instead (before/after comparisons). */
  root?: string;
  timeoutMs?: number;
}

export const BENCH_ORIGIN = "http://127.0.0.1";

/** Starts the real server on 127.0.0.1 with PORT=0 and waits for its `listening` line. */
export async function startServer(o: StartOptions): Promise<ServerProcess> {
  const out = openSync(o.logFile, "a");
  const root = o.root ?? ROOT_DIR;
  const child = spawn(
    process.execPath,
    [...(o.nodeArgs ?? []), "--import", "tsx", join(root, "apps/api/src/server.ts")],
    {
      cwd: root,
      env: {
        ...process.env,
        DATABASE_URL: `file:${o.dbFile}`,
        PORT: "0",
        HOST: "127.0.0.1",
        ORIGIN: BENCH_ORIGIN,
        RATE_LIMIT_MULTIPLIER: "1000",
        ...o.env,
      },
      stdio: ["ignore", out, "pipe"],
    },
  );
  closeSync(out);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (d: string) => {
    stderr = (stderr + d).slice(-20_000);
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once("exit", (code, signal) => resolve({ code, signal })),
  );
  const log = () => readFileSync(o.logFile, "utf8");
  const deadline = Date.now() + (o.timeoutMs ?? 30_000);
  let gone = false;
  void exited.then(() => {
    gone = true;
  });
  for (;;) {
    const text = log();
    let port: number | undefined;
    for (const line of text.split("\n")) {
      if (!line.includes('"listening"')) continue;
      const parsed = JSON.parse(line) as { event?: string; port?: number; pid?: number };
      // Servers before the pid was logged: a fresh log file has only this one's line.
      if (parsed.event === "listening" && (parsed.pid ?? child.pid) === child.pid) port = parsed.port;
    }
    if (port !== undefined) {
      const pid = child.pid!;
      return {
        child,
        pid,
        port,
        base: `http://127.0.0.1:${port}`,
        log,
        peakRssKiB: () => readPeakRss(pid),
        exited,
      };
    }
    if (gone) throw new Error(`the server exited before listening: ${stderr}`);
    if (Date.now() > deadline) {
      child.kill("SIGKILL");
      throw new Error(`the server did not start within the time limit: ${stderr}`);
    }
    await sleep(50);
  }
}

/**
 * CPU time (user + system, ms) a process has used: all its threads, and its main thread alone
 * (/proc/<pid>/stat and /proc/<pid>/task/<pid>/stat; clock ticks of 10 ms).
 */
export function cpuTimeMs(pid: number): { all: number; main: number } {
  const ticks = (file: string) => {
    const fields = readFileSync(file, "utf8").split(") ")[1]!.split(" ");
    return (Number(fields[11]) + Number(fields[12])) * 10;
  };
  return { all: ticks(`/proc/${pid}/stat`), main: ticks(`/proc/${pid}/task/${pid}/stat`) };
}

/** VmHWM of a process in KiB (peak resident set size). */
export function readPeakRss(pid: number): number | undefined {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    return m ? Number(m[1]) : undefined;
  } catch {
    return undefined;
  }
}

/** Stops the server with a signal and waits (SIGKILL after `graceMs`). */
export async function stopServer(s: ServerProcess, signal: NodeJS.Signals = "SIGTERM", graceMs = 10_000) {
  if (s.child.exitCode !== null || s.child.signalCode !== null) return s.exited;
  s.child.kill(signal);
  const timer = setTimeout(() => s.child.kill("SIGKILL"), graceMs);
  const result = await s.exited;
  clearTimeout(timer);
  return result;
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** `npm run admin -- helpline create ...` on the database file; returns the id and the invite token. */
export async function createHelplineWithCli(
  dbFile: string,
  h: { slug: string; name: string; tag: number; replyHours?: number },
): Promise<{ helplineId: string; token: string }> {
  const args = [
    "--import",
    "tsx",
    ADMIN,
    "helpline",
    "create",
    "--slug",
    h.slug,
    "--name",
    h.name,
    "--tag",
    String(h.tag),
    "--reply-hours",
    String(h.replyHours ?? 72),
  ];
  const stdout = await new Promise<string>((resolve, reject) => {
    execFile(
      process.execPath,
      args,
      { cwd: ROOT_DIR, env: { ...process.env, DATABASE_URL: `file:${dbFile}`, ORIGIN: BENCH_ORIGIN } },
      (error, out, err) =>
        error ? reject(new Error(`admin failed: ${err || error.message}`)) : resolve(out),
    );
  });
  const id = /\(id ([A-Za-z0-9_-]{22}),/.exec(stdout)?.[1];
  const token = /#\/invite\/([A-Za-z0-9_-]+)/.exec(stdout)?.[1];
  if (!id || !token) throw new Error(`unexpected admin output: ${stdout}`);
  return { helplineId: id, token };
}

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

const b64 = (sodium: Sodium, bytes: Uint8Array) => toBase64(sodium, bytes);

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
      rootSealed: b64(sodium, random(80)),
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
        { id: memberId, role: "counsellor", expiresInHours: 24 },
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

/** A realistic message body: Dutch-ish filler of about `chars` characters. */
export function messageText(i: number, chars: number): string {
  const words = [
    "ik",
    "weet",
    "niet",
    "goed",
    "hoe",
    "ik",
    "dit",
    "moet",
    "zeggen",
    "maar",
    "het",
    "gaat",
    "al",
    "een",
    "tijdje",
    "niet",
    "zo",
    "goed",
    "thuis",
    "school",
    "werk",
    "slapen",
    "praten",
  ];
  let s = "";
  let k = i;
  while (s.length < chars) {
    k = (k * 1103515245 + 12345) & 0x7fffffff;
    s += `${words[k % words.length]} `;
  }
  return s.slice(0, chars);
}

/** Epoch 0 of a new thread and its first message, as the `POST /api/threads` body. */
export function buildThread(
  sodium: Sodium,
  random: RandomSource,
  ctx: { helplineId: string; roster: Roster },
  seeker: { messageSign: SignKeyPair; box: BoxKeyPair },
  text: string,
  now = Date.now(),
) {
  const threadId = b64(sodium, random(16));
  const e0 = openThread(sodium, {
    helplineId: ctx.helplineId as HelplineId,
    threadId: threadId as ThreadId,
    roster: ctx.roster,
    seeker: { signing: seeker.messageSign, box: seeker.box },
    random,
    now,
  });
  const envelope = sealEnvelope(sodium, {
    helplineId: ctx.helplineId as HelplineId,
    threadId: threadId as ThreadId,
    epochKeys: e0.keys,
    kind: "message",
    sender: seeker.messageSign,
    seq: 1,
    prevEnvelopeHash: new Uint8Array(32),
    createdAt: now,
    payload: { subject: "Vraag", body: text, attachments: [] },
    random,
  });
  return {
    threadId,
    keys: e0.keys,
    request: {
      threadId,
      record: b64(sodium, e0.record),
      grants: e0.grants.map((g) => b64(sodium, g)),
      envelope: b64(sodium, envelope),
    },
  };
}

/** One sealed message envelope (base64url) for `POST /api/threads/:id/envelopes`. */
export function sealMessage(
  sodium: Sodium,
  random: RandomSource,
  o: {
    helplineId: string;
    threadId: string;
    keys: EpochKeys;
    sender: SignKeyPair;
    seq: number;
    text: string;
    now?: number;
  },
): string {
  return b64(
    sodium,
    sealEnvelope(sodium, {
      helplineId: o.helplineId as HelplineId,
      threadId: o.threadId as ThreadId,
      epochKeys: o.keys,
      kind: "message",
      sender: o.sender,
      seq: o.seq,
      prevEnvelopeHash: new Uint8Array(32),
      createdAt: o.now ?? Date.now(),
      payload: { subject: "", body: o.text, attachments: [] },
      random,
    }),
  );
}
