import { describe, expect, it } from "vitest";
import { filledSigner } from "../../test-support/envelope-fixtures.js";
import type {
  BoxPublicKey,
  EnvelopeBytes,
  EpochKey,
  HelplineId,
  MemberId,
  SignKeyPair,
  StaffEpochKey,
  ThreadId,
} from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { newId, SEEKER_MEMBER_ID } from "../core/ids.js";
import { seededRandom } from "../core/random.js";
import { loadSodium } from "../core/sodium.js";
import type { EpochKeys, Payload, Reader, RosterMember, ThreadEvent } from "../core/types.js";
import { openEnvelope, sealEnvelope } from "./envelope.js";
import { encodeThreadEvent, parseThreadEvent } from "./thread-event.js";
import { type ThreadEpoch, verifyThread } from "./verify-thread.js";

const sodium = await loadSodium();
const random = seededRandom(sodium, new Uint8Array(32).fill(77));

const signer = (seed: number): SignKeyPair => filledSigner(sodium, seed);
function member(who: SignKeyPair, role: RosterMember["role"], displayName: string): RosterMember {
  return {
    memberId: newId<MemberId>(sodium, random),
    role,
    intakeReader: false,
    signPk: who.publicKey,
    boxPk: random(32) as BoxPublicKey,
    displayName,
  };
}
const asReader = (m: RosterMember): Reader => ({
  kind: "staff",
  memberId: m.memberId,
  signPk: m.signPk,
  boxPk: m.boxPk,
});

const helplineId = newId<HelplineId>(sodium, random);
const threadId = newId<ThreadId>(sodium, random);
const seekerKeys = signer(1);
const annaKeys = signer(2);
const bramKeys = signer(3);
const veraKeys = signer(4);
const anna = member(annaKeys, "counsellor", "Anna");
const bram = member(bramKeys, "counsellor", "Bram");
const vera = member(veraKeys, "supervisor", "Vera");
const roster = [anna, bram, vera];
const seekerReader: Reader = {
  kind: "seeker",
  memberId: SEEKER_MEMBER_ID,
  signPk: seekerKeys.publicKey,
  boxPk: random(32) as BoxPublicKey,
};
const k1: EpochKeys = { epoch: 1, key: random(32) as EpochKey, staffKey: random(32) as StaffEpochKey };
// Epoch 1: the thread is Bram's (the reassign from Anna made it); Anna no longer reads it.
const epoch1: ThreadEpoch = {
  readers: [seekerReader, asReader(bram), asReader(vera)],
  keys: k1,
  roster,
  signerPk: veraKeys.publicKey,
};

const claimedBy = (pk: SignKeyPair["publicKey"]): ThreadEpoch => ({ ...epoch1, signerPk: pk });
const handoverTo = (m: RosterMember, name = m.displayName): ThreadEvent => ({
  type: "handover",
  memberId: m.memberId,
  signPk: m.signPk,
  displayName: name,
});
const eventPayload = (event: ThreadEvent): Payload => ({ subject: "", body: "", attachments: [], event });

function postEvent(sender: SignKeyPair, event: ThreadEvent, keys: EpochKeys = k1): EnvelopeBytes {
  return sealEnvelope(sodium, {
    helplineId,
    threadId,
    epochKeys: keys,
    kind: "event",
    sender,
    seq: 1,
    heads: [],
    createdAt: 1_800_000_000_000,
    payload: eventPayload(event),
    random,
  });
}
function verify(bytes: EnvelopeBytes, epoch: ThreadEpoch = epoch1) {
  return verifyThread(sodium, { helplineId, threadId, envelopes: [bytes], epochs: new Map([[1, epoch]]) });
}
const reasons = (r: ReturnType<typeof verify>) => r.problems.map((p) => p.reason);

describe("handover event payload (PROTOCOL.md §5.1)", () => {
  it("round-trips and refuses another version, type, trailing bytes or a long name", () => {
    const bytes = encodeThreadEvent(sodium, handoverTo(bram));
    expect(parseThreadEvent(sodium, bytes)).toEqual(handoverTo(bram));
    expect(encodeThreadEvent(sodium, parseThreadEvent(sodium, bytes))).toEqual(bytes);
    const v1 = bytes.slice();
    v1[0] = 1;
    expect(() => parseThreadEvent(sodium, v1)).toThrow(
      expect.objectContaining({ code: "UNSUPPORTED_VERSION" }),
    );
    const type9 = bytes.slice();
    type9[1] = 9;
    expect(() => parseThreadEvent(sodium, type9)).toThrow(expect.objectContaining({ code: "MALFORMED" }));
    expect(() => parseThreadEvent(sodium, new Uint8Array([...bytes, 0]))).toThrow(CryptoError);
    expect(() => encodeThreadEvent(sodium, handoverTo(bram, "x".repeat(257)))).toThrow(
      expect.objectContaining({ code: "TOO_LARGE" }),
    );
  });

  it("an event envelope carries only the event; other kinds carry none", () => {
    const withText: Payload = { ...eventPayload(handoverTo(bram)), body: "hallo" };
    expect(() =>
      sealEnvelope(sodium, {
        helplineId,
        threadId,
        epochKeys: k1,
        kind: "event",
        sender: veraKeys,
        seq: 1,
        heads: [],
        createdAt: 1,
        payload: withText,
        random,
      }),
    ).toThrow(expect.objectContaining({ code: "MALFORMED" }));
    expect(() =>
      sealEnvelope(sodium, {
        helplineId,
        threadId,
        epochKeys: k1,
        kind: "message",
        sender: veraKeys,
        seq: 1,
        heads: [],
        createdAt: 1,
        payload: eventPayload(handoverTo(bram)),
        random,
      }),
    ).toThrow(expect.objectContaining({ code: "MALFORMED" }));
    const opened = openEnvelope(sodium, postEvent(veraKeys, handoverTo(bram)), k1);
    expect(opened.envelope.kind).toBe("event");
    expect(opened.payload.event).toEqual(handoverTo(bram));
  });
});

describe("verifyThread checks every handover event", () => {
  it("accepts a supervisor's handover and the own of a counsellor who made the epoch (a claim)", () => {
    const claimedByBram: ThreadEpoch = { ...epoch1, signerPk: bramKeys.publicKey };
    for (const [sender, epoch] of [
      [veraKeys, epoch1],
      [veraKeys, claimedByBram],
      [bramKeys, claimedByBram],
    ] as const) {
      const result = verify(postEvent(sender, handoverTo(bram)), epoch);
      expect(result.ok).toBe(true);
      expect(result.items[0]?.payload?.event).toEqual(handoverTo(bram));
    }
  });

  it("refuses a reader announcing they took over an epoch they did not make (EVENT_SIGNER_NOT_ALLOWED)", () => {
    // Epoch 1 was made by Vera (an assignment to Bram, or an intake epoch): Anna reads it as an intake
    // reader or co-reader, is on the roster under her own name, and signs genuinely that she took over.
    const annaReads: ThreadEpoch = { ...epoch1, readers: [...epoch1.readers, asReader(anna)] };
    const byAnna = verify(postEvent(annaKeys, handoverTo(anna)), annaReads);
    expect(reasons(byAnna)).toEqual(["EVENT_SIGNER_NOT_ALLOWED"]);
    expect(byAnna.items[0]?.ok).toBe(false);
    // Bram, the assigned counsellor of Vera's epoch, is refused as well: the supervisor announces it.
    expect(reasons(verify(postEvent(bramKeys, handoverTo(bram))))).toEqual(["EVENT_SIGNER_NOT_ALLOWED"]);
    // Without the record's signer nobody's own handover can be checked: refused, not trusted.
    const { signerPk: _dropped, ...unsigned } = claimedBy(bramKeys.publicKey);
    expect(reasons(verify(postEvent(bramKeys, handoverTo(bram)), unsigned))).toEqual([
      "EVENT_SIGNER_NOT_ALLOWED",
    ]);
  });

  it("refuses an event by a counsellor for someone else (EVENT_SIGNER_NOT_ALLOWED)", () => {
    // Bram reads the epoch and signs genuinely, but claims the thread went to Vera.
    const result = verify(postEvent(bramKeys, handoverTo(vera)));
    expect(reasons(result)).toEqual(["EVENT_SIGNER_NOT_ALLOWED"]);
    expect(result.items[0]?.ok).toBe(false);
  });

  it("refuses an event naming a non-reader, or another name than the roster's (EVENT_NOT_A_READER)", () => {
    // Anna is on the roster but no longer reads epoch 1: a server replaying her old handover fails.
    expect(reasons(verify(postEvent(veraKeys, handoverTo(anna))))).toEqual(["EVENT_NOT_A_READER"]);
    expect(reasons(verify(postEvent(veraKeys, handoverTo(bram, "Bram (verdacht)"))))).toEqual([
      "EVENT_NOT_A_READER",
    ]);
    // A member id that reads, with another key: not the reader.
    const swapped = { ...handoverTo(bram), signPk: annaKeys.publicKey };
    expect(reasons(verify(postEvent(veraKeys, swapped)))).toContain("EVENT_NOT_A_READER");
  });

  it("refuses a forged or unsigned event (BAD_SIGNATURE) and one by a non-reader (UNKNOWN_SENDER)", () => {
    const bytes = postEvent(veraKeys, handoverTo(bram));
    const forged = bytes.slice() as EnvelopeBytes;
    forged[forged.length - 1]! ^= 1;
    expect(reasons(verify(forged))).toEqual(["BAD_SIGNATURE"]);
    const unsigned = bytes.slice() as EnvelopeBytes;
    unsigned.fill(0, unsigned.length - 64);
    expect(reasons(verify(unsigned))).toEqual(["BAD_SIGNATURE"]);
    // Anna (removed from the thread) signs a handover to herself: she does not read epoch 1.
    expect(reasons(verify(postEvent(annaKeys, handoverTo(anna))))).toContain("UNKNOWN_SENDER");
  });

  it("refuses an event by the help-seeker, and any event when the epoch's roster is unknown", () => {
    expect(reasons(verify(postEvent(seekerKeys, handoverTo(bram))))).toEqual(["EVENT_SIGNER_NOT_ALLOWED"]);
    const { roster: _dropped, ...withoutRoster } = epoch1;
    expect(reasons(verify(postEvent(veraKeys, handoverTo(bram)), withoutRoster))).toEqual([
      "EVENT_SIGNER_NOT_ALLOWED",
    ]);
  });

  it("a help-seeker (main stream key only) verifies the event too", () => {
    const seekerView: ThreadEpoch = { ...epoch1, keys: { epoch: 1, key: k1.key } };
    const result = verify(postEvent(veraKeys, handoverTo(bram)), seekerView);
    expect(result.ok).toBe(true);
    expect(result.items[0]?.payload?.event?.displayName).toBe("Bram");
  });
});
