import { isErrorBody } from "@briefgeheim/protocol";
import { CookieJar } from "./cookie-jar.js";
import { ClientError } from "./errors.js";

/** A `fetch`-compatible function (the platform's, or `app.request` of an in-process Hono app in tests). */
export type FetchLike = (input: RequestInfo | URL, init?: RequestInit) => Promise<Response>;

/**
 * How the session cookie travels: `"browser"` leaves it to the browser (`credentials: "same-origin"`;
 * the cookie is HttpOnly, so scripts never see it), `"jar"` keeps it in memory (Node, tests).
 */
export type CookieMode = "jar" | "browser";

export interface TransportOptions {
  /** Where the API lives, e.g. `https://hulp.example` (routes are under `/api`). */
  readonly baseUrl: string;
  /** The web origin signed into sign-in challenges; must equal the server's configured origin. */
  readonly origin: string;
  readonly fetch?: FetchLike;
  /** Default: `"browser"` where a `document` exists, else `"jar"`. */
  readonly cookieMode?: CookieMode;
}

export interface Transport {
  readonly baseUrl: string;
  readonly origin: string;
  readonly cookieMode: CookieMode;
  /** The wrapped fetch: adds the cookie (jar mode), maps failures to `ClientError("NETWORK")`. */
  readonly fetch: FetchLike;
  /** Jar mode only: the in-memory cookies. */
  readonly jar: CookieJar | undefined;
  /** Forgets the session cookie (jar mode); the browser's cookie is cleared by the server's sign-out. */
  forgetSession(): void;
}

/**
 * Builds the fetch wrapper the typed RPC client uses. It never throws anything but `ClientError`
 * (`NETWORK` when no response arrives).
 *
 * @example
 * const transport = createTransport({ baseUrl: "http://127.0.0.1:8787", origin: "http://127.0.0.1:8787" });
 * const res = await transport.fetch(`${transport.baseUrl}/api/health`);
 */
export function createTransport(options: TransportOptions): Transport {
  const base = options.fetch ?? ((input, init) => globalThis.fetch(input, init));
  const cookieMode = options.cookieMode ?? ("document" in globalThis ? "browser" : "jar");
  const jar = cookieMode === "jar" ? new CookieJar() : undefined;

  const wrapped: FetchLike = async (input, init) => {
    const headers = new Headers(init?.headers);
    const cookie = jar?.header();
    if (cookie !== undefined) headers.set("Cookie", cookie);
    let response: Response;
    try {
      response = await base(input, {
        ...init,
        headers,
        ...(cookieMode === "browser" ? { credentials: "same-origin" as const } : {}),
      });
    } catch (cause) {
      throw new ClientError("NETWORK", "the server could not be reached", { cause });
    }
    if (jar !== undefined) jar.store(setCookieLines(response.headers));
    return response;
  };

  return {
    baseUrl: options.baseUrl.replace(/\/+$/, ""),
    origin: options.origin,
    cookieMode,
    fetch: wrapped,
    jar,
    forgetSession: () => jar?.clear(),
  };
}

function setCookieLines(headers: Headers): string[] {
  if (typeof headers.getSetCookie === "function") return headers.getSetCookie();
  const single = headers.get("set-cookie");
  return single === null ? [] : [single];
}

/**
 * Reads a response: the JSON body when the status is 2xx, else a `ClientError` with the server's
 * `ErrorCode` (`UNEXPECTED_RESPONSE` when the body is not the documented error shape).
 *
 * @example
 * const helplines = await readJson(await api.api.helplines.$get({ query: {} }));
 */
export async function readJson<T>(
  response: { ok: boolean; status: number; json(): Promise<T> } & {
    headers: Headers;
  },
): Promise<T> {
  let body: unknown;
  try {
    body = await response.json();
  } catch (cause) {
    if (response.ok) {
      throw new ClientError("UNEXPECTED_RESPONSE", `HTTP ${response.status} without a JSON body`, {
        source: "server",
        status: response.status,
        cause,
      });
    }
    body = undefined;
  }
  if (response.ok) return body as T;
  throw errorFromResponse(response.status, response.headers, body);
}

/**
 * The `ClientError` for a non-2xx answer.
 *
 * @example
 * throw errorFromResponse(409, headers, { error: { code: "SEQUENCE_CONFLICT", message: "..." } });
 */
export function errorFromResponse(status: number, headers: Headers, body: unknown): ClientError {
  const retry = headers.get("retry-after");
  const retryAfterSeconds = retry !== null && /^\d+$/.test(retry) ? Number(retry) : undefined;
  if (isErrorBody(body)) {
    return new ClientError(body.error.code, body.error.message, {
      source: "server",
      status,
      retryAfterSeconds,
    });
  }
  return new ClientError("UNEXPECTED_RESPONSE", `HTTP ${status} without an error body`, {
    source: "server",
    status,
    retryAfterSeconds,
  });
}
