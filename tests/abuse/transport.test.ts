/**
 * Clean answers to bad input through a real socket, against the whole app (issue 9): a body over the
 * limit is a complete 413 with `Connection: close` also when written slowly (never a reset while the
 * client sends), unknown routes are 404 and wrong methods 405, and a bodiless cross-origin sign-out is
 * refused without signing anyone out.
 */
import { type AddressInfo, connect } from "node:net";
import { LIMITS } from "@briefgeheim/protocol";
import { serve } from "@hono/node-server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createWorld, type HelplineFixture, ORIGIN, type World } from "../../apps/api/src/testing/harness.js";

let w: World;
let h: HelplineFixture;
let port: number;
let close: () => Promise<void>;

beforeAll(async () => {
  w = await createWorld();
  h = await w.setupHelpline("alpha", 1);
  const server = serve({ fetch: w.app.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  port = (server.address() as AddressInfo).port;
  close = () => new Promise((resolve) => server.close(() => resolve()));
});
afterAll(async () => {
  await close?.();
  await w?.cleanup();
});

/** Writes a request head, then the body in `chunks` pieces every `everyMs` ms on a half-open socket. */
function rawRequest(head: string, body: { chunk: number; chunks: number; everyMs: number }) {
  return new Promise<{ text: string; error: string | undefined }>((resolve) => {
    const s = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    let text = "";
    let error: string | undefined;
    s.on("data", (d) => {
      text += d.toString("latin1");
    });
    s.on("error", (e) => {
      error = (e as NodeJS.ErrnoException).code ?? e.message;
    });
    s.on("close", () => resolve({ text, error }));
    s.write(head);
    let sent = 0;
    const timer = setInterval(() => {
      if (s.destroyed || sent >= body.chunks) {
        clearInterval(timer);
        if (!s.destroyed) s.end();
        return;
      }
      sent++;
      s.write(Buffer.alloc(body.chunk, 0x20));
    }, body.everyMs);
  });
}

const base = () => `http://127.0.0.1:${port}`;

describe("through a real socket", () => {
  it("a roster over the limit: a complete 413, at once or written slowly", async () => {
    const size = LIMITS.body.roster + 200 * 1024;
    const fast = await fetch(`${base()}/api/helplines/${h.id}/rosters`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: `__Host-bg_session=${h.supervisor.cookie}` },
      body: JSON.stringify({ pad: "x".repeat(size) }),
    });
    expect(fast.status).toBe(413);
    expect(fast.headers.get("connection")).toBe("close");
    expect((await fast.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    // Declared, then written slowly for about a second after the answer.
    const slow = await rawRequest(
      `POST /api/helplines/${h.id}/rosters HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${size}\r\n\r\n`,
      { chunk: 4096, chunks: 25, everyMs: 40 },
    );
    expect(slow.error).toBeUndefined();
    expect(slow.text).toMatch(/^HTTP\/1\.1 413 /);
    expect(slow.text.toLowerCase()).toContain("connection: close");
    expect(slow.text).toContain('"code":"PAYLOAD_TOO_LARGE"');
  });

  it("any refusal before the body is read closes cleanly: the next request works", async () => {
    for (let i = 0; i < 3; i++) {
      const early = await fetch(`${base()}/api/no/such/route`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ pad: "x".repeat(700 * 1024) }),
      });
      expect(early.status).toBe(404);
      expect(early.headers.get("connection")).toBe("close");
      const next = await fetch(`${base()}/api/health`);
      expect(next.status).toBe(200);
    }
  });

  it("unknown routes 404, wrong methods 405 with Allow, typed bodies", async () => {
    const unknown = await fetch(`${base()}/api/no/such/route`, {
      method: "POST",
      headers: { "Content-Type": "text/plain" },
      body: "a=1",
    });
    expect(unknown.status).toBe(404);
    expect((await unknown.json()).error.code).toBe("NOT_FOUND");
    const wrong = await fetch(`${base()}/api/auth/challenge`, { method: "GET" });
    expect(wrong.status).toBe(405);
    expect(wrong.headers.get("allow")).toBe("POST");
    expect((await wrong.json()).error.code).toBe("METHOD_NOT_ALLOWED");
  });

  it("a bodiless cross-origin POST /api/auth/sign-out signs no one out", async () => {
    const cookie = await w.signInStaff(h.supervisor);
    const res = await rawRequest(
      `POST /api/auth/sign-out HTTP/1.1\r\nHost: 127.0.0.1\r\nOrigin: http://evil.127.0.0.1\r\nSec-Fetch-Site: same-site\r\nCookie: __Host-bg_session=${cookie}\r\nContent-Length: 0\r\nConnection: close\r\n\r\n`,
      { chunk: 0, chunks: 0, everyMs: 1 },
    );
    expect(res.text).toMatch(/^HTTP\/1\.1 403 /);
    expect(res.text).toContain('"code":"CROSS_ORIGIN"');
    expect((await w.request("GET", "/api/auth/session", { cookie })).status).toBe(200);
    const same = await fetch(`${base()}/api/auth/sign-out`, {
      method: "POST",
      headers: { Origin: ORIGIN, "Sec-Fetch-Site": "same-origin", Cookie: `__Host-bg_session=${cookie}` },
    });
    expect(same.status).toBe(200);
    expect((await w.request("GET", "/api/auth/session", { cookie })).status).toBe(401);
  });
});
