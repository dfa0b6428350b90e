/**
 * The real API in-process for the journey tests: a temporary libSQL file in os.tmpdir(), the app of
 * `@briefgeheim/api`, the operator's CLI (`admin.ts`) for helplines and first-supervisor invites, and a
 * `fetch` for clients that calls the app directly (with a switch to simulate a network that fails).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createApp,
  createWriter,
  type Database,
  memoryLogger,
  openDatabase,
  runMigrations,
  type Writer,
} from "@briefgeheim/api";
import {
  type BriefgeheimClient,
  type ClientOptions,
  createClient,
  type FetchLike,
} from "@briefgeheim/client";
import { vi } from "vitest";
import { main as adminMain } from "../apps/api/src/admin.js";

export const ORIGIN = "http://127.0.0.1:8787";

/** Decides per request whether the "network" drops it: before the server sees it, or after its answer. */
export type Fault = (url: string, method: string) => "pass" | "drop-request" | "drop-response";

export interface Harness {
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
  /** `npm run admin -- helpline create ...`: returns the helpline id and the first-supervisor token. */
  createHelpline(input: { slug: string; name: string; tag: number; replyHours: number }): Promise<{
    helplineId: string;
    token: string;
  }>;
  /** Rows of a read-only SQL query (assertions on what the server stores). */
  query(sql: string, args?: (string | number)[]): Promise<Record<string, unknown>[]>;
  /** The database file and its WAL, as text (marker checks). */
  storedText(): string;
  close(): Promise<void>;
}

export async function startHarness(): Promise<Harness> {
  const dir = mkdtempSync(join(tmpdir(), "bg-journeys-"));
  const file = join(dir, "journeys.db");
  const db = await openDatabase({ url: `file:${file}` });
  await runMigrations(db.write);
  const writer = createWriter(db);
  const logger = memoryLogger();
  const app = createApp({ db, writer, origin: ORIGIN, logger });
  const calls: string[] = [];

  const harness: Harness = {
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
      const lines: string[] = [];
      const spy = vi.spyOn(console, "log").mockImplementation((...args: unknown[]) => {
        lines.push(args.map(String).join(" "));
      });
      const env = { DATABASE_URL: process.env.DATABASE_URL, ORIGIN: process.env.ORIGIN };
      process.env.DATABASE_URL = `file:${file}`;
      process.env.ORIGIN = ORIGIN;
      try {
        await adminMain([
          "helpline",
          "create",
          "--slug",
          input.slug,
          "--name",
          input.name,
          "--tag",
          String(input.tag),
          "--reply-hours",
          String(input.replyHours),
        ]);
      } finally {
        spy.mockRestore();
        process.env.DATABASE_URL = env.DATABASE_URL;
        process.env.ORIGIN = env.ORIGIN;
      }
      const out = lines.join("\n");
      const helplineId = /\(id ([A-Za-z0-9_-]{22}), tag/.exec(out)?.[1];
      const token = /\/invite\/([A-Za-z0-9_-]{43})$/m.exec(out)?.[1];
      if (helplineId === undefined || token === undefined) throw new Error(`unexpected admin output: ${out}`);
      return { helplineId, token };
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
