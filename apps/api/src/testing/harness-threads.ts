/**
 * Thread helpers of the test harness (harness.ts): build, open and extend threads the way the browser
 * would, and open the caller's current epoch keys from the server's answer.
 */
import {
  type BoxKeyPair,
  type EnvelopeHead,
  type EnvelopeKind,
  type EpochKeys,
  type EpochRecord,
  type EpochRecordBytes,
  type GrantBytes,
  type HelplineId,
  openGrant,
  openThread,
  parseEnvelope,
  parseEpochRecord,
  type RandomSource,
  type SignKeyPair,
  type Sodium,
  sealEnvelope,
  type ThreadId,
} from "@briefgeheim/crypto";
import type { ServerCrypto } from "../crypto/index.js";
import { newId } from "../deps.js";
import type { HelplineFixture, RequestFn, Seeker, TestClock } from "./harness-types.js";

export function threadHelpers(ctx: {
  sodium: Sodium;
  crypto: ServerCrypto;
  clock: TestClock;
  random: RandomSource;
  b64: (bytes: Uint8Array) => string;
  request: RequestFn;
}) {
  const { sodium, crypto, clock, random, b64, request } = ctx;

  /** Builds (does not send) a new thread: epoch 0, grants, and the first message. */
  function buildThread(h: HelplineFixture, seeker: Seeker, subject = "Vraag", body = "Hallo") {
    const threadId = newId();
    const e0 = openThread(sodium, {
      helplineId: h.id as HelplineId,
      threadId: threadId as ThreadId,
      roster: h.roster,
      seeker: { signing: seeker.messageSign, box: seeker.box },
      random,
      now: clock.now(),
    });
    const envelope = sealEnvelope(sodium, {
      helplineId: h.id as HelplineId,
      threadId: threadId as ThreadId,
      epochKeys: e0.keys,
      kind: "message",
      sender: seeker.messageSign,
      seq: 1,
      heads: [],
      createdAt: clock.now(),
      payload: { subject, body, attachments: [] },
      random,
    });
    return {
      threadId,
      e0,
      request: { threadId, record: b64(e0.record), grants: e0.grants.map(b64), envelope: b64(envelope) },
    };
  }

  async function openNewThread(h: HelplineFixture, seeker: Seeker, subject?: string, body?: string) {
    const t = buildThread(h, seeker, subject, body);
    const res = await request("POST", "/api/threads", { cookie: seeker.cookie, body: t.request });
    if (res.status !== 200) throw new Error(`open thread ${res.status} ${JSON.stringify(res.body)}`);
    return { threadId: t.threadId, record: t.e0.parsed, keys: t.e0.keys };
  }

  function envelope(o: {
    h: HelplineFixture;
    threadId: string;
    keys: EpochKeys;
    sender: SignKeyPair;
    seq: number;
    kind?: EnvelopeKind;
    body?: string;
    /** What the sender had seen (PROTOCOL.md §5); the server does not check them. Default none. */
    heads?: readonly EnvelopeHead[];
  }): string {
    return b64(
      sealEnvelope(sodium, {
        helplineId: o.h.id as HelplineId,
        threadId: o.threadId as ThreadId,
        epochKeys: o.keys,
        kind: o.kind ?? "message",
        sender: o.sender,
        seq: o.seq,
        heads: o.heads ?? [],
        createdAt: clock.now(),
        payload: { subject: "", body: o.body ?? "tekst", attachments: [] },
        random,
      }),
    );
  }

  /** The caller's keys of the thread's current epoch, opened from the server's answer. */
  async function currentKeys(threadId: string, who: { cookie?: string; box: BoxKeyPair }) {
    const res = await request("GET", `/api/threads/${threadId}`, { cookie: who.cookie });
    if (res.status !== 200) throw new Error(`thread ${res.status}`);
    const records: EpochRecord[] = res.body.records.map((r: string) =>
      parseEpochRecord(sodium, crypto.bytes(r) as EpochRecordBytes),
    );
    const record = records.at(-1)!;
    const grantText = res.body.grants.at(-1) as string | undefined;
    const keys = grantText
      ? openGrant(sodium, crypto.bytes(grantText) as GrantBytes, record, who.box)
      : undefined;
    return { record, keys, records };
  }

  /**
   * The thread's heads from the heads endpoint (newest envelope per stream and sender), as an epoch
   * record must name them. Tests trust them; the SDK verifies them (`loadHeads`).
   */
  async function currentHeads(threadId: string, who: { cookie?: string }): Promise<EnvelopeHead[]> {
    const res = await request("GET", `/api/threads/${threadId}/heads`, { cookie: who.cookie });
    if (res.status !== 200) throw new Error(`heads ${res.status}`);
    return res.body.envelopes.map((e: { envelope: string }) => {
      const env = parseEnvelope(sodium, crypto.bytes(e.envelope));
      const stream = env.kind === "note" ? ("staff" as const) : ("main" as const);
      return { stream, signPk: env.senderSignPk, seq: env.seq, hash: env.hash, pastDamaged: false };
    });
  }

  return { buildThread, openNewThread, envelope, currentKeys, currentHeads };
}
