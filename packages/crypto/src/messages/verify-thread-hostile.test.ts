import { describe, expect, it } from "vitest";
import { filledSigner, testReader } from "../../test-support/envelope-fixtures.js";
import type {
  EnvelopeBytes,
  EpochKey,
  HelplineId,
  SignKeyPair,
  StaffEpochKey,
  ThreadId,
} from "../core/brand.js";
import { concat } from "../core/codec.js";
import { newId } from "../core/ids.js";
import { LABEL } from "../core/labels.js";
import { seededRandom } from "../core/random.js";
import { signWithLabel } from "../core/sign.js";
import { loadSodium } from "../core/sodium.js";
import type { EnvelopeHead, EnvelopeKind, EpochKeys } from "../core/types.js";
import { sealEnvelope } from "./envelope.js";
import { encodeEnvelopeHeader, envelopeSignedPart, parseEnvelope } from "./envelope-codec.js";
import { type ThreadEpoch, verifyThread } from "./verify-thread.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(52));
const helplineId = newId<HelplineId>(sodium, random);
const threadId = newId<ThreadId>(sodium, random);
const seeker = filledSigner(sodium, 1);
const intake = filledSigner(sodium, 2);
const counsellor = filledSigner(sodium, 3);
const outsider = filledSigner(sodium, 9);
const k0: EpochKeys = { epoch: 0, key: random(32) as EpochKey };
const k1: EpochKeys = { epoch: 1, key: random(32) as EpochKey, staffKey: random(32) as StaffEpochKey };
const readers0 = [testReader(sodium, random, "seeker", seeker), testReader(sodium, random, "staff", intake)];
const readers1 = [
  testReader(sodium, random, "seeker", seeker),
  testReader(sodium, random, "staff", counsellor),
];
const staffEpochs = new Map<number, ThreadEpoch>([
  [0, { readers: readers0, keys: k0 }],
  [1, { readers: readers1, keys: k1 }],
]);

/** A post naming, per sender and stream, the newest of `seen`. */
function post(
  sender: SignKeyPair,
  kind: EnvelopeKind,
  keys: EpochKeys,
  seq: number,
  seen: readonly EnvelopeBytes[],
  thread = threadId,
): EnvelopeBytes {
  const newest = new Map<string, EnvelopeHead>();
  for (const bytes of seen) {
    const env = parseEnvelope(sodium, bytes);
    const stream = env.kind === "note" ? "staff" : "main";
    // Only a note names notes: the help-seeker reads none, and no staff message here follows a note.
    if (stream === "staff" && kind !== "note") continue;
    const key = `${stream}:${sodium.to_hex(env.senderSignPk)}`;
    const had = newest.get(key);
    if (had === undefined || env.seq > had.seq)
      newest.set(key, { stream, signPk: env.senderSignPk, seq: env.seq, hash: env.hash, pastDamaged: false });
  }
  return sealEnvelope(sodium, {
    helplineId,
    threadId: thread,
    epochKeys: keys,
    kind,
    sender,
    seq,
    heads: [...newest.values()],
    createdAt: 1_700_000_000_000 + seq,
    payload: { subject: "", body: `${kind} ${seq}`, attachments: [] },
    random,
  });
}

const s1 = post(seeker, "message", k0, 1, []);
const i1 = post(intake, "message", k0, 1, [s1]);
const c1 = post(counsellor, "message", k1, 1, [s1, i1]);
const n1 = post(counsellor, "note", k1, 1, [s1, i1, c1]);
const s2 = post(seeker, "message", k1, 2, [s1, i1, c1]);
const valid = [s1, i1, c1, n1, s2];
const check = (
  envelopes: readonly Uint8Array[],
  more: { remembered?: EnvelopeHead[] } = {},
  epochs = staffEpochs,
) => verifyThread(sodium, { helplineId, threadId, envelopes, epochs, ...more });
const at = (r: ReturnType<typeof check>) => r.problems.map((p) => `${p.reason}@${p.index}`);

describe("verifyThread against a hostile server", () => {
  it("the thread is clean as written", () => {
    expect(at(check(valid))).toEqual([]);
  });

  it("a replayed copy of an envelope is DUPLICATE and is not shown a second time (no payload)", () => {
    const result = check([...valid, c1]);
    expect(at(result)).toEqual(["DUPLICATE@5"]);
    expect(result.items[5]!.ok).toBe(false);
    expect("payload" in result.items[5]!).toBe(false);
    expect(result.items[2]!.payload!.body).toBe("message 1");
  });

  it("problems come out by position: a withheld envelope (-1) before garbage slipped in at 1", () => {
    const gone = parseEnvelope(sodium, s2);
    const remembered = [
      { stream: "main" as const, signPk: seeker.publicKey, seq: 2, hash: gone.hash, pastDamaged: false },
    ];
    const result = check([s1, new Uint8Array([1, 2, 3]), i1, c1, n1], { remembered });
    expect(at(result)).toEqual(["WITHHELD@-1", "BAD_SIGNATURE@1"]);
  });

  it("an outsider's envelope moved in from another thread keeps both problems on its item", () => {
    const other = newId<ThreadId>(sodium, random);
    const result = check([...valid, post(outsider, "message", k1, 1, valid, other)]);
    expect(at(result)).toEqual(["WRONG_THREAD@5", "UNKNOWN_SENDER@5"]);
    expect(result.items[5]!.problems.map((p) => p.reason)).toEqual(["WRONG_THREAD", "UNKNOWN_SENDER"]);
  });

  it("an envelope of another helpline's thread that carries the same thread id is WRONG_THREAD", () => {
    // A server that gave a thread of another helpline this thread's id, and moves a reader's post over.
    const otherHelpline = newId<HelplineId>(sodium, random);
    const moved = sealEnvelope(sodium, {
      helplineId: otherHelpline,
      threadId,
      epochKeys: k1,
      kind: "message",
      sender: counsellor,
      seq: 2,
      heads: [],
      createdAt: 1_700_000_000_002,
      payload: { subject: "", body: "elders", attachments: [] },
      random,
    });
    expect(at(check([...valid, moved]))).toEqual(["WRONG_THREAD@5"]);
  });

  it("a note without a staff key to open it has no payload at all", () => {
    const seekerEpochs = new Map(staffEpochs);
    seekerEpochs.set(1, { readers: readers1, keys: { epoch: 1, key: k1.key } });
    const result = check(valid, {}, seekerEpochs);
    expect(at(result)).toEqual([]);
    expect("payload" in result.items[3]!).toBe(false);
    expect(result.items[4]!.payload!.body).toBe("message 2");
  });

  it("a note in epoch 0 (which has no staff key) is UNKNOWN_EPOCH, even signed by a reader of epoch 0", () => {
    // The SDK refuses to seal it; a hostile client signs the header itself (the ciphertext is noise).
    const header = encodeEnvelopeHeader(sodium, {
      helplineId,
      threadId,
      epoch: 0,
      kind: "note",
      senderSignPk: intake.publicKey,
      seq: 1,
      createdAt: 1_700_000_000_001,
      heads: [],
    });
    const signed = envelopeSignedPart(header, random(64));
    const note0 = concat(signed, signWithLabel(sodium, LABEL.envelope, signed, intake.secretKey));
    expect(at(check([...valid, note0]))).toEqual(["UNKNOWN_EPOCH@5"]);
  });
});
