/**
 * `node --import tsx bench/api/page-cache.ts`: what a point read costs on the server's reader
 * connection when the writer connection committed just before it, against no commit in between and
 * against the same read on the writer's own connection. SQLite discards a connection's page cache
 * whenever another connection changed the database, so under a steady stream of writes every read on
 * the reader starts cold (its pages come again from the WAL and the file). One run: a table of 200,000
 * rows of about 200 bytes, WAL with the server's PRAGMAs, 20,000 reads per row of the table, each
 * "commit" two one-row updates in a transaction.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import Database from "libsql";

const ROWS = 200_000;
const READS = 20_000;
const dir = mkdtempSync(join(tmpdir(), "bg-page-cache-"));
const file = join(dir, "t.db");
const writer = new Database(file);
writer.exec(
  "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA cache_size=-65536; PRAGMA wal_autocheckpoint=10000",
);
writer.exec("CREATE TABLE t(id TEXT PRIMARY KEY, a INTEGER, b BLOB) WITHOUT ROWID; CREATE INDEX t_a ON t(a)");
const keyOf = (i: number) => `k${String(i).padStart(8, "0")}`;
const insert = writer.prepare("INSERT INTO t VALUES (?, ?, ?)");
writer.exec("BEGIN");
for (let i = 0; i < ROWS; i++) insert.run(keyOf((i * 7919) % ROWS), i, Buffer.alloc(200, i & 255));
writer.exec("COMMIT");
const reader = new Database(file);
reader.exec("PRAGMA cache_size=-65536; PRAGMA mmap_size=1073741824");
const readOn = (db: Database.Database) => db.prepare("SELECT a, b FROM t WHERE id = ?");
const update = writer.prepare("UPDATE t SET a = a + 1 WHERE id = ?");
const anyKey = () => keyOf(Math.floor(Math.random() * ROWS));

/** Mean µs of a point read, with or without a commit on the writer before each. */
function measure(read: Database.Statement, commitBefore: boolean): number {
  let ns = 0n;
  for (let i = 0; i < READS; i++) {
    if (commitBefore) {
      writer.exec("BEGIN");
      update.run(anyKey());
      update.run(anyKey());
      writer.exec("COMMIT");
    }
    const t0 = process.hrtime.bigint();
    read.get(anyKey());
    ns += process.hrtime.bigint() - t0;
  }
  return Number(ns) / READS / 1000;
}

const cases: [string, Database.Statement, boolean][] = [
  ["reader connection, no commit between reads", readOn(reader), false],
  ["reader connection, the writer committed before each read", readOn(reader), true],
  ["writer connection, it committed before each read", readOn(writer), true],
];
const runs = cases.map(
  ([what, read, commit]) => [what, measure(read, commit), measure(read, commit)] as const,
);
console.log(`\npage-cache  (${availableParallelism()} cores; load ${loadavg()[0]!.toFixed(1)} at the end)`);
console.log("| point read by primary key | µs, run 1 | µs, run 2 |");
console.log("|---|---:|---:|");
for (const [what, a, b] of runs) console.log(`| ${what} | ${a.toFixed(1)} | ${b.toFixed(1)} |`);
reader.close();
writer.close();
rmSync(dir, { recursive: true, force: true });
