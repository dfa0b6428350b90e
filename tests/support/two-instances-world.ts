/**
 * Helpers of the two-instances test (tests/two-instances.test.ts): two real server processes on one
 * database file, requests routed to either, epoch records built as a staff browser builds them, and
 * the database read directly (a third connection) for the final checks.
 */

import {
  claimThread,
  type EnvelopeHead,
  type EpochKeys,
  type EpochRecord,
  type EpochRecordBytes,
  type EpochStart,
  parseEnvelope,
  parseEpochRecord,
  type RosterMember,
  reassignThread,
} from "@briefgeheim/crypto";
import { createClient } from "@libsql/client";
import { call, type ServerProcess, type World } from "./api-world.js";

/** What a request ended with: its status, or no answer at all (the process died under it). */
export interface Answer {
  status: number | "network-error";
  // biome-ignore lint/suspicious/noExplicitAny: JSON answers of several routes
  body?: any;
  /** Which instance answered ("A" or "B"). */
  via: string;
}

/** The two instances by name; `alive` says which may still be asked. */
export class Instances {
  readonly byName = new Map<string, ServerProcess>();
  readonly dead = new Set<string>();
  #turn = 0;

  set(name: string, server: ServerProcess): void {
    this.byName.set(name, server);
    this.dead.delete(name);
  }

  /** The next live instance, round robin. */
  next(): string {
    const live = [...this.byName.keys()].filter((n) => !this.dead.has(n));
    if (live.length === 0) throw new Error("no instance left");
    return live[this.#turn++ % live.length]!;
  }

  other(name: string): string {
    return [...this.byName.keys()].find((n) => n !== name && !this.dead.has(n)) ?? name;
  }

  /** One JSON request to the named instance; a dropped connection is an answer too. */
  async send(name: string, method: string, path: string, body?: unknown, cookie?: string): Promise<Answer> {
    const server = this.byName.get(name)!;
    try {
      const res = await call(server.base, method, path, body, cookie, 15_000);
      return { status: res.status, body: res.body, via: name };
    } catch {
      return { status: "network-error", via: name };
    }
  }

  /**
   * Like a client's `withRetry`: a request whose connection dropped is sent again, with the same id and
   * bytes, to the other instance (once the dead one is marked so).
   */
  async sendWithRetry(
    name: string,
    method: string,
    path: string,
    body?: unknown,
    cookie?: string,
  ): Promise<{ first: Answer; final: Answer }> {
    const first = await this.send(name, method, path, body, cookie);
    if (first.status !== "network-error") return { first, final: first };
    for (let i = 0; i < 100 && !this.dead.has(name); i++) await new Promise((r) => setTimeout(r, 20));
    const final = await this.send(this.other(name), method, path, body, cookie);
    return { first, final };
  }
}

/** The head of one envelope (base64url), as an epoch record names it. */
export function headOf(w: Pick<World, "sodium">, envelope: string): EnvelopeHead {
  const env = parseEnvelope(w.sodium, Buffer.from(envelope, "base64url"));
  const stream = env.kind === "note" ? ("staff" as const) : ("main" as const);
  return { stream, signPk: env.senderSignPk, seq: env.seq, hash: env.hash, pastDamaged: false };
}

export function parseRecord(w: Pick<World, "sodium">, record: string): EpochRecord {
  return parseEpochRecord(w.sodium, Buffer.from(record, "base64url") as unknown as EpochRecordBytes);
}

/** The `POST .../epochs` body of an epoch start. */
export function epochBody(start: EpochStart) {
  const b = (x: Uint8Array) => Buffer.from(x).toString("base64url");
  return { record: b(start.record), grants: start.grants.map(b) };
}

/** A counsellor's claim of a thread in intake (epoch 0 -> 1). */
export function buildClaim(
  w: World,
  who: { signing: World["supervisor"]["signing"] },
  prev: EpochRecord,
  prevKeys: EpochKeys,
  heads: readonly EnvelopeHead[],
): EpochStart {
  return claimThread(w.sodium, {
    prev,
    prevKeys,
    roster: w.roster,
    signer: who.signing,
    random: w.random,
    now: Date.now(),
    heads,
  });
}

/** The supervisor's reassignment of a thread to `to`. */
export function buildReassign(
  w: World,
  prev: EpochRecord,
  prevKeys: EpochKeys,
  heads: readonly EnvelopeHead[],
  to: string,
): EpochStart {
  const member = w.roster.members.find((m) => m.memberId === to) as RosterMember;
  return reassignThread(w.sodium, {
    prev,
    prevKeys,
    roster: w.roster,
    signer: w.supervisor.signing,
    to: member,
    random: w.random,
    now: Date.now(),
    heads,
  });
}

/** Runs `sql` on the database file through a connection of its own (the test's, not a server's). */
export async function query(dbFile: string, sql: string, args: (string | number)[] = []) {
  const db = createClient({ url: `file:${dbFile}`, timeout: 10_000 });
  try {
    return (await db.execute({ sql, args })).rows;
  } finally {
    db.close();
  }
}

/** Runs `fn` over `items` with at most `n` at a time. */
export async function pool<T>(items: readonly T[], n: number, fn: (item: T) => Promise<unknown>) {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(n, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]!);
    }),
  );
}

/**
 * The stored state after the run: exactly the `expected` envelopes (thread/id) and the `kept` threads,
 * nothing of any other thread left in any table, positions 1..n without gaps, and epochs 0, 1, 2 of
 * every kept thread each exactly once.
 */
export async function storedState(dbFile: string) {
  const envelopes = await query(dbFile, "SELECT thread_id, id FROM envelopes");
  const threads = await query(dbFile, "SELECT id FROM threads");
  const orphans: Record<string, number> = {};
  for (const table of ["epoch_records", "grants", "envelopes"]) {
    const rows = await query(
      dbFile,
      `SELECT count(*) AS n FROM ${table} WHERE thread_id NOT IN (SELECT id FROM threads)`,
    );
    orphans[table] = Number(rows[0]!.n);
  }
  const counts = await query(
    dbFile,
    `SELECT t.id, t.envelope_count AS c, count(e.id) AS n, max(e.position) AS maxp
     FROM threads t JOIN envelopes e ON e.thread_id = t.id GROUP BY t.id`,
  );
  const epochs = await query(
    dbFile,
    "SELECT thread_id, group_concat(epoch, ',') AS e FROM (SELECT thread_id, epoch FROM epoch_records ORDER BY epoch) GROUP BY thread_id",
  );
  return {
    envelopes: new Set(envelopes.map((r) => `${r.thread_id}/${r.id}`)),
    threads: threads.map((r) => String(r.id)).sort(),
    orphans,
    gapless: counts.every((r) => Number(r.n) === Number(r.c) && Number(r.maxp) === Number(r.n)),
    epochs: new Set(epochs.map((r) => String(r.e))),
    integrity: String((await query(dbFile, "PRAGMA integrity_check"))[0]![0]),
  };
}

/** The helpline's whole audit log, paged through one instance's API. */
export async function auditLog(inst: Instances, name: string, cookie: string) {
  const entries = [];
  for (let after = 0; ; ) {
    const page = await inst.send(name, "GET", `/api/audit?after=${after}&limit=200`, undefined, cookie);
    if (page.status !== 200) throw new Error(`audit ${page.status}`);
    entries.push(...page.body.entries);
    if (page.body.nextAfter === null) return entries;
    after = page.body.nextAfter;
  }
}
