import { type AddressInfo, connect } from "node:net";
import { serve } from "@hono/node-server";
import { Hono } from "hono";
import { describe, expect, it } from "vitest";
import { memoryLogger } from "../../logger.js";
import { onError } from "../errors/index.js";
import { bodyLimit } from "./index.js";

async function listen(a: Hono) {
  const server = serve({ fetch: a.fetch, port: 0, hostname: "127.0.0.1" });
  await new Promise((resolve) => server.once("listening", resolve));
  const { port } = server.address() as AddressInfo;
  return { port, close: () => new Promise((resolve) => server.close(resolve)) };
}

/**
 * Sends a request head announcing `declared` bytes, then writes `chunk` bytes every `everyMs` ms
 * (`chunks` times) on a half-open socket, so it keeps sending after the answer; returns what it read
 * and whether the connection was reset.
 */
function slowPost(
  port: number,
  opts: { declared: number; chunk: number; chunks: number; everyMs: number; chunked?: boolean },
): Promise<{ text: string; reset: string | undefined }> {
  return new Promise((resolve) => {
    const s = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
    let text = "";
    let reset: string | undefined;
    s.on("data", (d) => {
      text += d.toString("latin1");
    });
    s.on("error", (e) => {
      reset = (e as NodeJS.ErrnoException).code ?? e.message;
    });
    s.on("close", () => resolve({ text, reset }));
    const framing = opts.chunked ? "Transfer-Encoding: chunked" : `Content-Length: ${opts.declared}`;
    s.write(`POST /small HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n${framing}\r\n\r\n`);
    let sent = 0;
    const timer = setInterval(() => {
      if (s.destroyed || sent >= opts.chunks) {
        clearInterval(timer);
        if (!s.destroyed) s.end(opts.chunked ? "0\r\n\r\n" : "");
        return;
      }
      sent++;
      const body = Buffer.alloc(opts.chunk, 0x78);
      s.write(
        opts.chunked
          ? Buffer.concat([Buffer.from(`${opts.chunk.toString(16)}\r\n`), body, Buffer.from("\r\n")])
          : body,
      );
    }, opts.everyMs);
  });
}

function app() {
  const a = new Hono();
  a.post("/small", bodyLimit(100), async (c) => c.json({ got: (await c.req.text()).length }));
  a.post("/empty", bodyLimit(100), (c) => c.json({ ok: true }));
  a.delete("/thing", bodyLimit(100), (c) => c.json({ deleted: true }));
  a.onError(onError(memoryLogger()));
  return a;
}

describe("bodyLimit", () => {
  it("passes a JSON body within the limit", async () => {
    const res = await app().request("/small", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ a: "x".repeat(50) }),
    });
    expect(res.status).toBe(200);
  });

  it("413 PAYLOAD_TOO_LARGE over the limit, by Content-Length or by streaming", async () => {
    const body = JSON.stringify({ a: "x".repeat(500) });
    const declared = await app().request("/small", {
      method: "POST",
      headers: { "Content-Type": "application/json", "Content-Length": String(body.length) },
      body,
    });
    expect(declared.status).toBe(413);
    expect((await declared.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
    const streamed = await app().request("/small", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body,
    });
    expect(streamed.status).toBe(413);
  });

  it("415 UNSUPPORTED_MEDIA_TYPE for a body that is not JSON (e.g. a cross-site form post)", async () => {
    const res = await app().request("/small", {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded" },
      body: "a=1",
    });
    expect(res.status).toBe(415);
    expect((await res.json()).error.code).toBe("UNSUPPORTED_MEDIA_TYPE");
  });

  it("lets bodiless requests through", async () => {
    expect((await app().request("/empty", { method: "POST" })).status).toBe(200);
    expect(
      (await app().request("/empty", { method: "POST", headers: { "Content-Length": "0" } })).status,
    ).toBe(200);
  });

  it("over real HTTP, a DELETE without a body is not refused as a non-JSON body", async () => {
    // @hono/node-server gives every DELETE an empty body stream; browsers send no Content-Type.
    const server = serve({ fetch: app().fetch, port: 0, hostname: "127.0.0.1" });
    await new Promise((resolve) => server.once("listening", resolve));
    try {
      const { port } = server.address() as AddressInfo;
      const res = await fetch(`http://127.0.0.1:${port}/thing`, { method: "DELETE" });
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ deleted: true });
      const form = await fetch(`http://127.0.0.1:${port}/thing`, {
        method: "DELETE",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: "a=1",
      });
      expect(form.status).toBe(415);
    } finally {
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it("over a real socket, a body over the limit always gets a complete 413 with Connection: close", async () => {
    const { port, close } = await listen(app());
    try {
      for (const size of [101, 200 * 1024, 5 * 1024 * 1024]) {
        const res = await fetch(`http://127.0.0.1:${port}/small`, {
          method: "POST",
          headers: { "Content-Type": "application/json" },
          body: "x".repeat(size),
        });
        expect(res.status).toBe(413);
        expect(res.headers.get("connection")).toBe("close");
        expect((await res.json()).error.code).toBe("PAYLOAD_TOO_LARGE");
      }
      // Too large and not JSON: the size is answered first.
      const typed = await fetch(`http://127.0.0.1:${port}/small`, {
        method: "POST",
        headers: { "Content-Type": "text/plain" },
        body: "x".repeat(200 * 1024),
      });
      expect(typed.status).toBe(413);
      // A streamed (chunked) body from fetch.
      const stream = new ReadableStream<Uint8Array>({
        async start(ctl) {
          for (let i = 0; i < 10; i++) {
            ctl.enqueue(new Uint8Array(1000));
            await new Promise((r) => setTimeout(r, 20));
          }
          ctl.close();
        },
      });
      const streamed = await fetch(`http://127.0.0.1:${port}/small`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: stream,
        duplex: "half",
      } as RequestInit);
      expect(streamed.status).toBe(413);
      // Within the limit, the connection stays usable.
      const ok = await fetch(`http://127.0.0.1:${port}/small`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify({ a: 1 }),
      });
      expect(ok.status).toBe(200);
    } finally {
      await close();
    }
  });

  it("a body written slowly, still sending long after the 413: the answer arrives whole, no reset", async () => {
    const { port, close } = await listen(app());
    try {
      // Declared too large: answered at once, then the client goes on writing for about a second.
      const declared = await slowPost(port, { declared: 50_000, chunk: 2000, chunks: 20, everyMs: 50 });
      expect(declared.reset).toBeUndefined();
      expect(declared.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(declared.text.toLowerCase()).toContain("connection: close");
      expect(declared.text).toContain('"code":"PAYLOAD_TOO_LARGE"');
      // Chunked, so the server only finds out while reading; the client keeps sending afterwards.
      const chunked = await slowPost(port, {
        declared: 0,
        chunk: 60,
        chunks: 20,
        everyMs: 50,
        chunked: true,
      });
      expect(chunked.reset).toBeUndefined();
      expect(chunked.text).toMatch(/^HTTP\/1\.1 413 /);
      expect(chunked.text).toContain('"code":"PAYLOAD_TOO_LARGE"');
    } finally {
      await close();
    }
  });
});
