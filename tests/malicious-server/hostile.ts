/**
 * A hostile server: the real API with a layer in front of it that rewrites requests and answers per
 * route, the way a server that lies would (docs/THREAT-MODEL.md §3.4). The real clients talk to it
 * through the SDK's `fetch` option (in process) or through `startHostileProxy` (a loopback HTTP
 * server, for browsers). Everything the honest API does stays real: the attack is only what a rule
 * changes.
 *
 * @example
 * const server = new HostileServer((input, init) => app.fetch(new Request(input, init)));
 * const client = await createClient({ baseUrl: ORIGIN, origin: ORIGIN, fetch: server.fetch, pins });
 * server.onResponse("GET /api/threads/:threadId/envelopes", (page) => ({
 *   ...page,
 *   envelopes: dropAt(page.envelopes, 1),
 * }));
 */
import type { FetchLike } from "@briefgeheim/client";
import type {
  EnvelopesResponse,
  HelplinesResponse,
  RostersResponse,
  StaffResponse,
  ThreadDetail,
} from "@briefgeheim/protocol";

export type Method = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
/** `"METHOD /api/path/:param"`; a `:name` segment matches any one segment and is captured. */
export type Route = `${Method} /${string}`;

/** The answers whose shape the layer knows, so rules on them are typed. */
export interface KnownResponses {
  "GET /api/threads/:threadId": ThreadDetail;
  "GET /api/threads/:threadId/envelopes": EnvelopesResponse;
  "GET /api/helplines/:helplineId/rosters": RostersResponse;
  "GET /api/helplines": HelplinesResponse;
  "GET /api/staff": StaffResponse;
}
export type BodyOf<R extends Route> = R extends keyof KnownResponses ? KnownResponses[R] : unknown;

/** What a rule knows about the exchange it rewrites. */
export interface Exchange {
  readonly method: string;
  readonly path: string;
  /** The `:name` segments of the route. */
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  /** HTTP status of the honest answer (response rules only; 0 for request rules). */
  readonly status: number;
  /**
   * The honest server's JSON answer to another GET, with the caller's own credentials: material to
   * move into this answer (an envelope of another thread, an older roster).
   */
  honest(path: string): Promise<unknown>;
}

export type Rewrite<T> = (json: T, exchange: Exchange) => T | Promise<T>;

/** An answer the hostile server gives itself, without asking the honest one. */
export interface Forged {
  readonly status: number;
  readonly json: unknown;
}
/** Decides per request: a forged answer, or `undefined` to pass the request on. */
export type Intercept = (
  json: unknown,
  exchange: Exchange,
) => Forged | undefined | Promise<Forged | undefined>;

interface Rule {
  readonly method: string;
  readonly segments: readonly string[];
  readonly rewrite: Rewrite<unknown>;
  /** Also rewrite error answers (by default only 2xx JSON answers are touched). */
  readonly errors: boolean;
}

/** Removes a rule again. */
export type Off = () => void;

export class HostileServer {
  readonly #inner: FetchLike;
  readonly #requestRules: Rule[] = [];
  readonly #responseRules: Rule[] = [];
  readonly #intercepts: Rule[] = [];
  /** `"METHOD /path"` of every request that reached the layer, in order. */
  readonly log: string[] = [];
  /** `"METHOD /path"` of every answer a rule changed (a test can check its attack really ran). */
  readonly rewritten: string[] = [];
  /**
   * Errors thrown by rules (a bug in a test's attack). The client sees them as `NETWORK`, which would
   * hide the bug, so tests check that this stays empty.
   */
  readonly ruleErrors: unknown[] = [];

  /** `inner`: the honest server (an in-process app's fetch, or the platform fetch of a real one). */
  constructor(inner: FetchLike) {
    this.#inner = inner;
  }

  /**
   * Rewrites the JSON answer of every request matching `route`, until the returned `off()` or
   * `reset()`. Rules run in the order they were added.
   */
  onResponse<R extends Route>(
    route: R,
    rewrite: Rewrite<BodyOf<R>>,
    options: { errors?: boolean } = {},
  ): Off {
    return add(this.#responseRules, route, rewrite as Rewrite<unknown>, options.errors ?? false);
  }

  /** Rewrites the JSON body of every request matching `route` before the honest server sees it. */
  onRequest(route: Route, rewrite: Rewrite<unknown>): Off {
    return add(this.#requestRules, route, rewrite, true);
  }

  /**
   * Answers requests matching `route` itself when `intercept` returns an answer: a server that
   * pretends to accept what the honest one would refuse (a post into an old epoch, a forked roster)
   * and keeps it, to serve it later through `onResponse`.
   */
  intercept(route: Route, intercept: Intercept): Off {
    return add(this.#intercepts, route, intercept as Rewrite<unknown>, true);
  }

  /** Back to an honest server. */
  reset(): void {
    this.#intercepts.length = 0;
    this.#requestRules.length = 0;
    this.#responseRules.length = 0;
    this.rewritten.length = 0;
    this.ruleErrors.length = 0;
  }

  /** The server as a client sees it: pass as `createClient({ fetch })`. */
  readonly fetch: FetchLike = async (input, init) => {
    try {
      return await this.#handle(input, init);
    } catch (error) {
      this.ruleErrors.push(error);
      throw error;
    }
  };

  async #handle(input: RequestInfo | URL, init: RequestInit | undefined): Promise<Response> {
    let request = new Request(input, init);
    const url = new URL(request.url);
    const path = url.pathname;
    this.log.push(`${request.method} ${path}`);
    const exchange = (status: number, params: Record<string, string>): Exchange => ({
      method: request.method,
      path,
      params,
      query: url.searchParams,
      status,
      honest: async (other) => {
        const res = await this.#inner(
          new Request(new URL(other, url), { headers: { cookie: request.headers.get("cookie") ?? "" } }),
        );
        return res.json();
      },
    });

    const isJson = request.headers.get("content-type")?.includes("application/json") ?? false;
    for (const { rule, params } of matching(this.#intercepts, request.method, path)) {
      const json: unknown = isJson ? await request.clone().json() : undefined;
      const forged = await (rule.rewrite as Intercept)(json, exchange(0, params));
      if (forged === undefined) continue;
      this.rewritten.push(`${request.method} ${path} (forged)`);
      return Response.json(forged.json, { status: forged.status });
    }

    const requestRules = matching(this.#requestRules, request.method, path);
    if (requestRules.length > 0 && isJson) {
      let body: unknown = await request.clone().json();
      for (const { rule, params } of requestRules) body = await rule.rewrite(body, exchange(0, params));
      request = new Request(request, { body: JSON.stringify(body) });
      this.rewritten.push(`${request.method} ${path} (request)`);
    }

    const response = await this.#inner(request);
    const responseRules = matching(this.#responseRules, request.method, path).filter(
      ({ rule }) => response.ok || rule.errors,
    );
    if (responseRules.length === 0 || !response.headers.get("content-type")?.includes("application/json")) {
      return response;
    }
    let body: unknown = await response.json();
    for (const { rule, params } of responseRules) {
      body = await rule.rewrite(body, exchange(response.status, params));
    }
    this.rewritten.push(`${request.method} ${path}`);
    const headers = new Headers(response.headers);
    headers.delete("content-length");
    return new Response(JSON.stringify(body), { status: response.status, headers });
  }
}

function add(rules: Rule[], route: Route, rewrite: Rewrite<unknown>, errors: boolean): Off {
  const space = route.indexOf(" ");
  const rule: Rule = {
    method: route.slice(0, space),
    segments: route.slice(space + 1).split("/"),
    rewrite,
    errors,
  };
  rules.push(rule);
  return () => {
    const i = rules.indexOf(rule);
    if (i >= 0) rules.splice(i, 1);
  };
}

function matching(rules: readonly Rule[], method: string, path: string) {
  const segments = path.split("/");
  const out: { rule: Rule; params: Record<string, string> }[] = [];
  for (const rule of rules) {
    const params = matchRoute(rule, method, segments);
    if (params !== undefined) out.push({ rule, params });
  }
  return out;
}

/** The route's params when `method` and `segments` match it exactly, else undefined. */
function matchRoute(rule: Rule, method: string, segments: readonly string[]) {
  if (rule.method !== method || rule.segments.length !== segments.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, want] of rule.segments.entries()) {
    const got = segments[i]!;
    if (want.startsWith(":")) params[want.slice(1)] = decodeURIComponent(got);
    else if (want !== got) return undefined;
  }
  return params;
}
