import type { SignKeyPair } from "../src/core/brand.js";
import { seededRandom } from "../src/core/random.js";
import type { Sodium } from "../src/core/sodium.js";
import type { EnvelopeHead, EnvelopeKind, EpochKeys, Payload } from "../src/core/types.js";
import { signChallenge, signInMessage } from "../src/keys/sign-in.js";
import { sealDraft } from "../src/messages/draft.js";
import { sealEnvelope } from "../src/messages/envelope.js";
import { envelopeHash } from "../src/messages/envelope-codec.js";
import { encodeThreadEvent } from "../src/messages/thread-event.js";
import type { GoldenKeyState } from "./golden-vectors-build-keys.js";
import type { GoldenThreadState } from "./golden-vectors-build-thread.js";
import {
  GOLDEN_HELPLINE_ID,
  GOLDEN_ORIGIN,
  GOLDEN_T0,
  GOLDEN_THREAD_ID,
  goldenPayloads,
  goldenSeed,
  headsToJson,
  hex,
  MINUTE,
  payloadToJson,
} from "./golden-vectors-inputs.js";

/**
 * Vectors of §5 (the help-seeker's first message in epoch 0; the claimer's status change and note in
 * epoch 1), §7 (a help-seeker's draft) and §8 (sign-in signatures of a help-seeker and a supervisor).
 */
export function buildMessageVectors(sodium: Sodium, keys: GoldenKeyState, thread: GoldenThreadState) {
  const h = (b: Uint8Array) => hex(sodium, b);
  const helplineId = GOLDEN_HELPLINE_ID;
  const threadId = GOLDEN_THREAD_ID;
  const { e0, e1, vera, ines } = thread;

  const payloads = goldenPayloads(sodium);
  const envelope = (o: {
    name: string;
    kind: EnvelopeKind;
    sender: { name: string; keys: SignKeyPair };
    epochKeys: EpochKeys;
    heads: EnvelopeHead[];
    createdAt: number;
    payload: Payload;
  }) => {
    const seed = goldenSeed(sodium, o.name);
    const { epochKeys, kind, heads, createdAt, payload } = o;
    const bytes = sealEnvelope(sodium, {
      helplineId,
      threadId,
      epochKeys,
      kind,
      sender: o.sender.keys,
      seq: 1,
      heads,
      createdAt,
      payload,
      random: seededRandom(sodium, seed),
    });
    const vector = {
      inputs: {
        seed: h(seed),
        helplineId,
        threadId,
        epoch: epochKeys.epoch,
        kind,
        sender: o.sender.name,
        senderSignPk: h(o.sender.keys.publicKey),
        seq: 1,
        heads: headsToJson(sodium, heads),
        createdAt,
        payload: payloadToJson(sodium, payload),
      },
      expected: { bytes: h(bytes), hash: h(envelopeHash(sodium, bytes)) },
    };
    return { vector, bytes };
  };
  const seeker = { name: "seeker", keys: keys.seeker.messageSign };
  const counsellor = { name: ines.name, keys: ines.signing };
  const at = (minutes: number) => GOLDEN_T0 + minutes * MINUTE;
  const message = envelope({
    name: "envelope-message",
    kind: "message",
    sender: seeker,
    epochKeys: e0.keys,
    heads: [],
    createdAt: at(2),
    payload: payloads.message,
  });
  // Ines's first post names the newest envelope of every sender she saw: the help-seeker's message.
  const head = (signPk: SignKeyPair["publicKey"], bytes: Uint8Array): EnvelopeHead => ({
    stream: "main",
    signPk,
    seq: 1,
    hash: envelopeHash(sodium, bytes),
    pastDamaged: false,
  });
  const status = envelope({
    name: "envelope-status",
    kind: "status",
    sender: counsellor,
    epochKeys: e1.keys,
    heads: [head(seeker.keys.publicKey, message.bytes)],
    createdAt: at(4),
    payload: payloads.status,
  });
  const note = envelope({
    name: "envelope-note",
    kind: "note",
    sender: counsellor,
    epochKeys: e1.keys,
    // Her first note (staff stream) names both main-stream heads: the message and her status change.
    heads: [head(seeker.keys.publicKey, message.bytes), head(counsellor.keys.publicKey, status.bytes)],
    createdAt: at(5),
    payload: payloads.note,
  });

  // §5.1: Vera (supervisor, a reader of epoch 1) announces that the thread is now with Ines.
  const handoverEvent = {
    type: "handover" as const,
    memberId: ines.member.memberId,
    signPk: ines.member.signPk,
    displayName: ines.member.displayName,
  };
  const event = envelope({
    name: "envelope-event",
    kind: "event",
    sender: { name: "vera", keys: vera.signing },
    epochKeys: e1.keys,
    heads: [head(seeker.keys.publicKey, message.bytes), head(counsellor.keys.publicKey, status.bytes)],
    createdAt: at(6),
    payload: { subject: "", body: "", attachments: [], event: handoverEvent },
  });
  const eventVector = {
    ...event.vector,
    inputs: {
      ...event.vector.inputs,
      event: { ...handoverEvent, signPk: h(handoverEvent.signPk) },
      eventPayload: h(encodeThreadEvent(sodium, handoverEvent)),
    },
  };

  if (hex(sodium, message.bytes) !== hex(sodium, thread.firstMessage)) {
    throw new Error("the message vector differs from the first message the claim names");
  }
  const draftSeed = goldenSeed(sodium, "draft");
  const context = `new:${helplineId}`;
  const draftBytes = sealDraft(
    sodium,
    keys.seeker.draftKey,
    context,
    payloads.draft,
    seededRandom(sodium, draftSeed),
  );
  const draft = {
    inputs: { seed: h(draftSeed), owner: "seeker", context, payload: payloadToJson(sodium, payloads.draft) },
    expected: { bytes: h(draftBytes) },
  };

  const signInVector = (who: string, role: "seeker" | "staff", signIn: SignKeyPair) => {
    const nonce = goldenSeed(sodium, `sign-in-nonce-${who}`);
    const challenge = { origin: GOLDEN_ORIGIN, helplineId, role, nonce };
    return {
      inputs: { who, origin: GOLDEN_ORIGIN, helplineId, role, nonce: h(nonce) },
      expected: {
        message: h(signInMessage(sodium, challenge)),
        signInPk: h(signIn.publicKey),
        signature: h(signChallenge(sodium, challenge, signIn.secretKey)),
      },
    };
  };
  const signIn = {
    seeker: signInVector("seeker", "seeker", keys.seeker.signIn),
    staff: signInVector("vera", "staff", vera.signIn),
  };

  return {
    envelopes: { message: message.vector, status: status.vector, note: note.vector, event: eventVector },
    draft,
    signIn,
  };
}
