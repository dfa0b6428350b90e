/**
 * bench:attachments (issue 12; not part of npm test). Through the real server on loopback, as the SDK
 * does it (hash, encrypt chunk by chunk, PUT each 64 KiB chunk, bind with a reply; download streamed
 * and verified): a 10 MB file and 100 files of 100 KB, up and down, in MB/s of file bytes, beside a
 * bare Hono endpoint taking the same requests (the ceiling of HTTP on this machine) and the ratio.
 * Then the server's resident memory sampled during a 10 MB and a 50 MB upload (it must not grow with
 * the file), and the time Chromium and Node need to encrypt 10 MB through the SDK beside bare AEAD
 * over the same bytes (encrypt-table.ts). `BENCH_ENCRYPT_ONLY=1` runs only that last part (no
 * server); `RUNS=n` sets its runs (default 5).
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import os from "node:os";
import { join } from "node:path";
import { performance } from "node:perf_hooks";
import {
  type AttachmentMeta,
  acceptInvite,
  createClient,
  downloadAttachment,
  type SeekerSession,
  startSeeker,
  uploadAttachment,
} from "@briefgeheim/client";
import {
  type HelplineId,
  loadSodium,
  planAttachment,
  systemRandom,
  type ThreadId,
} from "@briefgeheim/crypto";
import { createClient as createDb } from "@libsql/client";
import {
  BENCH_ORIGIN,
  createHelplineWithCli,
  startServer,
  stopServer,
} from "../../tests/support/api-world.js";
import { startListening } from "../api/procs.js";
import { encryptionTable } from "./encrypt-table.js";

const MB = 1_000_000;
const CHUNK = 64 * 1024;
const RUNS = Number(process.env.RUNS ?? "5");

// `BENCH_ENCRYPT_ONLY=1`: only the encryption table (Chromium and Node), no server.
if (process.env.BENCH_ENCRYPT_ONLY === "1") {
  console.log(`## Attachments: encryption (bench/attachments)\n\n- date: ${new Date().toISOString()}`);
  console.log(`- CPU: ${os.cpus()[0]?.model ?? "unknown"} x ${os.cpus().length}\n`);
  for (const line of await encryptionTable(10 * MB, RUNS)) console.log(line);
  process.exit(0);
}

const dir = mkdtempSync(join(os.tmpdir(), "bg-bench-attachments-"));
const dbFile = join(dir, "bench.db");

function bytes(size: number, seed: number): Uint8Array<ArrayBuffer> {
  const out = new Uint8Array(size);
  let x = seed;
  for (let i = 0; i < size; i += 4) {
    x = (Math.imul(x, 1103515245) + 12345) >>> 0;
    out[i] = x >>> 24;
  }
  return out;
}

function rssKiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) : 0;
}

/** Samples a process's resident memory every 5 ms while `work` runs; returns the peak (KiB). */
async function peakDuring(pid: number, work: () => Promise<unknown>): Promise<number> {
  let peak = rssKiB(pid);
  const timer = setInterval(() => {
    peak = Math.max(peak, rssKiB(pid));
  }, 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return Math.max(peak, rssKiB(pid));
}

const server = await startServer({
  dbFile,
  logFile: join(dir, "server.log"),
  env: { POW_DIFFICULTY: "1000", VERIFY_THREADS: "1" },
});
const bare = await startListening(join(import.meta.dirname, "bare-server.ts"), join(dir, "bare.log"));
const bareBase = `http://127.0.0.1:${bare.port}`;

try {
  // A helpline, its first supervisor, a help-seeker with a conversation.
  const hl = await createHelplineWithCli(dbFile, { slug: "bench", name: "Bench", tag: 5 });
  const client = (trust: boolean) =>
    createClient({
      baseUrl: server.base,
      origin: BENCH_ORIGIN,
      cookieMode: "jar",
      trustOnFirstUse: trust,
      pins: {},
    });
  await acceptInvite(await client(true), hl.token, {
    username: "vera",
    displayName: "Vera",
    passphrase: "een lange wachtzin voor de bench",
  });
  const seeker: SeekerSession = await startSeeker(await client(true), {
    helplineId: hl.helplineId as HelplineId,
  });
  const { threadId } = await seeker.openThread({ subject: "bench", body: "bench" });
  // Room for the bench: 60 MB files, 16 per message, 10 GB a day.
  const db = createDb({ url: `file:${dbFile}` });
  await db.execute({
    sql: "INSERT INTO attachment_limits (helpline_id, max_file_bytes, max_files_per_message, daily_bytes_per_conversation) VALUES (?, 60000000, 16, 10000000000)",
    args: [hl.helplineId],
  });
  db.close();

  const file = (data: Uint8Array<ArrayBuffer>, i: number) => ({
    data: new Blob([data]),
    name: `f${i}.bin`,
    mediaType: "application/octet-stream",
  });
  const target = { threadId: threadId as ThreadId };

  async function upAndDown(sizes: number[]): Promise<{ up: number; down: number }> {
    const metas: AttachmentMeta[] = [];
    const t0 = performance.now();
    for (let i = 0; i < sizes.length; i++) {
      metas.push(await uploadAttachment(seeker, { target, file: file(bytes(sizes[i]!, i + 1), i) }));
      if (metas.length % 16 === 0 || i === sizes.length - 1) {
        await seeker.reply(threadId, `batch ${i}`, {
          attachments: metas.slice(metas.length - ((metas.length - 1) % 16) - 1),
        });
      }
    }
    const up = performance.now() - t0;
    const t1 = performance.now();
    for (const meta of metas) await downloadAttachment(seeker, { threadId, meta });
    return { up, down: performance.now() - t1 };
  }

  /** The same requests against the bare endpoint: one PUT per 64 KiB chunk (+16), one GET per file. */
  async function bareUpAndDown(sizes: number[]): Promise<{ up: number; down: number }> {
    const t0 = performance.now();
    for (const size of sizes) {
      const padded = planAttachment(await loadSodium(), size, systemRandom(await loadSodium())).paddedSize;
      for (let at = 0; at < padded; at += CHUNK) {
        const n = Math.min(CHUNK, padded - at) + 16;
        const res = await fetch(`${bareBase}/x`, {
          method: "PUT",
          headers: { "content-type": "application/octet-stream" },
          body: new Uint8Array(n),
        });
        await res.json();
      }
    }
    const up = performance.now() - t0;
    const t1 = performance.now();
    for (const size of sizes) {
      const res = await fetch(`${bareBase}/bytes/${size + Math.ceil(size / CHUNK) * 16 + 21}`);
      await res.arrayBuffer();
    }
    return { up, down: performance.now() - t1 };
  }

  const rows: string[][] = [];
  const rate = (bytesTotal: number, ms: number) => bytesTotal / MB / (ms / 1000);
  for (const [label, sizes] of [
    ["1 x 10 MB", [10 * MB]],
    ["100 x 100 KB", Array.from({ length: 100 }, () => 100_000)],
  ] as const) {
    if (process.env.BENCH_MEMORY_ONLY === "1") break;
    const total = sizes.reduce((a, b) => a + b, 0);
    const real = await upAndDown([...sizes]);
    const ceil = await bareUpAndDown([...sizes]);
    for (const dir of ["up", "down"] as const) {
      const r = rate(total, real[dir]);
      const c = rate(total, ceil[dir]);
      rows.push([
        `${label} ${dir === "up" ? "upload" : "download"}`,
        `${(real[dir] / 1000).toFixed(2)} s`,
        `${r.toFixed(1)} MB/s`,
        `${c.toFixed(1)} MB/s`,
        `${(r / c).toFixed(2)}`,
      ]);
    }
  }

  // Memory: the server's resident set while a 10 MB and a 50 MB file go up.
  const mem: string[][] = [];
  // 50 MB twice: a second large upload that does not raise the peak again shows garbage, not growth.
  for (const size of [10 * MB, 50 * MB, 50 * MB]) {
    const data = bytes(size, 99);
    const before = rssKiB(server.pid);
    const peak = await peakDuring(server.pid, () =>
      uploadAttachment(seeker, { target, file: file(data, 99) }),
    );
    mem.push([
      `${size / MB} MB upload`,
      `${(before / 1024).toFixed(0)} MiB`,
      `${(peak / 1024).toFixed(0)} MiB`,
      `+${((peak - before) / 1024).toFixed(0)} MiB`,
    ]);
  }

  // Encryption: the SDK's path in Chromium and in Node, beside bare AEAD (encrypt-table.ts).
  const encryption = await encryptionTable(10 * MB, RUNS);

  const cpus = os.cpus();
  console.log("## Attachments (bench/attachments)\n");
  console.log(`- date: ${new Date().toISOString()}`);
  console.log(`- Node ${process.version} on ${process.platform}/${process.arch}`);
  console.log(
    `- CPU: ${cpus[0]?.model ?? "unknown"} x ${cpus.length} (shared with other work while measured)`,
  );
  console.log(
    "- real server on 127.0.0.1 (embedded libSQL file, group commit), the SDK in this process; file bytes per second",
  );
  console.log("");
  console.log("| transfer | time | through the API | bare Hono, same requests (ceiling) | ratio |");
  console.log("| --- | --- | --- | --- | --- |");
  for (const r of rows) console.log(`| ${r.join(" | ")} |`);
  console.log("");
  console.log("| server memory (VmRSS, sampled every 5 ms) | before | peak during | growth |");
  console.log("| --- | --- | --- | --- |");
  for (const r of mem) console.log(`| ${r.join(" | ")} |`);
  console.log("");
  for (const line of encryption) console.log(line);
} finally {
  await bare.stop();
  await stopServer(server);
  rmSync(dir, { recursive: true, force: true });
}
