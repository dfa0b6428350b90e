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
import { CryptoError, isCryptoError } from "../core/errors.js";
import { newId } from "../core/ids.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import type { EnvelopeHead, EnvelopeKind, EpochKeys, Reader } from "../core/types.js";
import { envelopeStream, openEnvelope, sealEnvelope } from "./envelope.js";
import { parseEnvelope } from "./envelope-codec.js";
import {
  type ThreadEpoch,
  type ThreadProblemReason,
  type VerifyThreadInput,
  verifyThread,
  verifyThreadOrThrow,
} from "./verify-thread.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(51));

const signer = (seed: number): SignKeyPair => filledSigner(sodium, seed);
const reader = (kind: Reader["kind"], who: SignKeyPair): Reader => testReader(sodium, random, kind, who);

const helplineId = newId<HelplineId>(sodium, random);
const threadId = newId<ThreadId>(sodium, random);
const seeker = signer(1);
const intake = signer(2);
const counsellor = signer(3);
const supervisor = signer(4);
const outsider = signer(9);
const k0: EpochKeys = { epoch: 0, key: random(32) as EpochKey };
const k1: EpochKeys = { epoch: 1, key: random(32) as EpochKey, staffKey: random(32) as StaffEpochKey };
const readers0 = [reader("seeker", seeker), reader("staff", intake), reader("staff", supervisor)];
const readers1 = [reader("seeker", seeker), reader("staff", counsellor), reader("staff", supervisor)];
const staffEpochs = new Map<number, ThreadEpoch>([
  [0, { readers: readers0, keys: k0 }],
  [1, { readers: readers1, keys: k1 }],
]);
const seekerEpochs = new Map<number, ThreadEpoch>([
  [0, { readers: readers0, keys: k0 }],
  [1, { readers: readers1, keys: { epoch: 1, key: k1.key } }],
]);
interface PostOptions {
  readonly thread?: ThreadId;
  readonly body?: string;
}
/** The heads an author names after seeing `seen`: per (stream, sender) the highest seq. A help-seeker sees only the main stream. */
function headsOf(sender: SignKeyPair, seen: readonly EnvelopeBytes[]): EnvelopeHead[] {
  const newest = new Map<string, EnvelopeHead>();
  for (const bytes of seen) {
    const env = parseEnvelope(sodium, bytes);
    const stream = envelopeStream(env.kind);
    if (sender === seeker && stream === "staff") continue;
    const key = `${stream}:${sodium.to_hex(env.senderSignPk)}`;
    const had = newest.get(key);
    if (had === undefined || env.seq > had.seq) {
      newest.set(key, { stream, signPk: env.senderSignPk, seq: env.seq, hash: env.hash, pastDamaged: false });
    }
  }
  return [...newest.values()];
}
function post(
  sender: SignKeyPair,
  kind: EnvelopeKind,
  keys: EpochKeys,
  seq: number,
  seen: readonly EnvelopeBytes[],
  options: PostOptions = {},
): EnvelopeBytes {
  return sealEnvelope(sodium, {
    helplineId,
    threadId: options.thread ?? threadId,
    epochKeys: keys,
    kind,
    sender,
    seq,
    heads: headsOf(sender, seen),
    createdAt: 1_700_000_000_000 + seq,
    payload: {
      subject: "",
      body: options.body ?? (kind === "status" ? "waiting" : `${kind} ${seq}`),
      attachments: [],
    },
    random,
  });
}

// A valid thread in server order: two senders writing concurrently, an epoch change, notes, a status.
const s1 = post(seeker, "message", k0, 1, []);
const i1 = post(intake, "message", k0, 1, [s1]);
const c1 = post(counsellor, "message", k1, 1, [s1, i1]);
const s2 = post(seeker, "message", k1, 2, [s1, i1]); // concurrent with c1: the seeker had not seen it
const n1 = post(counsellor, "note", k1, 1, [s1, i1, c1]);
const v1 = post(supervisor, "note", k1, 1, [s1, i1, c1, s2, n1]);
const c2 = post(counsellor, "message", k1, 2, [s1, i1, c1, s2, n1, v1]);
const c3 = post(counsellor, "status", k1, 3, [s1, i1, c1, s2, n1, v1, c2]);
const s3 = post(seeker, "message", k1, 3, [s1, i1, c1, s2, c2]); // concurrent with c3
const n2 = post(counsellor, "note", k1, 2, [s1, i1, c1, s2, n1, v1, c2, c3, s3]);
const c4 = post(counsellor, "message", k1, 4, [s1, i1, c1, s2, n1, v1, c2, c3, s3, n2]);
const valid = [s1, i1, c1, s2, n1, v1, c2, c3, s3, n2, c4];

function check(envelopes: readonly Uint8Array[], epochs = staffEpochs) {
  return verifyThread(sodium, { helplineId, threadId, envelopes, epochs });
}
function reasonsAt(envelopes: readonly Uint8Array[], epochs = staffEpochs): string[] {
  return check(envelopes, epochs).problems.map((p) => `${p.reason}@${p.index}`);
}
function only(reason: ThreadProblemReason, ...indexes: number[]): string[] {
  return indexes.map((i) => `${reason}@${i}`);
}

describe("verifyThread: valid threads", () => {
  it("reports ok for an interleaved two-sender thread with concurrent posts, notes and an epoch change", () => {
    const result = check(valid);
    expect(result.problems).toEqual([]);
    expect(result.ok).toBe(true);
    expect(result.items.map((i) => i.index)).toEqual(valid.map((_, i) => i));
    expect(result.items.every((i) => i.ok && i.payload !== undefined)).toBe(true);
    expect(result.items[4]!.stream).toBe("staff");
    expect(result.items[7]!.payload!.body).toBe("waiting");
    expect(result.items[10]!.payload!.body).toBe("message 4");
    expect(
      verifyThreadOrThrow(sodium, { helplineId, threadId, envelopes: valid, epochs: staffEpochs }).ok,
    ).toBe(true);
  });

  it("a help-seeker verifies a thread with notes without problems, and cannot decrypt the notes", () => {
    const result = check(valid, seekerEpochs);
    expect(result.problems).toEqual([]);
    for (const item of result.items) {
      expect(item.ok).toBe(true);
      expect(item.payload === undefined).toBe(item.stream === "staff");
    }
    expect(() => openEnvelope(sodium, n1, { epoch: 1, key: k1.key })).toThrowError(CryptoError);
    expect(result.items.filter((i) => i.payload !== undefined)).toHaveLength(8);
  });

  it("verifies signatures and links without any keys", () => {
    const noKeys = new Map([...staffEpochs].map(([e, v]) => [e, { readers: v.readers }]));
    const result = check(valid, noKeys);
    expect(result.ok).toBe(true);
    expect(result.items.every((i) => i.payload === undefined)).toBe(true);
  });
});

describe("verifyThread: each reason of PROTOCOL.md §5", () => {
  it("REORDERED: a sender's posts swapped, or a post moved before one it names", () => {
    const swapped = [...valid];
    [swapped[6], swapped[7]] = [c3, c2];
    expect(reasonsAt(swapped)).toEqual(only("REORDERED", 6));
    const noteEarly = [s1, i1, c1, s2, n1, n2, v1, c2, c3, s3, c4];
    expect(reasonsAt(noteEarly)).toEqual(only("REORDERED", 5));
    const early = [s1, i1, c1, s2, n1, v1, s3, c2, c3, n2, c4];
    expect(reasonsAt(early)).toEqual(only("REORDERED", 6));
  });

  it("DUPLICATE: the same envelope replayed, or the same sender and seq twice", () => {
    expect(reasonsAt([...valid, c2])).toEqual(only("DUPLICATE", 11));
    const resent = post(counsellor, "message", k1, 2, [s1, i1, c1, s2], { body: "other text" });
    expect(reasonsAt([...valid, resent])).toEqual(only("DUPLICATE", 11));
  });

  it("SEQ_GAP and MISSING: a post dropped from the middle of a sender's sequence", () => {
    const dropped = valid.filter((e) => e !== c2);
    const result = check(dropped);
    expect(result.problems).toContainEqual(expect.objectContaining({ reason: "SEQ_GAP", index: 6 }));
    expect(result.problems).toContainEqual(expect.objectContaining({ reason: "MISSING", index: 6 }));
    // The help-seeker had seen c2 too: s3 names it.
    expect(result.problems).toContainEqual(expect.objectContaining({ reason: "MISSING", index: 7 }));
    expect(result.items[6]!.ok).toBe(false);
    // The first post of a sender missing is a gap too.
    expect(reasonsAt(valid.filter((e) => e !== s1))).toContain("SEQ_GAP@2");
  });

  it("MISSING: a sender's only post dropped after others had seen it", () => {
    // The intake reader wrote only once, so its seq shows nothing: only the heads of others do.
    expect(reasonsAt(valid.filter((e) => e !== i1))).toEqual(only("MISSING", 1, 2, 3, 4, 5, 6, 7, 8, 9));
  });

  it("MISSING even for the newest post: the server drops it and the sender writes again", () => {
    // v1 was the supervisor's newest note; the supervisor's device remembers it and writes v2.
    const v2 = post(supervisor, "note", k1, 2, valid);
    const shown = [...valid.filter((e) => e !== v1), v2];
    expect(reasonsAt(shown)).toEqual([...only("MISSING", 5, 6, 8, 9), "SEQ_GAP@10", "MISSING@10"]);
  });

  it("WITHHELD: an envelope this device saw is not served any more", () => {
    const env = parseEnvelope(sodium, c4);
    const remembered: EnvelopeHead[] = [
      { stream: "main", signPk: counsellor.publicKey, seq: 4, hash: env.hash, pastDamaged: false },
    ];
    const result = verifyThread(sodium, {
      helplineId,
      threadId,
      envelopes: valid.slice(0, -1),
      epochs: staffEpochs,
      remembered,
    });
    expect(result.problems.map((p) => `${p.reason}@${p.index}`)).toEqual(["WITHHELD@-1"]);
    expect(result.items.every((i) => i.ok)).toBe(true);
  });

  it("AFTER_EPOCH_CHANGE: a reader left out by the claim posts seq 2 in epoch 0", () => {
    const epochs = new Map(staffEpochs);
    // The claim's record names the heads the claimer saw: s1 and i1.
    epochs.set(1, { ...staffEpochs.get(1)!, heads: headsOf(counsellor, [s1, i1]) });
    expect(reasonsAt(valid, epochs)).toEqual([]);
    const late = post(intake, "message", k0, 2, [s1, i1]);
    expect(reasonsAt([...valid, late], epochs)).toEqual(only("AFTER_EPOCH_CHANGE", 11));
  });

  it("WRONG_THREAD: an envelope moved in from another thread", () => {
    const other = newId<ThreadId>(sodium, random);
    const moved = post(seeker, "message", k1, 4, valid, { thread: other });
    expect(reasonsAt([...valid, moved])).toEqual(only("WRONG_THREAD", 11));
  });

  it("UNKNOWN_SENDER: a signer who is not a reader of the epoch, or a help-seeker writing a note", () => {
    expect(reasonsAt([...valid, post(outsider, "message", k1, 1, valid)])).toEqual(
      only("UNKNOWN_SENDER", 11),
    );
    // The intake reader read epoch 0 but not epoch 1.
    expect(reasonsAt([...valid, post(intake, "message", k1, 2, valid)])).toEqual(only("UNKNOWN_SENDER", 11));
    expect(reasonsAt([...valid, post(seeker, "note", k1, 1, [])])).toEqual(only("UNKNOWN_SENDER", 11));
  });

  it("UNKNOWN_EPOCH: an epoch without a verified record", () => {
    const k2: EpochKeys = { epoch: 2, key: random(32) as EpochKey, staffKey: random(32) as StaffEpochKey };
    expect(reasonsAt([...valid, post(counsellor, "message", k2, 5, valid)])).toEqual(
      only("UNKNOWN_EPOCH", 11),
    );
  });

  it("STALE_EPOCH: a post in an old epoch naming a newer one (a removed reader writing on)", () => {
    expect(reasonsAt([...valid, post(intake, "message", k0, 2, valid)])).toEqual(only("STALE_EPOCH", 11));
  });

  it("SENDER_FORK: a sender's next post does not descend from its previous one", () => {
    const behind = valid.filter((e) => e !== c4 && e !== c3);
    expect(reasonsAt([...valid, post(counsellor, "message", k1, 5, behind)])).toEqual(
      only("SENDER_FORK", 11),
    );
    expect(reasonsAt([...valid, post(counsellor, "message", k1, 5, [])])).toEqual(only("SENDER_FORK", 11));
    // Another envelope under a seq someone had seen: the head names c4's seq with another hash.
    const other = post(counsellor, "message", k1, 4, valid.slice(0, -1), { body: "other" });
    const after = post(seeker, "message", k1, 4, [...valid.slice(0, -1), other]);
    expect(reasonsAt([...valid, after])).toEqual(only("SENDER_FORK", 11));
  });

  it("BAD_SIGNATURE: a flipped signature bit, or bytes that are not an envelope", () => {
    const forged = c4.slice();
    forged[forged.length - 1]! ^= 1;
    const result = check([...valid.slice(0, -1), forged, new Uint8Array([1, 4, 0])]);
    expect(result.problems.map((p) => `${p.reason}@${p.index}`)).toEqual(only("BAD_SIGNATURE", 10, 11));
    expect(result.items).toHaveLength(11);
    expect(result.items[10]!.payload).toBeUndefined();
  });

  it("DECRYPT_FAILED: a signed post whose ciphertext does not open under the epoch key", () => {
    const wrongKey: EpochKeys = { epoch: 1, key: random(32) as EpochKey };
    const bad = post(counsellor, "message", wrongKey, 5, valid);
    expect(reasonsAt([...valid, bad])).toEqual(only("DECRYPT_FAILED", 11));
    expect(reasonsAt([...valid, bad], seekerEpochs)).toEqual(only("DECRYPT_FAILED", 11));
  });

  it("verifyThreadOrThrow throws THREAD_INVALID with the problems as details", () => {
    const input: VerifyThreadInput = { helplineId, threadId, envelopes: [...valid, c2], epochs: staffEpochs };
    let caught: unknown;
    try {
      verifyThreadOrThrow(sodium, input);
    } catch (e) {
      caught = e;
    }
    expect(isCryptoError(caught, "THREAD_INVALID")).toBe(true);
    expect((caught as CryptoError).details).toEqual(verifyThread(sodium, input).problems);
  });
});

describe("verifyThread: one damaged envelope does not break the thread (issue 8, item 5)", () => {
  it("flags the corrupted envelope only; later envelopes of both sides verify; continuing past it is shown", () => {
    const corrupted = c2.slice();
    corrupted[corrupted.length - 80]! ^= 1; // one byte of the ciphertext
    // The help-seeker saw the damaged copy: names c1 as the counsellor's newest, flag set.
    const damaged = parseEnvelope(sodium, corrupted);
    expect(damaged.seq).toBe(2);
    const c1Env = parseEnvelope(sodium, c1);
    const s3b = sealEnvelope(sodium, {
      helplineId,
      threadId,
      epochKeys: { epoch: 1, key: k1.key },
      kind: "message",
      sender: seeker,
      seq: 3,
      heads: [
        ...headsOf(seeker, [s1, i1, s2]),
        { stream: "main", signPk: counsellor.publicKey, seq: 1, hash: c1Env.hash, pastDamaged: true },
      ],
      createdAt: 1_700_000_000_003,
      payload: { subject: "", body: "past the damage", attachments: [] },
      random,
    });
    // The counsellor had the good copy and goes on from it.
    const c3b = post(counsellor, "message", k1, 3, [s1, i1, c1, s2, n1, v1, c2, s3b]);
    const result = check([s1, i1, c1, s2, n1, v1, corrupted, s3b, c3b]);
    expect(result.problems.map((p) => `${p.reason}@${p.index}`)).toEqual(["BAD_SIGNATURE@6"]);
    expect(result.items[6]!.ok).toBe(false);
    expect(result.items[7]!.ok && result.items[8]!.ok).toBe(true);
    expect(result.items[7]!.payload!.body).toBe("past the damage");
    expect(result.items[7]!.continuesPastDamaged).toBe(true);
    expect(result.items[8]!.continuesPastDamaged).toBe(false);
  });
});
