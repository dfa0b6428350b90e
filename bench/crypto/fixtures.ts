/** A helpline, its staff and threads for the crypto benchmark, made through the public API. */
import {
  type AccountKeys,
  bytesEqual,
  claimThread,
  deriveAccountKeys,
  type EnvelopeBytes,
  type EnvelopeHead,
  type EpochKeys,
  type EpochStart,
  envelopeHash,
  generateAccountKey,
  generateRootKey,
  type HelplineId,
  type MemberId,
  newId,
  openGrant,
  openThread,
  parseGrant,
  type RandomSource,
  type Roster,
  type RosterMember,
  type SeekerKeys,
  type Sodium,
  sealEnvelope,
  signRoster,
  type ThreadId,
  verifyRoster,
} from "@briefgeheim/crypto";

export interface Staff {
  readonly keys: AccountKeys;
  readonly member: RosterMember;
}

function staff(
  sodium: Sodium,
  random: RandomSource,
  role: RosterMember["role"],
  intake: boolean,
  name: string,
): Staff {
  const keys = deriveAccountKeys(sodium, generateAccountKey(sodium, random));
  const member: RosterMember = {
    memberId: newId<MemberId>(sodium, random),
    role,
    intakeReader: intake,
    signPk: keys.signing.publicKey,
    boxPk: keys.box.publicKey,
    displayName: name,
  };
  return { keys, member };
}

/** One supervisor, one intake counsellor and two more counsellors on a signed, verified roster. */
export function benchHelpline(sodium: Sodium, random: RandomSource) {
  const helplineId = newId<HelplineId>(sodium, random);
  const root = generateRootKey(sodium, random);
  const people = {
    vera: staff(sodium, random, "supervisor", false, "Vera"),
    ines: staff(sodium, random, "counsellor", true, "Ines"),
    anna: staff(sodium, random, "counsellor", false, "Anna"),
    bram: staff(sodium, random, "counsellor", false, "Bram"),
  };
  const bytes = signRoster(
    sodium,
    {
      helplineId,
      version: 1,
      prevHash: new Uint8Array(32),
      issuedAt: Date.now(),
      members: Object.values(people).map((p) => p.member),
    },
    root.keyPair,
  );
  const roster: Roster = verifyRoster(sodium, bytes, { pinnedRoot: root.keyPair.publicKey, helplineId });
  return { helplineId, roster, people };
}

export type BenchHelpline = ReturnType<typeof benchHelpline>;

/** The keys in `start` for the reader with `box`, opened from their grant. */
export function keysFor(sodium: Sodium, start: EpochStart, box: AccountKeys["box"]): EpochKeys {
  const grant = start.grants.find((g) =>
    bytesEqual(sodium, parseGrant(sodium, g).recipientBoxPk, box.publicKey),
  );
  if (grant === undefined) throw new Error("no grant for this reader");
  return openGrant(sodium, grant, start.parsed, box);
}

/** A thread opened by the help-seeker and claimed by Ines (epochs 0 and 1). */
export function claimedThread(sodium: Sodium, h: BenchHelpline, seeker: SeekerKeys, random: RandomSource) {
  const threadId = newId<ThreadId>(sodium, random);
  const e0 = openThread(sodium, {
    helplineId: h.helplineId,
    threadId,
    roster: h.roster,
    seeker: { signing: seeker.messageSign, box: seeker.box },
    random,
    now: Date.now(),
  });
  const e1 = claimThread(sodium, {
    prev: e0.parsed,
    prevKeys: keysFor(sodium, e0, h.people.ines.keys.box),
    roster: h.roster,
    signer: h.people.ines.keys.signing,
    random,
    now: Date.now(),
    heads: [],
  });
  return { threadId, e0, e1 };
}

/**
 * `count` messages in epoch 1, alternating between the help-seeker and Ines, each linking to the
 * one before (a real conversation: seq per sender, one hash chain in the main stream).
 */
export function conversation(
  sodium: Sodium,
  h: BenchHelpline,
  thread: ReturnType<typeof claimedThread>,
  seeker: SeekerKeys,
  keys: EpochKeys,
  count: number,
  random: RandomSource,
): EnvelopeBytes[] {
  const senders = [seeker.messageSign, h.people.ines.keys.signing];
  const seqs = [0, 0];
  const out: EnvelopeBytes[] = [];
  // Each names the newest envelope of both senders (PROTOCOL.md §5): two heads once both have written.
  const heads = new Map<number, EnvelopeHead>();
  for (let i = 0; i < count; i++) {
    const who = i % 2;
    seqs[who]! += 1;
    const bytes = sealEnvelope(sodium, {
      helplineId: h.helplineId,
      threadId: thread.threadId,
      epochKeys: keys,
      kind: "message",
      sender: senders[who]!,
      seq: seqs[who]!,
      heads: [...heads.values()],
      createdAt: Date.now(),
      payload: { subject: `Bericht ${i}`, body: "Dank voor je antwoord. ".repeat(20), attachments: [] },
      random,
    });
    heads.set(who, {
      stream: "main",
      signPk: senders[who]!.publicKey,
      seq: seqs[who]!,
      hash: envelopeHash(sodium, bytes),
      pastDamaged: false,
    });
    out.push(bytes);
  }
  return out;
}
