/**
 * Thread bodies with real crypto for the real API server (see tests/support/api-world.ts, which
 * re-exports this): epoch 0 and the first message of a new thread, sealed messages, filler text.
 */
import {
  type BoxKeyPair,
  type EnvelopeHead,
  type EpochKeys,
  type HelplineId,
  openThread,
  type RandomSource,
  type Roster,
  type SignKeyPair,
  type Sodium,
  sealEnvelope,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";

export const b64 = (sodium: Sodium, bytes: Uint8Array) => toBase64(sodium, bytes);
/** A realistic message body: Dutch-ish filler of about `chars` characters. */
export function messageText(i: number, chars: number): string {
  const words = [
    "ik",
    "weet",
    "niet",
    "goed",
    "hoe",
    "ik",
    "dit",
    "moet",
    "zeggen",
    "maar",
    "het",
    "gaat",
    "al",
    "een",
    "tijdje",
    "niet",
    "zo",
    "goed",
    "thuis",
    "school",
    "werk",
    "slapen",
    "praten",
  ];
  let s = "";
  let k = i;
  while (s.length < chars) {
    k = (k * 1103515245 + 12345) & 0x7fffffff;
    s += `${words[k % words.length]} `;
  }
  return s.slice(0, chars);
}

/** Epoch 0 of a new thread and its first message, as the `POST /api/threads` body. */
export function buildThread(
  sodium: Sodium,
  random: RandomSource,
  ctx: { helplineId: string; roster: Roster },
  seeker: { messageSign: SignKeyPair; box: BoxKeyPair },
  text: string,
  now = Date.now(),
) {
  const threadId = b64(sodium, random(16));
  const e0 = openThread(sodium, {
    helplineId: ctx.helplineId as HelplineId,
    threadId: threadId as ThreadId,
    roster: ctx.roster,
    seeker: { signing: seeker.messageSign, box: seeker.box },
    random,
    now,
  });
  const envelope = sealEnvelope(sodium, {
    helplineId: ctx.helplineId as HelplineId,
    threadId: threadId as ThreadId,
    epochKeys: e0.keys,
    kind: "message",
    sender: seeker.messageSign,
    seq: 1,
    heads: [],
    createdAt: now,
    payload: { subject: "Vraag", body: text, attachments: [] },
    random,
  });
  return {
    threadId,
    keys: e0.keys,
    request: {
      threadId,
      record: b64(sodium, e0.record),
      grants: e0.grants.map((g) => b64(sodium, g)),
      envelope: b64(sodium, envelope),
    },
  };
}

/** One sealed message envelope (base64url) for `POST /api/threads/:id/envelopes`. */
export function sealMessage(
  sodium: Sodium,
  random: RandomSource,
  o: {
    helplineId: string;
    threadId: string;
    keys: EpochKeys;
    sender: SignKeyPair;
    seq: number;
    text: string;
    now?: number;
    /** What the sender had seen (PROTOCOL.md §5); the server does not check them. */
    heads?: readonly EnvelopeHead[];
  },
): string {
  return b64(
    sodium,
    sealEnvelope(sodium, {
      helplineId: o.helplineId as HelplineId,
      threadId: o.threadId as ThreadId,
      epochKeys: o.keys,
      kind: "message",
      sender: o.sender,
      seq: o.seq,
      heads: o.heads ?? [],
      createdAt: o.now ?? Date.now(),
      payload: { subject: "", body: o.text, attachments: [] },
      random,
    }),
  );
}
