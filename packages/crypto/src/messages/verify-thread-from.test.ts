// verifyThreadFrom (issue 14: replying in a long thread verifies only what is new). A hostile server
// changes what was verified before: each change must give exactly what a full verifyThread gives,
// and only envelopes whose bytes and epoch are unchanged may skip their signature check.
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
import { newId } from "../core/ids.js";
import { seededRandom } from "../core/random.js";
import { loadSodium, type Sodium } from "../core/sodium.js";
import type { EnvelopeHead, EpochKeys, Reader } from "../core/types.js";
import { envelopeStream, sealEnvelope } from "./envelope.js";
import { parseEnvelope } from "./envelope-codec.js";
import { type ThreadEpoch, verifyThread } from "./verify-thread.js";
import { type VerifiedPrefix, verifyThreadFrom } from "./verify-thread-from.js";

const base = await loadSodium();
/** The same libsodium, counting signature verifications, decryptions and generic hashes. */
let verifications = 0;
const counted = { decrypt: 0, hash: 0 };
const sodium = new Proxy(base, {
  get(target, prop, receiver) {
    if (prop === "crypto_sign_verify_detached") {
      return (...args: Parameters<Sodium["crypto_sign_verify_detached"]>) => {
        verifications++;
        return target.crypto_sign_verify_detached(...args);
      };
    }
    if (prop === "crypto_aead_xchacha20poly1305_ietf_decrypt") counted.decrypt++;
    if (prop === "crypto_generichash") counted.hash++;
    return Reflect.get(target, prop, receiver);
  },
}) as Sodium;
const random = seededRandom(sodium, new Uint8Array(32).fill(77));

const signer = (seed: number): SignKeyPair => filledSigner(sodium, seed);
const reader = (kind: Reader["kind"], who: SignKeyPair): Reader => testReader(sodium, random, kind, who);

const helplineId = newId<HelplineId>(sodium, random);
const threadId = newId<ThreadId>(sodium, random);
const otherThread = newId<ThreadId>(sodium, random);
const seeker = signer(11);
const counsellor = signer(12);
const outsider = signer(19);
const k1: EpochKeys = { epoch: 1, key: random(32) as EpochKey, staffKey: random(32) as StaffEpochKey };
const readers1 = [reader("seeker", seeker), reader("staff", counsellor)];
const epochs = new Map<number, ThreadEpoch>([
  [0, { readers: readers1 }],
  [1, { readers: readers1, keys: k1 }],
]);

/** Alternating messages, each author naming the newest of every sender seen (as the SDK does). */
function conversation(n: number, thread = threadId): EnvelopeBytes[] {
  const out: EnvelopeBytes[] = [];
  const seq = new Map<SignKeyPair, number>();
  for (let i = 0; i < n; i++) {
    const sender = i % 2 === 0 ? seeker : counsellor;
    const next = (seq.get(sender) ?? 0) + 1;
    seq.set(sender, next);
    out.push(
      sealEnvelope(sodium, {
        helplineId,
        threadId: thread,
        epochKeys: k1,
        kind: "message",
        sender,
        seq: next,
        heads: headsOf(out),
        createdAt: 1_700_000_000_000 + i,
        payload: { subject: "", body: `bericht ${i}`, attachments: [] },
        random,
      }),
    );
  }
  return out;
}
function headsOf(seen: readonly EnvelopeBytes[]): EnvelopeHead[] {
  const newest = new Map<string, EnvelopeHead>();
  for (const bytes of seen) {
    const env = parseEnvelope(sodium, bytes);
    const key = sodium.to_hex(env.senderSignPk);
    const stream = envelopeStream(env.kind);
    newest.set(key, { stream, signPk: env.senderSignPk, seq: env.seq, hash: env.hash, pastDamaged: false });
  }
  return [...newest.values()];
}

const thread = conversation(12);
const first = thread.slice(0, 10);

function prefixOf(envelopes: readonly Uint8Array[], e = epochs): VerifiedPrefix {
  return verifyThreadFrom(sodium, { helplineId, threadId, envelopes, epochs: e }).prefix;
}

/** verifyThreadFrom's answer with `prefix` equals verifyThread's; returns the signatures it checked. */
function sameAsFull(envelopes: readonly Uint8Array[], prefix: VerifiedPrefix, e = epochs) {
  const input = { helplineId, threadId, envelopes, epochs: e };
  verifications = 0;
  const incremental = verifyThreadFrom(sodium, input, prefix).verification;
  const checked = verifications;
  expect(incremental).toEqual(verifyThread(sodium, input));
  return { result: incremental, checked };
}

describe("verifyThreadFrom", () => {
  it("verifies only the envelopes that are new, with the same answer as a full verification", () => {
    const { result, checked } = sameAsFull(thread, prefixOf(first));
    expect(result.ok).toBe(true);
    expect(checked).toBe(2);
    expect(result.items.at(-1)!.payload!.body).toBe("bericht 11");
    // Without a prefix, every envelope is checked.
    verifications = 0;
    verifyThreadFrom(sodium, { helplineId, threadId, envelopes: thread, epochs });
    expect(verifications).toBe(thread.length);
  });

  it("a byte changed in an envelope verified before is BAD_SIGNATURE (checked again, not reused)", () => {
    const changed = thread.map((b) => b.slice());
    changed[3]![changed[3]!.length - 80]! ^= 1;
    const { result, checked } = sameAsFull(changed, prefixOf(first));
    expect(result.problems.map((p) => `${p.reason}@${p.index}`)).toContain("BAD_SIGNATURE@3");
    expect(checked).toBe(3);
  });

  it("an envelope of the prefix dropped, moved or replaced by another thread's is caught as in a full run", () => {
    const prefix = prefixOf(first);
    const dropped = thread.filter((_, i) => i !== 4);
    expect(sameAsFull(dropped, prefix).result.problems.map((p) => p.reason)).toContain("MISSING");

    const swapped = [...thread];
    [swapped[2], swapped[4]] = [thread[4]!, thread[2]!];
    expect(sameAsFull(swapped, prefix).result.problems.map((p) => p.reason)).toContain("REORDERED");

    const foreign = [...thread];
    foreign[5] = conversation(6, otherThread)[5]!;
    const { result } = sameAsFull(foreign, prefix);
    expect(result.problems.map((p) => `${p.reason}@${p.index}`)).toContain("WRONG_THREAD@5");

    const replayed = [...thread, thread[1]!];
    expect(sameAsFull(replayed, prefix).result.problems.map((p) => p.reason)).toContain("DUPLICATE");
  });

  it("another epoch record (readers or keys) makes every envelope of that epoch checked again", () => {
    const prefix = prefixOf(first);
    const swappedReader = new Map(epochs);
    swappedReader.set(1, { readers: [reader("seeker", seeker), reader("staff", outsider)], keys: k1 });
    const readers = sameAsFull(thread, prefix, swappedReader);
    expect(readers.checked).toBe(thread.length);
    expect(readers.result.problems.map((p) => p.reason)).toContain("UNKNOWN_SENDER");

    const otherKey = new Map(epochs);
    otherKey.set(1, { readers: readers1, keys: { ...k1, key: random(32) as EpochKey } });
    const keys = sameAsFull(thread, prefix, otherKey);
    expect(keys.checked).toBe(thread.length);
    expect(keys.result.problems.map((p) => p.reason)).toContain("DECRYPT_FAILED");
  });

  it("envelopes verified before are not decrypted again: their payloads are reused, only new ones open", () => {
    const next = verifyThreadFrom(
      sodium,
      { helplineId, threadId, envelopes: thread, epochs },
      prefixOf(first),
    );
    expect(next.verification.items.map((i) => i.payload?.body)).toEqual(thread.map((_, i) => `bericht ${i}`));
    counted.decrypt = 0;
    const again = verifyThreadFrom(sodium, { helplineId, threadId, envelopes: thread, epochs }, next.prefix);
    expect(counted.decrypt).toBe(0);
    expect(again.verification).toEqual(
      verifyThread(sodium, { helplineId, threadId, envelopes: thread, epochs }),
    );
    const prefix = prefixOf(first);
    counted.decrypt = 0;
    verifyThreadFrom(sodium, { helplineId, threadId, envelopes: thread, epochs }, prefix);
    expect(counted.decrypt).toBe(2);
  });

  it("an epoch's readers and keys are hashed once a call, not once an envelope", () => {
    const input = { helplineId, threadId, envelopes: thread, epochs };
    counted.hash = 0;
    verifyThread(sodium, input);
    const full = counted.hash;
    counted.hash = 0;
    verifyThreadFrom(sodium, input);
    // One epoch in use: the hash of its key and of its staff key.
    expect(counted.hash - full).toBe(2);
  });

  it("an epoch record the server withholds, then serves again, gives the full answer each time", () => {
    const withheld = new Map([[0, epochs.get(0)!]]);
    const hidden = sameAsFull(thread, prefixOf(first), withheld);
    expect(hidden.result.ok).toBe(false);
    expect(hidden.checked).toBe(thread.length);
    const served = sameAsFull(thread, prefixOf(first, withheld), epochs);
    expect(served.result.ok).toBe(true);
    expect(served.checked).toBe(thread.length);
  });

  it("without the epoch's keys, another reader set is still checked again (UNKNOWN_SENDER)", () => {
    const noKeys = new Map<number, ThreadEpoch>([
      [0, { readers: readers1 }],
      [1, { readers: readers1 }],
    ]);
    const prefix = prefixOf(first, noKeys);
    expect(sameAsFull(thread, prefix, noKeys).checked).toBe(2);
    const swapped = new Map(noKeys);
    swapped.set(1, { readers: [reader("seeker", seeker), reader("staff", outsider)] });
    const { result, checked } = sameAsFull(thread, prefix, swapped);
    expect(checked).toBe(thread.length);
    expect(result.problems.map((p) => p.reason)).toContain("UNKNOWN_SENDER");
  });

  it("another staff key alone makes the notes decrypt again (DECRYPT_FAILED); no staff key is fine", () => {
    const note = sealEnvelope(sodium, {
      helplineId,
      threadId,
      epochKeys: k1,
      kind: "note",
      sender: counsellor,
      seq: 1,
      heads: headsOf(thread),
      createdAt: 1_700_000_001_000,
      payload: { subject: "", body: "notitie", attachments: [] },
      random,
    });
    const withNote = [...thread, note];
    const prefix = prefixOf(withNote);
    expect(sameAsFull(withNote, prefix).result.ok).toBe(true);
    const otherStaff = new Map(epochs);
    otherStaff.set(1, { readers: readers1, keys: { ...k1, staffKey: random(32) as StaffEpochKey } });
    const { result } = sameAsFull(withNote, prefix, otherStaff);
    expect(result.problems.map((p) => `${p.reason}@${p.index}`)).toEqual([`DECRYPT_FAILED@${thread.length}`]);
    // The help-seeker holds no staff key: the note is verified, not decrypted.
    const seekerView = new Map(epochs);
    seekerView.set(1, { readers: readers1, keys: { epoch: 1, key: k1.key } });
    const seekers = sameAsFull(withNote, prefixOf(first, seekerView), seekerView).result;
    expect(seekers.ok).toBe(true);
    expect(seekers.items.at(-1)!.payload).toBeUndefined();
  });

  it("a prefix of another thread or helpline is not used", () => {
    const prefix = prefixOf(first);
    const elsewhere: VerifiedPrefix = { ...prefix, threadId: otherThread };
    expect(sameAsFull(thread, elsewhere).checked).toBe(thread.length);
  });
});
