/**
 * The hostile layer as a real HTTP server on loopback, so that browsers (Playwright/Chromium) can be
 * pointed at a lying server exactly like the Node tests: every request is handed to a `FetchLike`
 * (normally `HostileServer.fetch` in front of the in-process app) with its URL moved onto the
 * honest server's origin, and the answer is written back byte for byte (every Set-Cookie kept; a
 * Content-Encoding too, which is right for an in-process app whose answers are not decoded on the way).
 *
 * @example
 * const proxy = await startHostileProxy(server.fetch, { targetOrigin: ORIGIN });
 * await page.goto(`${proxy.url}/seeker/`);
 * await proxy.close();
 *
 * Without `targetOrigin` the URL keeps the proxy's own origin: for an in-process app created with
 * that origin (`createApp({ origin: proxy.url })`, so that sign-in challenges name what the browser
 * sees), started after the proxy.
 */
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import type { FetchLike } from "@briefgeheim/client";

export interface HostileProxy {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  close(): Promise<void>;
}

/** Hop-by-hop headers and the ones `fetch` computes itself. */
const DROPPED = new Set(["host", "connection", "content-length", "transfer-encoding", "keep-alive"]);

export async function startHostileProxy(
  fetch: FetchLike,
  options: { readonly targetOrigin?: string; readonly port?: number } = {},
): Promise<HostileProxy> {
  let own = "";
  const server = createServer((req, res) => {
    forward(fetch, options.targetOrigin ?? own, req, res).catch((error: unknown) => {
      // A failure of the layer itself (a bug in a rule): answer 502 so the test sees it, never hang.
      if (!res.headersSent) res.writeHead(502, { "content-type": "text/plain" });
      res.end(`hostile proxy: ${String(error)}`);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", resolve);
  });
  const { port } = server.address() as AddressInfo;
  own = `http://127.0.0.1:${port}`;
  return {
    url: own,
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((e) => (e ? reject(e) : resolve()));
      }),
  };
}

async function forward(
  fetch: FetchLike,
  targetOrigin: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const headers = new Headers();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value === undefined || DROPPED.has(name)) continue;
    for (const v of Array.isArray(value) ? value : [value]) headers.append(name, v);
  }
  const method = req.method ?? "GET";
  const body =
    method === "GET" || method === "HEAD" || chunks.length === 0 ? undefined : Buffer.concat(chunks);
  const response = await fetch(new URL(req.url ?? "/", targetOrigin), { method, headers, body });
  const out: Record<string, string | string[]> = {};
  response.headers.forEach((value, name) => {
    if (name !== "set-cookie" && name !== "content-length") out[name] = value;
  });
  const cookies = response.headers.getSetCookie();
  if (cookies.length > 0) out["set-cookie"] = cookies;
  const bytes = Buffer.from(await response.arrayBuffer());
  out["content-length"] = String(bytes.length);
  res.writeHead(response.status, out);
  res.end(bytes);
}
