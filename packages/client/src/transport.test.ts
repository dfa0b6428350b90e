import { describe, expect, it } from "vitest";
import { ClientError, isClientError } from "./errors.js";
import { createTransport, errorFromResponse, type FetchLike, readJson } from "./transport.js";

type Seen = { url: string; init: RequestInit | undefined };

function fakeFetch(responses: Response[], seen: Seen[] = []): FetchLike {
  return async (input, init) => {
    seen.push({ url: String(input), init });
    const next = responses.shift();
    if (next === undefined) throw new Error("no more responses");
    return next;
  };
}

function json(status: number, body: unknown, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

async function caught(p: Promise<unknown>): Promise<ClientError> {
  try {
    await p;
  } catch (e) {
    if (e instanceof ClientError) return e;
    throw e;
  }
  throw new Error("expected a ClientError");
}

describe("readJson: error mapping", () => {
  it("returns the body of a 2xx answer", async () => {
    expect(await readJson(json(200, { ok: true, version: "1" }))).toEqual({ ok: true, version: "1" });
  });

  it("maps { error: { code, message } } to a ClientError with the server's code and status", async () => {
    const e = await caught(
      readJson(
        json(409, { error: { code: "SEQUENCE_CONFLICT", message: "expected seq 3 from this sender" } }),
      ),
    );
    expect(e.code).toBe("SEQUENCE_CONFLICT");
    expect(e.status).toBe(409);
    expect(e.source).toBe("server");
    expect(e.message).toBe("expected seq 3 from this sender");
    expect(isClientError(e, "SEQUENCE_CONFLICT")).toBe(true);
    expect(isClientError(e, "NOT_FOUND")).toBe(false);
  });

  it("keeps Retry-After seconds of a 429", async () => {
    const e = await caught(
      readJson(json(429, { error: { code: "RATE_LIMITED", message: "slow down" } }, { "Retry-After": "7" })),
    );
    expect(e.code).toBe("RATE_LIMITED");
    expect(e.retryAfterSeconds).toBe(7);
  });

  it("is UNEXPECTED_RESPONSE for an error without the documented body, or an unknown code", async () => {
    const html = await caught(readJson(new Response("<h1>Bad gateway</h1>", { status: 502 })));
    expect(html.code).toBe("UNEXPECTED_RESPONSE");
    expect(html.status).toBe(502);
    const unknown = await caught(readJson(json(400, { error: { code: "NO_SUCH_CODE", message: "x" } })));
    expect(unknown.code).toBe("UNEXPECTED_RESPONSE");
  });

  it("is UNEXPECTED_RESPONSE for a 2xx answer that is not JSON", async () => {
    const e = await caught(readJson(new Response("not json", { status: 200 })));
    expect(e.code).toBe("UNEXPECTED_RESPONSE");
    expect(e.status).toBe(200);
  });

  it("errorFromResponse ignores a Retry-After that is not a number of seconds", () => {
    const e = errorFromResponse(503, new Headers({ "Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT" }), {
      error: { code: "UNAVAILABLE", message: "busy" },
    });
    expect(e.code).toBe("UNAVAILABLE");
    expect(e.retryAfterSeconds).toBeUndefined();
  });
});

describe("createTransport", () => {
  it("jar mode: stores the session cookie and sends it on the next request, forgets it on forgetSession()", async () => {
    const seen: Seen[] = [];
    const t = createTransport({
      baseUrl: "http://127.0.0.1:8787/",
      origin: "http://127.0.0.1:8787",
      cookieMode: "jar",
      fetch: fakeFetch(
        [
          json(200, {}, { "Set-Cookie": "__Host-bg_session=abc; Path=/; HttpOnly; Secure; SameSite=Strict" }),
          json(200, {}),
          json(200, {}),
        ],
        seen,
      ),
    });
    expect(t.baseUrl).toBe("http://127.0.0.1:8787");
    await t.fetch("http://127.0.0.1:8787/api/auth/seeker", { method: "POST", headers: { "X-A": "1" } });
    await t.fetch("http://127.0.0.1:8787/api/threads");
    t.forgetSession();
    await t.fetch("http://127.0.0.1:8787/api/threads");
    const cookieOf = (i: number) => new Headers(seen[i]!.init?.headers).get("cookie");
    expect(cookieOf(0)).toBeNull();
    expect(new Headers(seen[0]!.init?.headers).get("x-a")).toBe("1");
    expect(cookieOf(1)).toBe("__Host-bg_session=abc");
    expect(cookieOf(2)).toBeNull();
    expect(seen[1]!.init?.credentials).toBeUndefined();
  });

  it("jar mode: a sign-out's deleting Set-Cookie empties the jar", async () => {
    const t = createTransport({
      baseUrl: "http://x",
      origin: "http://x",
      cookieMode: "jar",
      fetch: fakeFetch([
        json(200, {}, { "Set-Cookie": "__Host-bg_session=abc; Path=/" }),
        json(200, {}, { "Set-Cookie": "__Host-bg_session=; Max-Age=0; Path=/; Secure" }),
      ]),
    });
    await t.fetch("http://x/a");
    expect(t.jar?.get("__Host-bg_session")).toBe("abc");
    await t.fetch("http://x/b");
    expect(t.jar?.size).toBe(0);
  });

  it("browser mode: leaves cookies to the browser (credentials same-origin), keeps no jar", async () => {
    const seen: Seen[] = [];
    const t = createTransport({
      baseUrl: "https://hulp.example",
      origin: "https://hulp.example",
      cookieMode: "browser",
      fetch: fakeFetch([json(200, {}, { "Set-Cookie": "a=1" }), json(200, {})], seen),
    });
    await t.fetch("https://hulp.example/api/x");
    await t.fetch("https://hulp.example/api/y");
    expect(t.jar).toBeUndefined();
    expect(seen[1]!.init?.credentials).toBe("same-origin");
    expect(new Headers(seen[1]!.init?.headers).get("cookie")).toBeNull();
  });

  it("defaults to jar mode where there is no document (Node)", () => {
    expect(createTransport({ baseUrl: "http://x", origin: "http://x" }).cookieMode).toBe("jar");
  });

  it("maps a fetch that throws (offline, reset) to ClientError NETWORK with the cause", async () => {
    const offline = new TypeError("fetch failed");
    const t = createTransport({
      baseUrl: "http://x",
      origin: "http://x",
      fetch: async () => {
        throw offline;
      },
    });
    const e = await caught(t.fetch("http://x/api/health"));
    expect(e.code).toBe("NETWORK");
    expect(e.source).toBe("client");
    expect(e.cause).toBe(offline);
  });
});
