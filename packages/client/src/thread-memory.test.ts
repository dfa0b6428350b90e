import {
  type EnvelopeHead,
  type EnvelopeStream,
  loadSodium,
  newId,
  type SignPublicKey,
  type Sodium,
  systemRandom,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import { beforeAll, beforeEach, describe, expect, it } from "vitest";
import { type DeviceMemory, memoryDeviceMemory } from "./device-memory.js";
import {
  checkRememberedRecord,
  forgetHeads,
  type PendingPost,
  recallHeads,
  recallPending,
  rememberHeads,
  rememberPending,
  rememberRecord,
} from "./thread-memory.js";

// What a device remembers about a thread is its only defence against a server that hides envelopes
// or records (PROTOCOL.md §5): these tests play a server (or a tampered device store) that tries to
// make it forget, overwrite or mix up what it remembers.

let sodium: Sodium;
let thread: ThreadId;
let otherThread: ThreadId;
let me: SignPublicKey;
let other: SignPublicKey;
let memory: DeviceMemory;

const bytes = (fill: number, n = 32) => new Uint8Array(n).fill(fill);
const head = (stream: EnvelopeStream, signPk: SignPublicKey, seq: number, fill: number): EnvelopeHead => ({
  stream,
  signPk,
  seq,
  hash: bytes(fill),
  pastDamaged: false,
});
const b64 = (u: Uint8Array) => toBase64(sodium, u);
/** The one key this module wrote for heads (the tests tamper with the stored text). */
const onlyKey = (prefix: string) => {
  const keys = Object.keys(snapshot(memory)).filter((k) => k.startsWith(prefix));
  expect(keys).toHaveLength(1);
  return keys[0]!;
};

/** Every key and value in a memory (the test memory records them). */
function snapshot(m: DeviceMemory): Record<string, string> {
  return (m as DeviceMemory & { dump(): Record<string, string> }).dump();
}
function recordingMemory(): DeviceMemory {
  const inner = memoryDeviceMemory();
  const keys = new Set<string>();
  return Object.assign(
    {
      get: inner.get,
      set: (k: string, v: string) => {
        keys.add(k);
        inner.set(k, v);
      },
      delete: (k: string) => {
        keys.delete(k);
        inner.delete(k);
      },
    },
    { dump: () => Object.fromEntries([...keys].map((k) => [k, inner.get(k)!])) },
  );
}

beforeAll(async () => {
  sodium = await loadSodium();
  const random = systemRandom(sodium);
  thread = newId<ThreadId>(sodium, random);
  otherThread = newId<ThreadId>(sodium, random);
  me = bytes(1) as SignPublicKey;
  other = bytes(2) as SignPublicKey;
});
beforeEach(() => {
  memory = recordingMemory();
});

describe("remembered heads", () => {
  it("round-trips heads per stream and sender, never flagged as past damage", () => {
    const heads = [head("main", me, 3, 7), head("staff", me, 1, 8), head("main", other, 2, 9)];
    rememberHeads(memory, sodium, thread, me, heads);
    const back = recallHeads(memory, sodium, thread, me);
    expect(back).toEqual(heads);
    expect(back.every((h) => h.pastDamaged === false)).toBe(true);
  });

  it("a server that hides newer envelopes cannot lower a remembered seq", () => {
    rememberHeads(memory, sodium, thread, me, [head("main", other, 5, 5)]);
    rememberHeads(memory, sodium, thread, me, [head("main", other, 4, 4)]);
    expect(recallHeads(memory, sodium, thread, me)).toEqual([head("main", other, 5, 5)]);
    rememberHeads(memory, sodium, thread, me, [head("main", other, 6, 6)]);
    expect(recallHeads(memory, sodium, thread, me)).toEqual([head("main", other, 6, 6)]);
  });

  it("another envelope served under a remembered seq does not overwrite the remembered hash", () => {
    rememberHeads(memory, sodium, thread, me, [head("main", other, 5, 5)]);
    rememberHeads(memory, sodium, thread, me, [head("main", other, 5, 0xee)]);
    expect(recallHeads(memory, sodium, thread, me)).toEqual([head("main", other, 5, 5)]);
  });

  it("within one call the first head of a (stream, sender) wins over a later one with the same seq", () => {
    rememberHeads(memory, sodium, thread, me, [head("main", other, 2, 1), head("main", other, 2, 3)]);
    expect(recallHeads(memory, sodium, thread, me)).toEqual([head("main", other, 2, 1)]);
  });

  it("keeps streams and senders apart (one sender's head never stands for another's)", () => {
    rememberHeads(memory, sodium, thread, me, [head("main", me, 9, 1)]);
    rememberHeads(memory, sodium, thread, me, [head("staff", me, 2, 2), head("main", other, 1, 3)]);
    expect(recallHeads(memory, sodium, thread, me)).toEqual([
      head("main", me, 9, 1),
      head("staff", me, 2, 2),
      head("main", other, 1, 3),
    ]);
  });

  it("remembers seq 1 and skips a seq-0 head (epoch-0 record heads are no envelopes)", () => {
    rememberHeads(memory, sodium, thread, me, [head("main", other, 0, 1), head("main", me, 1, 2)]);
    expect(recallHeads(memory, sodium, thread, me)).toEqual([head("main", me, 1, 2)]);
  });

  it("keeps threads and viewers apart", () => {
    rememberHeads(memory, sodium, thread, me, [head("main", me, 3, 3)]);
    expect(recallHeads(memory, sodium, otherThread, me)).toEqual([]);
    expect(recallHeads(memory, sodium, thread, other)).toEqual([]);
    rememberHeads(memory, sodium, otherThread, me, [head("main", me, 1, 1)]);
    rememberHeads(memory, sodium, thread, other, [head("main", me, 2, 2)]);
    expect(recallHeads(memory, sodium, thread, me)).toEqual([head("main", me, 3, 3)]);
    expect(recallHeads(memory, sodium, otherThread, me)).toEqual([head("main", me, 1, 1)]);
    expect(recallHeads(memory, sodium, thread, other)).toEqual([head("main", me, 2, 2)]);
  });

  it("nothing remembered is an empty list", () => {
    expect(recallHeads(memory, sodium, thread, me)).toEqual([]);
  });

  describe("a tampered store counts as nothing remembered (never as a head it did not see)", () => {
    const good = () => ({ stream: "main", signPk: b64(other), seq: 2, hash: b64(bytes(2)) });
    // Built inside each test: base64 needs sodium, which loads in beforeAll.
    const cases: [string, () => unknown][] = [
      ["an object instead of a list", () => ({ 0: good() })],
      ["null in the list", () => [good(), null]],
      ["a number in the list", () => [good(), 7]],
      ["an unknown stream", () => [good(), { ...good(), stream: "side" }]],
      ["a key that is no string", () => [good(), { ...good(), signPk: 5 }]],
      ["a fractional seq", () => [good(), { ...good(), seq: 1.5 }]],
      ["seq 0", () => [good(), { ...good(), seq: 0 }]],
      ["a hash that is no string", () => [good(), { ...good(), hash: null }]],
      ["a hash that is no base64", () => [good(), { ...good(), signPk: b64(me), hash: "!!" }]],
      ["a key that is no base64", () => [{ ...good(), signPk: "***" }]],
    ];
    for (const [what, stored] of cases) {
      it(what, () => {
        rememberHeads(memory, sodium, thread, me, [head("main", me, 1, 1)]);
        memory.set(onlyKey("thread-heads:"), JSON.stringify(stored()));
        expect(recallHeads(memory, sodium, thread, me)).toEqual([]);
        // Remembering on top of it starts afresh rather than keeping the tampered entries.
        rememberHeads(memory, sodium, thread, me, [head("staff", me, 4, 4)]);
        expect(recallHeads(memory, sodium, thread, me)).toEqual([head("staff", me, 4, 4)]);
      });
    }

    it("the checked form itself is read back (staff stream, seq 1)", () => {
      rememberHeads(memory, sodium, thread, me, [head("main", me, 1, 1)]);
      memory.set(
        onlyKey("thread-heads:"),
        JSON.stringify([{ stream: "staff", signPk: b64(me), seq: 1, hash: b64(bytes(4)) }]),
      );
      expect(recallHeads(memory, sodium, thread, me)).toEqual([head("staff", me, 1, 4)]);
    });
  });
});

describe("pending posts", () => {
  const post: PendingPost = {
    stream: "main",
    seq: 4,
    hash: "aGFzaA",
    epoch: 0,
    id: "env-1",
    envelope: "ZW52",
  };

  it("remembers a pending post per viewer, thread and stream, and forgets it", () => {
    const staffPost = { ...post, stream: "staff" as const, status: "sent", attachments: ["a1", "a2"] };
    rememberPending(memory, sodium, thread, me, "main", post);
    rememberPending(memory, sodium, thread, me, "staff", staffPost);
    expect(recallPending(memory, sodium, thread, me, "main")).toEqual(post);
    expect(recallPending(memory, sodium, thread, me, "staff")).toEqual(staffPost);
    expect(recallPending(memory, sodium, thread, other, "main")).toBeUndefined();
    expect(recallPending(memory, sodium, otherThread, me, "main")).toBeUndefined();
    rememberPending(memory, sodium, thread, me, "main", undefined);
    expect(recallPending(memory, sodium, thread, me, "main")).toBeUndefined();
    // Forgotten means gone from the store, not an empty entry left behind.
    expect(Object.keys(snapshot(memory)).filter((k) => k.startsWith("thread-pending:"))).toHaveLength(1);
    expect(recallPending(memory, sodium, thread, me, "staff")).toEqual(staffPost);
  });

  it("accepts seq 1 and an empty attachment list", () => {
    const first = { ...post, seq: 1, attachments: [] };
    rememberPending(memory, sodium, thread, me, "main", first);
    expect(recallPending(memory, sodium, thread, me, "main")).toEqual(first);
  });

  const bad: [string, unknown][] = [
    ["null", null],
    ["a string", "post"],
    ["an unknown stream", { ...post, stream: "side" }],
    ["a fractional seq", { ...post, seq: 2.5 }],
    ["seq 0", { ...post, seq: 0 }],
    ["a fractional epoch", { ...post, epoch: 0.5 }],
    ["a hash that is no string", { ...post, hash: 1 }],
    ["an id that is no string", { ...post, id: 1 }],
    ["envelope bytes that are no string", { ...post, envelope: 1 }],
    ["a status that is no string", { ...post, status: 1 }],
    ["attachments that are no list", { ...post, attachments: "a1" }],
    ["an attachment id that is no string", { ...post, attachments: ["a1", 2] }],
  ];
  for (const [what, stored] of bad) {
    it(`a tampered pending post (${what}) is no pending post: the device will not resend it`, () => {
      rememberPending(memory, sodium, thread, me, "main", post);
      memory.set(onlyKey("thread-pending:"), JSON.stringify(stored));
      expect(recallPending(memory, sodium, thread, me, "main")).toBeUndefined();
    });
  }
});

describe("remembered epoch record", () => {
  const rec = (epoch: number, fill: number) => ({ epoch, hash: bytes(fill) });

  it("remembers the newest verified record and then accepts the same records again", () => {
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 1), rec(1, 2)])).toEqual([]);
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 1), rec(1, 2)])).toEqual([]);
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 1), rec(1, 2), rec(2, 3)])).toEqual([]);
  });

  it("a server that stops serving the remembered epoch: WITHHELD, thread-wide", () => {
    checkRememberedRecord(memory, sodium, thread, [rec(0, 1), rec(1, 2)]);
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 1)])).toEqual([
      {
        reason: "WITHHELD",
        index: -1,
        detail: "the record of epoch 1 this device saw is not served (newest served: 0)",
      },
    ]);
    // Hiding it does not make the device forget it.
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 1)])).toHaveLength(1);
    expect(checkRememberedRecord(memory, sodium, thread, [])).toEqual([
      {
        reason: "WITHHELD",
        index: -1,
        detail: "the record of epoch 1 this device saw is not served (newest served: none)",
      },
    ]);
  });

  it("a server that serves another record in the remembered one's place: WITHHELD, thread-wide", () => {
    checkRememberedRecord(memory, sodium, thread, [rec(0, 1), rec(1, 2)]);
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 1), rec(1, 9), rec(2, 3)])).toEqual([
      {
        reason: "WITHHELD",
        index: -1,
        detail: "another record is served for epoch 1 than the one this device saw",
      },
    ]);
    // The replacement was not remembered: the genuine record still passes, the forged one still fails.
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 1), rec(1, 2)])).toEqual([]);
  });

  it("an empty record list remembers nothing", () => {
    expect(checkRememberedRecord(memory, sodium, thread, [])).toEqual([]);
    expect(Object.keys(snapshot(memory))).toEqual([]);
  });

  it("remembers epoch 0 (a forged epoch-0 record is caught too)", () => {
    checkRememberedRecord(memory, sodium, thread, [rec(0, 1)]);
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 5)])).toHaveLength(1);
  });

  it("a verified record of a lower or the same epoch never replaces the remembered one", () => {
    rememberRecord(memory, sodium, thread, rec(2, 2));
    rememberRecord(memory, sodium, thread, rec(1, 1));
    rememberRecord(memory, sodium, thread, rec(2, 7));
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 0), rec(1, 1), rec(2, 2)])).toEqual([]);
    rememberRecord(memory, sodium, thread, rec(3, 3));
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 0), rec(1, 1), rec(2, 2)])).toHaveLength(1);
  });

  it("the device's own acknowledged record replaces one of the same epoch, never a newer one", () => {
    rememberRecord(memory, sodium, thread, rec(2, 2));
    rememberRecord(memory, sodium, thread, rec(1, 1), true);
    // Still epoch 2 remembered: a server that drops it is caught.
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 0), rec(1, 1)])).toHaveLength(1);
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 0), rec(1, 1), rec(2, 2)])).toEqual([]);
    rememberRecord(memory, sodium, thread, rec(2, 8), true);
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 0), rec(1, 1), rec(2, 8)])).toEqual([]);
  });

  it("keeps threads apart", () => {
    rememberRecord(memory, sodium, thread, rec(3, 3));
    expect(checkRememberedRecord(memory, sodium, otherThread, [rec(0, 1)])).toEqual([]);
    expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 1)])).toHaveLength(1);
  });

  const tampered: [string, unknown][] = [
    ["null", null],
    ["a number", 3],
    ["a negative epoch", { epoch: -1, hash: "AA" }],
    ["a fractional epoch", { epoch: 0.5, hash: "AA" }],
    ["a hash that is no string", { epoch: 0, hash: 0 }],
  ];
  for (const [what, stored] of tampered) {
    it(`a tampered remembered record (${what}) counts as none, and is replaced`, () => {
      rememberRecord(memory, sodium, thread, rec(0, 1));
      memory.set(onlyKey("thread-record:"), JSON.stringify(stored));
      expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 4)])).toEqual([]);
      expect(checkRememberedRecord(memory, sodium, thread, [rec(0, 1)])).toHaveLength(1);
    });
  }
});

describe("forgetting a thread", () => {
  it("leaves nothing of the thread behind and keeps every other thread's memory", () => {
    for (const t of [thread, otherThread]) {
      rememberHeads(memory, sodium, t, me, [head("main", me, 2, 2)]);
      rememberRecord(memory, sodium, t, { epoch: 1, hash: bytes(1) });
      for (const stream of ["main", "staff"] as const) {
        rememberPending(memory, sodium, t, me, stream, {
          stream,
          seq: 3,
          hash: "aA",
          epoch: 1,
          id: `p-${stream}`,
          envelope: "ZQ",
        });
      }
    }
    const before = Object.keys(snapshot(memory)).length;
    forgetHeads(memory, sodium, thread, me);
    expect(Object.keys(snapshot(memory)).filter((k) => k.includes(thread))).toEqual([]);
    expect(Object.keys(snapshot(memory))).toHaveLength(before / 2);
    expect(recallHeads(memory, sodium, otherThread, me)).toEqual([head("main", me, 2, 2)]);
    expect(recallPending(memory, sodium, otherThread, me, "staff")?.id).toBe("p-staff");
  });
});
