/**
 * The real API in-process for the journey tests: a temporary libSQL file in os.tmpdir(), the app of
 * `@briefgeheim/api`, the operator's `createHelpline` (what `npm run admin -- helpline create` runs) for
 * helplines and first-supervisor invites, a `fetch` for clients that calls the app directly (with a
 * switch to simulate a network that fails), and raw requests for authorisation and bad-input tests.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  type AppType,
  type Clock,
  createApp,
  createHelpline,
  createWriter,
  type Database,
  memoryLogger,
  openDatabase,
  POW_HEADER,
  type PowChallenge,
  type PowConfig,
  powPurposeOf,
  type QuotaConfig,
  type RateLimitConfig,
  runMigrations,
  solvePow,
  type Writer,
} from "@briefgeheim/api";
import {
  type BriefgeheimClient,
  type ClientOptions,
  createClient,
  type FetchLike,
} from "@briefgeheim/client";

export const ORIGIN = "http://127.0.0.1:8787";

/** The session cookie's name on the wire. */
export const SESSION_COOKIE = "__Host-bg_session";

/** A raw answer of the app. */
export interface RawResponse {
  readonly status: number;
  readonly headers: Headers;
  /** Parsed JSON, or the text when the body is not JSON. */
  // biome-ignore lint/suspicious/noExplicitAny: tests read arbitrary JSON answers
  readonly body: any;
  /** The session token from Set-Cookie, if the answer set one. */
  readonly cookie: string | undefined;
}

export interface RawRequest {
  /** JSON body (serialized here, sent as application/json unless `headers` says otherwise). */
  readonly json?: unknown;
  /** A body sent as is (malformed JSON, other content types). */
  readonly raw?: string | Uint8Array<ArrayBuffer>;
  /** The bare session token, sent as the session cookie. */
  readonly cookie?: string | undefined;
  readonly headers?: Record<string, string>;
  /** Send the body without a Content-Type header (a byte body; a string body would get text/plain). */
  readonly noContentType?: boolean;
  /**
   * false: no proof of work. Otherwise a help-seeker sign-in or a new conversation gets one, solved
   * here at the server's difficulty, unless `headers` carries one.
   */
  readonly pow?: boolean;
}

export interface HarnessOptions {
  /** Rate limits of the app (bad-input tests raise them so that validation, not a limit, answers). */
  readonly rateLimits?: Partial<RateLimitConfig>;
  /** The server's clock (default: the system clock). */
  readonly clock?: Clock;
  /** Proof of work (default: the production difficulty). */
  readonly pow?: Partial<PowConfig>;
  /** Daily quotas (default: the production quotas). */
  readonly quotas?: Partial<QuotaConfig>;
}

/** Decides per request whether the "network" drops it: before the server sees it, or after its answer. */
export type Fault = (url: string, method: string) => "pass" | "drop-request" | "drop-response";

export interface Harness {
  /** The app itself (its `routes` list every registered route). */
  readonly app: AppType;
  readonly db: Database;
  readonly writer: Writer;
  readonly file: string;
  readonly logLines: string[];
  /** Requests per "METHOD path" since start. */
  readonly calls: string[];
  fault: Fault;
  /** Rewrites a JSON answer before the client sees it (a malicious server); identity by default. */
  rewrite: (path: string, method: string, body: unknown) => unknown;
  client(options?: Partial<ClientOptions>): Promise<BriefgeheimClient>;
  /**
   * What `npm run admin -- helpline create ...` does (the operator's `createHelpline`): returns the
   * helpline id, the first-supervisor token and the invite link.
   */
  createHelpline(input: { slug: string; name: string; tag: number; replyHours: number }): Promise<{
    helplineId: string;
    token: string;
    link: string;
  }>;
  /** One request straight to the app (no client, no cookie jar). */
  request(method: string, path: string, init?: RawRequest): Promise<RawResponse>;
  /** The bare session token a client in jar mode holds (undefined when signed out). */
  sessionOf(client: BriefgeheimClient): string | undefined;
  /** Rows of a read-only SQL query (assertions on what the server stores). */
  query(sql: string, args?: (string | number)[]): Promise<Record<string, unknown>[]>;
  /** The database file and its WAL, as text (marker checks). */
  storedText(): string;
  close(): Promise<void>;
}

export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "bg-journeys-"));
  const file = join(dir, "journeys.db");
  const db = await openDatabase({ url: `file:${file}` });
  await runMigrations(db.write);
  const writer = createWriter(db);
  const logger = memoryLogger();
  const app = createApp({
    db,
    writer,
    origin: ORIGIN,
    logger,
    ...(options.rateLimits === undefined ? {} : { rateLimits: options.rateLimits }),
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.pow === undefined ? {} : { pow: options.pow }),
    ...(options.quotas === undefined ? {} : { quotas: options.quotas }),
  });
  const calls: string[] = [];

  const harness: Harness = {
    app,
    db,
    writer,
    file,
    logLines: logger.lines,
    calls,
    fault: () => "pass",
    rewrite: (_path, _method, body) => body,
    async client(options = {}) {
      const fetch: FetchLike = async (input, init) => {
        const request = new Request(input, init);
        const path = new URL(request.url).pathname;
        calls.push(`${request.method} ${path}`);
        const verdict = harness.fault(path, request.method);
        if (verdict === "drop-request") throw new TypeError("fetch failed (simulated)");
        const response = await app.fetch(request);
        if (verdict === "drop-response")
          throw new TypeError("fetch failed after the server answered (simulated)");
        if (!response.ok || !response.headers.get("content-type")?.includes("application/json"))
          return response;
        const body = harness.rewrite(path, request.method, await response.json());
        const headers = new Headers(response.headers);
        headers.delete("content-length");
        return new Response(JSON.stringify(body), { status: response.status, headers });
      };
      return createClient({ baseUrl: ORIGIN, origin: ORIGIN, fetch, cookieMode: "jar", ...options });
    },
    async createHelpline(input) {
      const created = await createHelpline(
        db,
        { slug: input.slug, name: input.name, tag: input.tag, replyTimeHours: input.replyHours },
        { origin: ORIGIN, writer },
      );
      return { helplineId: created.helplineId, token: created.inviteToken, link: created.inviteLink };
    },
    async request(method, path, init = {}) {
      const headers = new Headers(init.headers);
      let body: string | Uint8Array<ArrayBuffer> | undefined;
      if (init.raw !== undefined) body = init.raw;
      else if (init.json !== undefined) body = JSON.stringify(init.json);
      if (body !== undefined && !headers.has("content-type") && !init.noContentType) {
        headers.set("content-type", "application/json");
      }
      if (init.cookie !== undefined) headers.set("cookie", `${SESSION_COOKIE}=${init.cookie}`);
      const purpose = method === "POST" ? powPurposeOf(path) : undefined;
      if (purpose !== undefined && init.pow !== false && !headers.has(POW_HEADER)) {
        const challenge = await app.fetch(
          new Request(new URL(`/api/pow/challenge?purpose=${purpose}`, ORIGIN)),
        );
        headers.set(POW_HEADER, solvePow((await challenge.json()) as PowChallenge));
      }
      const response = await app.fetch(
        new Request(new URL(path, ORIGIN), { method, headers, ...(body === undefined ? {} : { body }) }),
      );
      const text = await response.text();
      let parsed: unknown = text;
      try {
        parsed = JSON.parse(text);
      } catch {
        // not JSON
      }
      const set = /__Host-bg_session=([^;]*)/.exec(response.headers.get("set-cookie") ?? "");
      return {
        status: response.status,
        headers: response.headers,
        body: parsed,
        cookie: set?.[1] === undefined || set[1] === "" ? undefined : set[1],
      };
    },
    sessionOf(client) {
      const header = client.transport.jar?.header();
      return header === undefined ? undefined : /__Host-bg_session=([^;]+)/.exec(header)?.[1];
    },
    async query(sql, args = []) {
      const rs = await db.readClient.execute({ sql, args });
      return rs.rows.map((row) => Object.fromEntries(rs.columns.map((c, i) => [c, row[i]])));
    },
    storedText() {
      const parts = [file, `${file}-wal`].map((f) => {
        try {
          return readFileSync(f).toString("latin1");
        } catch {
          return "";
        }
      });
      return parts.join("\n");
    },
    async close() {
      await writer.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return harness;
}
