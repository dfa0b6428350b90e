/**
 * Pre-encryption for the API benchmark, in worker threads (before any timing): seals message
 * envelopes for open threads, and generates whole conversations of the year's traffic into an NDJSON
 * file (one conversation per line), exactly as help-seekers' and counsellors' clients would.
 */
import { createWriteStream } from "node:fs";
import { parentPort } from "node:worker_threads";
import {
  type BoxKeyPair,
  type EpochKeys,
  loadSodium,
  parseRoster,
  type RosterBytes,
  type SignKeyPair,
  systemRandom,
} from "@briefgeheim/crypto";
import { buildThread, messageText, sealMessage } from "../../tests/support/api-world.js";

export interface PostJob {
  threadId: string;
  keys: EpochKeys;
  sender: SignKeyPair;
  /** The first seq to seal (the thread's next one). */
  fromSeq: number;
  count: number;
}

export interface YearJob {
  helplineId: string;
  rosterBytes: Uint8Array;
  seekers: { messageSign: SignKeyPair; box: BoxKeyPair }[];
  counsellors: { signing: SignKeyPair }[];
  /** Conversations [from, to) of the year. */
  from: number;
  to: number;
  meanMessages: number;
  outFile: string;
}

export type WorkerRequest =
  | { kind: "posts"; helplineId: string; jobs: PostJob[] }
  | ({ kind: "year" } & YearJob);

/**
 * One conversation of the year, one line of the file, tab-separated (base64url and JSON bodies hold no
 * tabs, so the driver splits instead of parsing): help-seeker index, counsellor index, thread id, the
 * `POST /api/threads` body, then each later message as "s" or "c" (who sends it) followed directly by
 * its `POST .../envelopes` body.
 */
export function conversationLine(
  s: number,
  c: number,
  threadId: string,
  open: string,
  msgs: { from: "s" | "c"; body: string }[],
): string {
  return [String(s), String(c), threadId, open, ...msgs.map((m) => m.from + m.body)].join("\t");
}

/** A deterministic pseudo-random number in [0, 1) for item `i` and stream `k`. */
export function unit(i: number, k: number): number {
  let x = (Math.imul(i + 1, 0x9e3779b1) ^ Math.imul(k + 7, 0x85ebca6b)) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, 0x7feb352d) >>> 0;
  x ^= x >>> 15;
  x = Math.imul(x, 0x846ca68b) >>> 0;
  x ^= x >>> 16;
  return (x >>> 0) / 2 ** 32;
}

/** Body length of message `i`: skewed towards short (median about 500 characters, mean 1,300, up to 8,000). */
export function bodyChars(i: number): number {
  const u = unit(i, 1);
  return Math.floor(200 * 40 ** (u * u));
}

/** Messages in conversation `i`: 1 + a geometric tail, capped at 60 (mean close to `mean`). */
export function messagesIn(i: number, mean: number): number {
  const u = unit(i, 2);
  const extra = Math.floor(-Math.log(1 - u) * (mean - 0.5));
  return Math.min(60, 1 + extra);
}

const sodiumReady = loadSodium();

parentPort?.on("message", async (req: WorkerRequest) => {
  const sodium = await sodiumReady;
  const random = systemRandom(sodium);
  if (req.kind === "posts") {
    const out: string[][] = [];
    for (const job of req.jobs) {
      const bodies: string[] = [];
      for (let k = 0; k < job.count; k++) {
        const seq = job.fromSeq + k;
        const envelope = sealMessage(sodium, random, {
          helplineId: req.helplineId,
          threadId: job.threadId,
          keys: job.keys,
          sender: job.sender,
          seq,
          text: messageText(seq, bodyChars(seq * 7919 + job.threadId.charCodeAt(0))),
        });
        bodies.push(JSON.stringify({ id: Buffer.from(random(16)).toString("base64url"), envelope }));
      }
      out.push(bodies);
    }
    parentPort!.postMessage({ bodies: out });
    return;
  }
  const roster = parseRoster(sodium, req.rosterBytes as RosterBytes);
  const file = createWriteStream(req.outFile);
  let messages = 0;
  let envelopeBytes = 0;
  for (let i = req.from; i < req.to; i++) {
    const s = i % req.seekers.length;
    const c = i % req.counsellors.length;
    const seeker = req.seekers[s]!;
    const counsellor = req.counsellors[c]!;
    const t = buildThread(
      sodium,
      random,
      { helplineId: req.helplineId, roster },
      seeker,
      messageText(i, bodyChars(i * 31)),
    );
    envelopeBytes += (t.request.envelope.length * 3) / 4;
    const n = messagesIn(i, req.meanMessages);
    const msgs: { from: "s" | "c"; body: string }[] = [];
    let seekerSeq = 1;
    let staffSeq = 0;
    for (let m = 1; m < n; m++) {
      // The counsellor answers, the help-seeker writes back, and so on.
      const fromStaff = m % 2 === 1;
      const seq = fromStaff ? ++staffSeq : ++seekerSeq;
      const envelope = sealMessage(sodium, random, {
        helplineId: req.helplineId,
        threadId: t.threadId,
        keys: t.keys,
        sender: fromStaff ? counsellor.signing : seeker.messageSign,
        seq,
        text: messageText(i + m, bodyChars(i * 31 + m)),
      });
      envelopeBytes += (envelope.length * 3) / 4;
      msgs.push({
        from: fromStaff ? "c" : "s",
        body: JSON.stringify({ id: Buffer.from(random(16)).toString("base64url"), envelope }),
      });
    }
    messages += n;
    const line = conversationLine(s, c, t.threadId, JSON.stringify(t.request), msgs);
    if (!file.write(`${line}\n`)) await new Promise<void>((r) => file.once("drain", () => r()));
  }
  await new Promise<void>((resolve, reject) => file.end((e?: Error | null) => (e ? reject(e) : resolve())));
  parentPort!.postMessage({ conversations: req.to - req.from, messages, envelopeBytes });
});
