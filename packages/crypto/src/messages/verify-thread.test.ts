import { describe, expect, it } from "vitest";
import type {
  BoxPublicKey,
  EnvelopeBytes,
  EpochKey,
  HelplineId,
  MemberId,
  SignKeyPair,
  SignPublicKey,
  SignSecretKey,
  StaffEpochKey,
  ThreadId,
} from "../core/brand.js";
import { CryptoError, isCryptoError } from "../core/errors.js";
import { newId, SEEKER_MEMBER_ID } from "../core/ids.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import type { EnvelopeKind, EpochKeys, Reader } from "../core/types.js";
import { openEnvelope, sealEnvelope } from "./envelope.js";
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

function signer(seed: number): SignKeyPair {
  const kp = sodium.crypto_sign_seed_keypair(new Uint8Array(32).fill(seed));
  return { publicKey: kp.publicKey as SignPublicKey, secretKey: kp.privateKey as SignSecretKey };
}
function reader(kind: Reader["kind"], who: SignKeyPair): Reader {
  return {
    kind,
    memberId: kind === "seeker" ? SEEKER_MEMBER_ID : newId<MemberId>(sodium, random),
    signPk: who.publicKey,
    boxPk: random(32) as BoxPublicKey,
  };
}

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
const ZERO = new Uint8Array(32);

interface PostOptions {
  readonly thread?: ThreadId;
  readonly body?: string;
}
function post(
  sender: SignKeyPair,
  kind: EnvelopeKind,
  keys: EpochKeys,
  seq: number,
  prev: EnvelopeBytes | null,
  options: PostOptions = {},
): EnvelopeBytes {
  return sealEnvelope(sodium, {
    helplineId,
    threadId: options.thread ?? threadId,
    epochKeys: keys,
    kind,
    sender,
    seq,
    prevEnvelopeHash: prev === null ? ZERO : parseEnvelope(sodium, prev).hash,
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
const s1 = post(seeker, "message", k0, 1, null);
const i1 = post(intake, "message", k0, 1, s1);
const c1 = post(counsellor, "message", k1, 1, i1);
const s2 = post(seeker, "message", k1, 2, i1); // concurrent with c1: the seeker had not seen it
const n1 = post(counsellor, "note", k1, 1, null);
const v1 = post(supervisor, "note", k1, 1, n1);
const c2 = post(counsellor, "message", k1, 2, s2);
const c3 = post(counsellor, "status", k1, 3, c2);
const s3 = post(seeker, "message", k1, 3, c2); // concurrent with c3
const n2 = post(counsellor, "note", k1, 2, v1);
const c4 = post(counsellor, "message", k1, 4, s3);
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
  it("REORDERED: a sender's posts swapped, or a post moved before the one it links to", () => {
    const swapped = [...valid];
    [swapped[6], swapped[7]] = [c3, c2];
    expect(reasonsAt(swapped)).toEqual(only("REORDERED", 6));
    const noteEarly = [s1, i1, c1, s2, n1, n2, v1, c2, c3, s3, c4];
    expect(reasonsAt(noteEarly)).toEqual(only("REORDERED", 5));
    // s3 moved before c2, which it links to. The counsellor's c4 then links (to s3) to a point before its
    // own c3: from the server's order that is also a fork, and both are reported.
    const early = [s1, i1, c1, s2, n1, v1, s3, c2, c3, n2, c4];
    expect(reasonsAt(early)).toEqual(["REORDERED@6", "SENDER_FORK@10"]);
  });

  it("DUPLICATE: the same envelope replayed, or the same sender and seq twice", () => {
    expect(reasonsAt([...valid, c2])).toEqual(only("DUPLICATE", 11));
    const resent = post(counsellor, "message", k1, 2, c4, { body: "other text" });
    expect(reasonsAt([...valid, resent])).toEqual(only("DUPLICATE", 11));
  });

  it("SEQ_GAP: a post dropped from the middle of a sender's sequence", () => {
    const dropped = valid.filter((e) => e !== c2);
    const result = check(dropped);
    expect(result.problems).toContainEqual(expect.objectContaining({ reason: "SEQ_GAP", index: 6 }));
    expect(result.items[6]!.ok).toBe(false);
    // The first post of a sender missing is a gap too.
    expect(reasonsAt(valid.filter((e) => e !== s1))).toContain("SEQ_GAP@2");
  });

  it("BROKEN_LINK: a post dropped that others linked to", () => {
    // The intake reader wrote only once, so its seq shows nothing: only the links do.
    expect(reasonsAt(valid.filter((e) => e !== i1))).toEqual(only("BROKEN_LINK", 1, 2));
  });

  it("WRONG_THREAD: an envelope moved in from another thread", () => {
    const other = newId<ThreadId>(sodium, random);
    const moved = post(seeker, "message", k1, 4, s3, { thread: other });
    expect(reasonsAt([...valid, moved])).toEqual(only("WRONG_THREAD", 11));
  });

  it("UNKNOWN_SENDER: a signer who is not a reader of the epoch, or a help-seeker writing a note", () => {
    expect(reasonsAt([...valid, post(outsider, "message", k1, 1, c4)])).toEqual(only("UNKNOWN_SENDER", 11));
    // The intake reader read epoch 0 but not epoch 1.
    expect(reasonsAt([...valid, post(intake, "message", k1, 2, c4)])).toEqual(only("UNKNOWN_SENDER", 11));
    expect(reasonsAt([...valid, post(seeker, "note", k1, 1, n2)])).toEqual(only("UNKNOWN_SENDER", 11));
  });

  it("UNKNOWN_EPOCH: an epoch without a verified record", () => {
    const k2: EpochKeys = { epoch: 2, key: random(32) as EpochKey, staffKey: random(32) as StaffEpochKey };
    expect(reasonsAt([...valid, post(counsellor, "message", k2, 5, c4)])).toEqual(only("UNKNOWN_EPOCH", 11));
  });

  it("STALE_EPOCH: a post in an old epoch linking to a newer one (a removed reader writing on)", () => {
    expect(reasonsAt([...valid, post(intake, "message", k0, 2, c4)])).toEqual(only("STALE_EPOCH", 11));
  });

  it("SENDER_FORK: a sender's next post does not descend from its previous one", () => {
    expect(reasonsAt([...valid, post(counsellor, "message", k1, 5, c2)])).toEqual(only("SENDER_FORK", 11));
    expect(reasonsAt([...valid, post(counsellor, "message", k1, 5, null)])).toEqual(only("SENDER_FORK", 11));
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
    const bad = post(counsellor, "message", wrongKey, 5, c4);
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
