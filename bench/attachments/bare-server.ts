/**
 * The ceiling: a bare Hono endpoint on @hono/node-server (no middleware, no database) that takes the
 * same requests as the attachment routes: PUT bodies of raw bytes (answered with their length) and a
 * GET that streams N bytes. Prints `{"event":"listening","port":N,"pid":P}` on stdout.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const BLOCK = new Uint8Array(64 * 1024 + 16).fill(7);
const app = new Hono();
app.put("*", async (c) => c.json({ n: (await c.req.arrayBuffer()).byteLength }));
app.post("*", async (c) => c.json({ ok: true }));
app.get("/bytes/:n", (c) => {
  let left = Number(c.req.param("n"));
  const body = new ReadableStream<Uint8Array>({
    pull(controller) {
      const n = Math.min(left, BLOCK.length);
      controller.enqueue(BLOCK.subarray(0, n));
      left -= n;
      if (left === 0) controller.close();
    },
  });
  return c.body(body, 200, { "Content-Type": "application/octet-stream" });
});

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  process.stdout.write(`${JSON.stringify({ event: "listening", port: info.port, pid: process.pid })}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));
