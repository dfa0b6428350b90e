/**
 * The attachment tests' world: the malicious-server world (tests/malicious-server/world.ts: the real
 * API in process, Vera the first supervisor, Anna a counsellor and intake reader) plus files, a
 * network that can be cut per request, and direct access to what the server stores.
 */
import {
  type ClientError,
  type FetchLike,
  type OutgoingFile,
  type SeekerSession,
  type StaffSession,
  signInStaff,
  startSeeker,
} from "@briefgeheim/client";
import { sql } from "drizzle-orm";
import { createWorld, failure, PASS, type World } from "../malicious-server/world.js";

export { failure };

/** Decides per request whether the network drops it (before the server sees it). */
export type Cut = (method: string, path: string) => boolean;

export interface AttachmentWorld extends World {
  /** Requests the network drops while this returns true. */
  cut: Cut;
  /** A help-seeker on a client whose network can be cut. */
  cuttableSeeker(): Promise<SeekerSession>;
  /** Anna (or `username`) signed in again on a fresh client, as after a reload; its network can be cut. */
  reloadStaff(username?: string): Promise<StaffSession>;
  /** Rows of a query on the server's database. */
  rows(query: string): Promise<Record<string, unknown>[]>;
  /** Runs a statement on the server's database (a hostile operator changing stored bytes). */
  exec(statement: string, ...args: (string | number | Uint8Array)[]): Promise<void>;
}

export async function attachmentWorld(): Promise<AttachmentWorld> {
  const base = await createWorld();
  const w = base as AttachmentWorld;
  w.cut = () => false;
  const fetch: FetchLike = async (input, init) => {
    const request = new Request(input, init);
    if (w.cut(request.method, new URL(request.url).pathname)) throw new TypeError("fetch failed (cut)");
    return base.server.fetch(request);
  };
  w.cuttableSeeker = async () => startSeeker(await base.client({ fetch }), { helplineId: base.helplineId });
  w.reloadStaff = async (username = "anna") =>
    signInStaff(await base.client({ fetch }), { username, passphrase: PASS });
  w.rows = (query) => base.h.query(query);
  w.exec = async (statement, ...args) => {
    await base.h.writer.run(async (tx) => {
      await tx.run(sql.raw(interpolate(statement, args)));
    });
  };
  return w;
}

/** `?` placeholders filled with SQL literals (test statements only; blobs as X'..'). */
function interpolate(statement: string, args: (string | number | Uint8Array)[]): string {
  let i = 0;
  return statement.replace(/\?/g, () => {
    const a = args[i++];
    if (a instanceof Uint8Array) return `X'${Buffer.from(a).toString("hex")}'`;
    if (typeof a === "number") return String(a);
    return `'${String(a).replace(/'/g, "''")}'`;
  });
}

/** Deterministic file contents (fast). */
export function fileBytes(size: number, seed = 1): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i++) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

export function outgoing(bytes: Uint8Array<ArrayBuffer>, name: string, mediaType: string): OutgoingFile {
  return { data: new Blob([bytes], { type: mediaType }), name, mediaType };
}

export async function blobBytes(blob: Blob): Promise<Uint8Array> {
  return new Uint8Array(await blob.arrayBuffer());
}

export type { ClientError };
