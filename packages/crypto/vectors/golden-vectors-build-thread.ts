import type { AccountKey, EnvelopeBytes, MemberId } from "../src/core/brand.js";
import { samePublicBytes } from "../src/core/byte-order.js";
import { newId } from "../src/core/ids.js";
import { seededRandom } from "../src/core/random.js";
import type { Sodium } from "../src/core/sodium.js";
import type { EnvelopeHead, RosterMember } from "../src/core/types.js";
import { type AccountKeys, deriveAccountKeys } from "../src/keys/account-keys.js";
import { sealEnvelope } from "../src/messages/envelope.js";
import { envelopeHash } from "../src/messages/envelope-codec.js";
import { nextRoster, signRoster } from "../src/roster/roster.js";
import { verifyRosterChain } from "../src/roster/roster-verify.js";
import { parseGrant } from "../src/threads/grant.js";
import { openThread } from "../src/threads/open-thread.js";
import type { EpochStart } from "../src/threads/start-epoch.js";
import { claimThread } from "../src/threads/thread-ops.js";
import type { GoldenKeyState } from "./golden-vectors-build-keys.js";
import {
  GOLDEN_HELPLINE_ID,
  GOLDEN_MEMBERS,
  GOLDEN_T0,
  GOLDEN_THREAD_ID,
  goldenPayloads,
  goldenSeed,
  headsToJson,
  hex,
  MINUTE,
} from "./golden-vectors-inputs.js";

/**
 * Vectors of §3 (rosters v1 and v2) and §4 (epoch 0 opened by the help-seeker, epoch 1 claimed by the
 * intake counsellor, with their grants). Builds on the keys of `buildKeyVectors`.
 */
export function buildThreadVectors(sodium: Sodium, keys: GoldenKeyState) {
  const h = (b: Uint8Array) => hex(sodium, b);
  const helplineId = GOLDEN_HELPLINE_ID;
  const threadId = GOLDEN_THREAD_ID;

  // Roster members: Vera is the staff account of the key vectors; Ines and Anna get keys from the seed.
  const rosterSeed = goldenSeed(sodium, "rosters");
  const rosterRandom = seededRandom(sodium, rosterSeed);
  const people = GOLDEN_MEMBERS.map((m) => {
    const accountKey = m.name === "vera" ? keys.accountKey : (rosterRandom(32) as AccountKey);
    const memberId = newId<MemberId>(sodium, rosterRandom);
    const account = deriveAccountKeys(sodium, accountKey);
    const member: RosterMember = {
      memberId,
      role: m.role,
      intakeReader: m.intakeReader,
      signPk: account.signing.publicKey,
      boxPk: account.box.publicKey,
      displayName: m.displayName,
    };
    return { ...m, accountKey, account, member };
  });
  const [vera, ines] = [people[0]!, people[1]!];
  const rootPair = keys.root.keyPair;
  const v1 = signRoster(
    sodium,
    {
      helplineId,
      version: 1,
      prevHash: new Uint8Array(32),
      issuedAt: GOLDEN_T0,
      members: people.filter((p) => p.since === 1).map((p) => p.member),
    },
    rootPair,
  );
  const [roster1] = verifyRosterChain(sodium, [v1], { pinnedRoot: rootPair.publicKey, helplineId });
  const added = people.filter((p) => p.since === 2).map((p) => p.member);
  // Roster v2 is signed by Vera, a supervisor on v1 (protocol 2: supervisors sign, the root founds).
  const v2 = nextRoster(sodium, roster1!, { add: added }, vera.account.signing, GOLDEN_T0 + MINUTE);
  const [, roster2] = verifyRosterChain(sodium, [v1, v2], { pinnedRoot: rootPair.publicKey, helplineId });
  const rosters = {
    inputs: {
      seed: h(rosterSeed),
      helplineId,
      rootPk: h(rootPair.publicKey),
      members: people.map((p) => ({
        name: p.name,
        memberId: p.member.memberId,
        role: p.role,
        intakeReader: p.intakeReader,
        displayName: p.displayName,
        accountKey: h(p.accountKey),
        inVersion: p.since,
      })),
      issuedAt: [GOLDEN_T0, GOLDEN_T0 + MINUTE],
    },
    expected: {
      v1: { bytes: h(v1), hash: h(roster1!.hash) },
      v2: { bytes: h(v2), hash: h(roster2!.hash) },
    },
  };

  const nameOfBox = (boxPk: Uint8Array): string =>
    samePublicBytes(boxPk, keys.seeker.box.publicKey)
      ? "seeker"
      : (people.find((p) => samePublicBytes(p.account.box.publicKey, boxPk))?.name ?? "unknown");
  const epochVector = (start: EpochStart) => ({
    key: h(start.keys.key),
    ...(start.keys.staffKey === undefined ? {} : { staffKey: h(start.keys.staffKey) }),
    record: h(start.record),
    recordHash: h(start.parsed.hash),
    grants: start.grants.map((g) => {
      const recipientBoxPk = parseGrant(sodium, g).recipientBoxPk;
      return { recipient: nameOfBox(recipientBoxPk), recipientBoxPk: h(recipientBoxPk), bytes: h(g) };
    }),
  });

  const seed0 = goldenSeed(sodium, "epoch-0");
  const e0 = openThread(sodium, {
    helplineId,
    threadId,
    roster: roster2!,
    seeker: { signing: keys.seeker.messageSign, box: keys.seeker.box },
    random: seededRandom(sodium, seed0),
    now: GOLDEN_T0 + 2 * MINUTE,
  });
  const epoch0 = {
    inputs: {
      seed: h(seed0),
      helplineId,
      threadId,
      rosterVersion: 2,
      rosterHash: h(roster2!.hash),
      createdAt: GOLDEN_T0 + 2 * MINUTE,
    },
    expected: epochVector(e0),
  };

  // The help-seeker's first message (the same bytes as the message vector of §5): the claimer saw it,
  // so the claim's record names it as the help-seeker's head.
  const firstMessage = sealEnvelope(sodium, {
    helplineId,
    threadId,
    epochKeys: e0.keys,
    kind: "message",
    sender: keys.seeker.messageSign,
    seq: 1,
    heads: [],
    createdAt: GOLDEN_T0 + 2 * MINUTE,
    payload: goldenPayloads(sodium).message,
    random: seededRandom(sodium, goldenSeed(sodium, "envelope-message")),
  });
  const claimHeads: EnvelopeHead[] = [
    {
      stream: "main",
      signPk: keys.seeker.messageSign.publicKey,
      seq: 1,
      hash: envelopeHash(sodium, firstMessage),
      pastDamaged: false,
    },
  ];
  const seed1 = goldenSeed(sodium, "epoch-1-claim");
  const e1 = claimThread(sodium, {
    prev: e0.parsed,
    prevKeys: e0.keys,
    roster: roster2!,
    signer: ines.account.signing,
    random: seededRandom(sodium, seed1),
    now: GOLDEN_T0 + 3 * MINUTE,
    heads: claimHeads,
  });
  const epoch1Claim = {
    inputs: {
      seed: h(seed1),
      claimer: ines.name,
      rosterVersion: 2,
      rosterHash: h(roster2!.hash),
      createdAt: GOLDEN_T0 + 3 * MINUTE,
      heads: headsToJson(sodium, claimHeads),
    },
    expected: epochVector(e1),
  };

  const state: GoldenThreadState = {
    e0,
    e1,
    firstMessage,
    vera: vera.account,
    ines: { name: ines.name, ...ines.account, member: ines.member },
  };
  return { vectors: { rosters, epoch0, epoch1Claim }, state };
}

/** What the message vectors go on with: both epochs and the two staff members' keys. */
export interface GoldenThreadState {
  readonly e0: EpochStart;
  readonly e1: EpochStart;
  /** The help-seeker's first message, named by the claim's heads. */
  readonly firstMessage: EnvelopeBytes;
  readonly vera: AccountKeys;
  readonly ines: AccountKeys & { readonly name: string; readonly member: RosterMember };
}
