/**
 * The ceiling: a bare Hono JSON echo endpoint on @hono/node-server (no middleware, no database), on
 * 127.0.0.1 and a free port. Prints `{"event":"listening","port":N,"pid":P}` on stdout.
 */
import { serve } from "@hono/node-server";
import { Hono } from "hono";

const app = new Hono();
app.post("*", async (c) => c.json(await c.req.json()));

serve({ fetch: app.fetch, port: 0, hostname: "127.0.0.1" }, (info) => {
  process.stdout.write(`${JSON.stringify({ event: "listening", port: info.port, pid: process.pid })}\n`);
});
for (const signal of ["SIGTERM", "SIGINT"] as const) process.on(signal, () => process.exit(0));
