import {
  type EnvelopeBytes,
  type EnvelopeKind,
  type EpochKeys,
  type HelplineId,
  loadSodium,
  type SignKeyPair,
  type Sodium,
  sealEnvelope,
  toBase64,
} from "@briefgeheim/crypto";
import type { StoredEnvelope } from "@briefgeheim/protocol";
import { beforeAll, describe, expect, it } from "vitest";
import { grantFor, NOW, threadStory } from "../../crypto/test-support/thread-fixtures.js";
import { checkServedHeads, servedHeadsOrNone } from "./heads-check.js";

let sodium: Sodium;
let story: ReturnType<typeof threadStory>;
let other: ReturnType<typeof threadStory>;
beforeAll(async () => {
  sodium = await loadSodium();
  story = threadStory(sodium, 1);
  other = threadStory(sodium, 2);
});

let position = 0;
function stored(bytes: EnvelopeBytes): StoredEnvelope {
  position++;
  return { id: `e${position}`, position, envelope: toBase64(sodium, bytes), receivedAt: NOW };
}

/** An envelope of `s`'s thread in the epoch of `keys`, signed by `sender`. */
function sealed(
  s: ReturnType<typeof threadStory>,
  keys: EpochKeys,
  sender: SignKeyPair,
  kind: EnvelopeKind = "message",
  seq = 1,
): StoredEnvelope {
  return stored(
    sealEnvelope(sodium, {
      helplineId: s.h.helplineId,
      threadId: s.threadId,
      epochKeys: keys,
      kind,
      sender,
      seq,
      heads: [],
      createdAt: NOW,
      payload: { subject: "", body: `seq ${seq}`, attachments: [] },
      random: s.random,
    }),
  );
}

/** The usual heads: the help-seeker in epoch 0, Ines in epoch 1, Anna's note in epoch 2. */
function heads() {
  const { h, e0, e1, e2 } = story;
  return {
    seeker: sealed(story, grantFor(sodium, e0, h.seeker.box)!, h.seeker.signing),
    ines: sealed(story, grantFor(sodium, e1, h.people.ines.box)!, h.people.ines.signing),
    annaNote: sealed(story, grantFor(sodium, e2, h.people.anna.box)!, h.people.anna.signing, "note"),
  };
}

const check = (
  envelopes: StoredEnvelope[],
  over: { streams?: ("main" | "staff")[]; helplineId?: HelplineId } = {},
) =>
  checkServedHeads(sodium, {
    helplineId: over.helplineId ?? story.h.helplineId,
    threadId: story.threadId,
    records: [story.e0.parsed, story.e1.parsed, story.e2.parsed],
    streams: over.streams ?? ["main", "staff"],
    envelopes,
  });

describe("checkServedHeads", () => {
  it("honest heads: one per (stream, sender), with their seq and hash; streams the reader does not read left out", () => {
    const { seeker, ines, annaNote } = heads();
    const staff = check([seeker, ines, annaNote]);
    expect(staff.map((x) => [x.stream, x.seq, x.pastDamaged])).toEqual([
      ["main", 1, false],
      ["main", 1, false],
      ["staff", 1, false],
    ]);
    expect(staff[0]!.signPk).toEqual(story.h.seeker.signing.publicKey);
    expect(staff[2]!.signPk).toEqual(story.h.people.anna.signing.publicKey);
    expect(staff.every((x) => x.hash.length === 32)).toBe(true);
    expect(check([seeker, ines, annaNote], { streams: ["main"] }).map((x) => x.stream)).toEqual([
      "main",
      "main",
    ]);
  });

  it("a byte changed: refused (the signature)", () => {
    const { seeker } = heads();
    const bytes = Buffer.from(seeker.envelope, "base64url");
    bytes[bytes.length - 80]! ^= 1;
    expect(() => check([{ ...seeker, envelope: bytes.toString("base64url") }])).toThrow();
  });

  it("an envelope of another thread, or of this thread named for another helpline: THREAD_TAMPERED", () => {
    const foreign = sealed(other, grantFor(sodium, other.e0, other.h.seeker.box)!, other.h.seeker.signing);
    expect(() => check([foreign])).toThrow(expect.objectContaining({ code: "THREAD_TAMPERED" }));
    const { seeker } = heads();
    expect(() => check([seeker], { helplineId: "b3RoZXItaGVscGxpbmU" as HelplineId })).toThrow(
      expect.objectContaining({ code: "THREAD_TAMPERED" }),
    );
  });

  it("signed by someone who does not read that epoch, or in an epoch with no verified record: THREAD_TAMPERED", () => {
    const { h, e1, e2 } = story;
    // Ines read epoch 1, not epoch 2 (the thread went to Anna): her signature over epoch 2's envelope
    // is genuine, but she is no reader of that epoch.
    const notReader = sealed(story, grantFor(sodium, e2, h.people.anna.box)!, h.people.ines.signing);
    expect(() => check([notReader])).toThrow(expect.objectContaining({ code: "THREAD_TAMPERED" }));
    const inIns = sealed(story, grantFor(sodium, e1, h.people.ines.box)!, h.people.ines.signing);
    expect(() =>
      checkServedHeads(sodium, {
        helplineId: h.helplineId,
        threadId: story.threadId,
        records: [story.e0.parsed],
        streams: ["main", "staff"],
        envelopes: [inIns],
      }),
    ).toThrow(expect.objectContaining({ code: "THREAD_TAMPERED" }));
  });

  it("two heads for one sender in one stream: THREAD_TAMPERED; the same sender in two streams is two heads", () => {
    const { h, e1, e2 } = story;
    const keys1 = grantFor(sodium, e1, h.people.ines.box)!;
    const first = sealed(story, keys1, h.people.ines.signing, "message", 1);
    const second = sealed(story, keys1, h.people.ines.signing, "message", 2);
    expect(() => check([first, second])).toThrow(expect.objectContaining({ code: "THREAD_TAMPERED" }));
    const keys2 = grantFor(sodium, e2, h.people.vera.box)!;
    const main = sealed(story, keys2, h.people.vera.signing, "message");
    const note = sealed(story, keys2, h.people.vera.signing, "note");
    expect(check([main, note]).map((x) => x.stream)).toEqual(["main", "staff"]);
  });
});

describe("servedHeadsOrNone", () => {
  const input = (
    envelopes: StoredEnvelope[],
    records = [story.e0.parsed, story.e1.parsed, story.e2.parsed],
  ) => ({
    helplineId: story.h.helplineId,
    threadId: story.threadId,
    records,
    streams: ["main", "staff"] as ("main" | "staff")[],
    envelopes,
  });

  it("the checked heads when they pass; undefined (read the thread in full) when refused", () => {
    const { seeker, ines } = heads();
    expect(servedHeadsOrNone(sodium, input([seeker, ines]))?.map((x) => x.seq)).toEqual([1, 1]);
    const bytes = Buffer.from(seeker.envelope, "base64url");
    bytes[bytes.length - 80]! ^= 1;
    expect(servedHeadsOrNone(sodium, input([{ ...seeker, envelope: bytes.toString("base64url") }]))).toBe(
      undefined,
    );
    const foreign = sealed(other, grantFor(sodium, other.e0, other.h.seeker.box)!, other.h.seeker.signing);
    expect(servedHeadsOrNone(sodium, input([foreign]))).toBe(undefined);
  });

  it("a bug is thrown, not taken for a refusal", () => {
    const { seeker } = heads();
    const broken = {
      get readers(): never {
        throw new TypeError("a bug");
      },
    } as unknown as typeof story.e0.parsed;
    expect(() => servedHeadsOrNone(sodium, input([seeker], [broken]))).toThrow(TypeError);
  });
});
