/**
 * The abuse scenario shared by the test (tests/abuse/abuse.test.ts, in `npm test`) and the benchmark
 * (bench/abuse): an attacker floods the sign-in routes from one loopback address while legitimate
 * staff sign in and write from others. Linux routes all of 127.0.0.0/8 locally; undici's
 * `localAddress` option chooses the source address of each connection.
 *
 * The floods (issue 9): anonymous challenges for the helpline, `staff/params` with invented usernames,
 * and wrong passphrases (`staff/unlock`) for a known username. Legitimate clients each sign in as their
 * own staff member (params, unlock, challenge, staff) and then write drafts and read, with one
 * anonymous challenge per round as a help-seeker would; every answer is recorded with its latency.
 */
import { randomBytes } from "node:crypto";
import { encodeDraft, type HelplineId, type Sodium, signChallenge } from "@briefgeheim/crypto";
import { Agent, request } from "undici";

export interface Account {
  username: string;
  proof: Uint8Array;
  signInSecretKey: Uint8Array;
}

export interface Target {
  /** `http://127.0.0.1:<port>` */
  base: string;
  /** The origin sign-in signatures are bound to (the server's ORIGIN). */
  origin: string;
  helplineId: string;
  sodium: Sodium;
}

export interface Sample {
  status: number;
  ms: number;
}

/** An answer: status, parsed JSON body, the session cookie it set, its Retry-After. */
export interface Answer {
  status: number;
  // biome-ignore lint/suspicious/noExplicitAny: the scenario reads arbitrary JSON answers
  body: any;
  cookie: string | undefined;
  retryAfter: string | undefined;
}

const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString("base64url");

/** A client whose connections all leave from `address`. */
export class Client {
  readonly agent: Agent;
  readonly samples: Sample[] = [];
  constructor(
    readonly target: Target,
    readonly address: string,
    connections = 4,
  ) {
    this.agent = new Agent({ localAddress: address, connections, pipelining: 1 });
  }

  async call(method: string, path: string, body?: unknown, cookie?: string): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (body !== undefined) headers["content-type"] = "application/json";
    if (cookie !== undefined) headers.cookie = `__Host-bg_session=${cookie}`;
    const t0 = performance.now();
    let status = 0;
    try {
      const res = await request(this.target.base + path, {
        method: method as "GET",
        headers,
        body: body === undefined ? undefined : JSON.stringify(body),
        dispatcher: this.agent,
      });
      status = res.statusCode;
      const text = await res.body.text();
      const setCookie = [res.headers["set-cookie"] ?? []].flat().join("\n");
      const m = /__Host-bg_session=([^;]*)/.exec(setCookie);
      const retry = res.headers["retry-after"];
      return {
        status,
        body: text === "" ? undefined : JSON.parse(text),
        cookie: m?.[1] || undefined,
        retryAfter: typeof retry === "string" ? retry : undefined,
      };
    } finally {
      this.samples.push({ status, ms: performance.now() - t0 });
    }
  }

  /** The staff sign-in of the apps: params, unlock, challenge, sign-in. Returns the session token. */
  async signIn(account: Account): Promise<string | undefined> {
    const { helplineId, origin, sodium } = this.target;
    const params = await this.call("POST", "/api/auth/staff/params", { username: account.username });
    if (params.status !== 200) return undefined;
    const proof = b64(account.proof);
    const unlock = await this.call("POST", "/api/auth/staff/unlock", { username: account.username, proof });
    if (unlock.status !== 200) return undefined;
    const ch = await this.call("POST", "/api/auth/challenge", { helplineId });
    if (ch.status !== 200) return undefined;
    const signature = signChallenge(
      sodium,
      {
        origin,
        helplineId: helplineId as HelplineId,
        role: "staff",
        nonce: Buffer.from(ch.body.nonce, "base64url"),
      },
      account.signInSecretKey as never,
    );
    const res = await this.call("POST", "/api/auth/staff", {
      username: account.username,
      proof,
      nonce: ch.body.nonce,
      signature: b64(signature),
    });
    return res.status === 200 ? res.cookie : undefined;
  }

  close(): Promise<void> {
    return this.agent.close();
  }
}

/** A legitimate staff member: signs in, then `rounds` rounds of a draft save, two reads and a challenge. */
export async function legitimateWork(client: Client, account: Account, rounds: number): Promise<boolean> {
  const cookie = await client.signIn(account);
  if (cookie === undefined) return false;
  const context = `new:${client.target.helplineId}`;
  const path = `/api/drafts/${encodeURIComponent(context)}`;
  for (let i = 0; i < rounds; i++) {
    const draft = b64(encodeDraft({ context, sealed: randomBytes(200 + i) }));
    await client.call("PUT", path, { draft }, cookie);
    await client.call("GET", "/api/auth/session", undefined, cookie);
    await client.call("GET", "/api/helplines");
    await client.call("POST", "/api/auth/challenge", { helplineId: client.target.helplineId });
  }
  return true;
}

export interface FloodResult {
  sent: number;
  byStatus: Record<number, number>;
  /** Requests that reached the server's work (not refused with 429). */
  unlockNot429: number;
  unlockOk: number;
}

/**
 * Floods from `client` with `concurrency` requests in flight per kind (challenge, invented usernames on
 * params, wrong passphrases for `victim`) until `stop()` says so or `max` requests were sent.
 */
export async function flood(
  client: Client,
  victim: string,
  opts: { concurrency: number; max: number; stop: () => boolean },
): Promise<FloodResult> {
  const result: FloodResult = { sent: 0, byStatus: {}, unlockNot429: 0, unlockOk: 0 };
  const kinds = [
    () => client.call("POST", "/api/auth/challenge", { helplineId: client.target.helplineId }),
    () =>
      client.call("POST", "/api/auth/staff/params", {
        username: `x${randomBytes(6).toString("hex")}`,
      }),
    async () => {
      const res = await client.call("POST", "/api/auth/staff/unlock", {
        username: victim,
        proof: b64(randomBytes(32)),
      });
      if (res.status !== 429) result.unlockNot429++;
      if (res.status === 200) result.unlockOk++;
      return res;
    },
  ];
  const lane = async (kind: () => Promise<{ status: number }>) => {
    while (!opts.stop() && result.sent < opts.max) {
      result.sent++;
      let status = 0;
      try {
        status = (await kind()).status;
      } catch {
        status = 0;
      }
      result.byStatus[status] = (result.byStatus[status] ?? 0) + 1;
    }
  };
  const lanes: Promise<void>[] = [];
  for (const kind of kinds) for (let i = 0; i < opts.concurrency; i++) lanes.push(lane(kind));
  await Promise.all(lanes);
  return result;
}

/** Share of 2xx answers. */
export function successRate(samples: readonly Sample[]): number {
  if (samples.length === 0) return 1;
  return samples.filter((s) => s.status >= 200 && s.status < 300).length / samples.length;
}

/** The p-th percentile of the latencies (ms). */
export function percentile(samples: readonly Sample[], p: number): number {
  if (samples.length === 0) return 0;
  const sorted = samples.map((s) => s.ms).sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}
