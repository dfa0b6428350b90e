/**
 * Deterministic keys, rosters and threads for the roster and epoch tests (not exported by the
 * package). Keys come from seeded bytes, so every run sees the same bytes.
 */
import type {
  BoxKeyPair,
  BoxPublicKey,
  BoxSecretKey,
  HelplineId,
  MemberId,
  RootPublicKey,
  RootSecretKey,
  SignKeyPair,
  SignPublicKey,
  SignSecretKey,
  ThreadId,
} from "../src/core/brand.js";
import { samePublicBytes } from "../src/core/byte-order.js";
import { toBase64 } from "../src/core/encoding.js";
import { type RandomSource, seededRandom } from "../src/core/random.js";
import type { Sodium } from "../src/core/sodium.js";
import type { EpochKeys, Role, Roster, RosterMember } from "../src/core/types.js";
import { type RootKeyPair, signRoster } from "../src/roster/roster.js";
import { verifyRoster } from "../src/roster/roster-verify.js";
import { parseGrant } from "../src/threads/grant.js";
import { openGrant } from "../src/threads/grant-open.js";
import { openThread } from "../src/threads/open-thread.js";
import type { EpochStart } from "../src/threads/start-epoch.js";
import { claimThread, reassignThread } from "../src/threads/thread-ops.js";

export const NOW = 1_750_000_000_000;

/** 32 bytes named by a small number and a purpose. */
export function seedBytes(sodium: Sodium, n: number, purpose: string): Uint8Array {
  return sodium.crypto_generichash(32, `${purpose}:${n}`, null);
}

export function testRandom(sodium: Sodium, n = 0): RandomSource {
  return seededRandom(sodium, seedBytes(sodium, n, "random"));
}

export function signKeys(sodium: Sodium, n: number): SignKeyPair {
  const kp = sodium.crypto_sign_seed_keypair(seedBytes(sodium, n, "sign"));
  return { publicKey: kp.publicKey as SignPublicKey, secretKey: kp.privateKey as SignSecretKey };
}

export function boxKeys(sodium: Sodium, n: number): BoxKeyPair {
  const kp = sodium.crypto_box_seed_keypair(seedBytes(sodium, n, "box"));
  return { publicKey: kp.publicKey as BoxPublicKey, secretKey: kp.privateKey as BoxSecretKey };
}

export function rootKeys(sodium: Sodium, n: number): RootKeyPair {
  const kp = sodium.crypto_sign_seed_keypair(seedBytes(sodium, n, "root"));
  return { publicKey: kp.publicKey as RootPublicKey, secretKey: kp.privateKey as RootSecretKey };
}

export function testId<T extends HelplineId | ThreadId | MemberId>(
  sodium: Sodium,
  n: number,
  purpose: string,
): T {
  return toBase64(sodium, seedBytes(sodium, n, purpose).slice(0, 16)) as T;
}

/** A staff member with their keys. */
export interface Person {
  readonly member: RosterMember;
  readonly signing: SignKeyPair;
  readonly box: BoxKeyPair;
}

export function person(
  sodium: Sodium,
  n: number,
  role: Role,
  intakeReader: boolean,
  displayName: string,
): Person {
  const signing = signKeys(sodium, n);
  const box = boxKeys(sodium, n);
  const member: RosterMember = {
    memberId: testId<MemberId>(sodium, n, "member"),
    role,
    intakeReader,
    signPk: signing.publicKey,
    boxPk: box.publicKey,
    displayName,
  };
  return { member, signing, box };
}

/** A helpline with two supervisors, an intake counsellor and three other counsellors. */
export function helpline(sodium: Sodium) {
  const helplineId = testId<HelplineId>(sodium, 1, "helpline");
  const root = rootKeys(sodium, 1);
  const people = {
    vera: person(sodium, 1, "supervisor", false, "Vera"),
    wim: person(sodium, 2, "supervisor", true, "Wim"),
    ines: person(sodium, 3, "counsellor", true, "Ines"),
    anna: person(sodium, 4, "counsellor", false, "Anna"),
    bram: person(sodium, 5, "counsellor", false, "Bram"),
    cas: person(sodium, 6, "counsellor", false, "Cas"),
  };
  const rosterBytes = signRoster(
    sodium,
    {
      helplineId,
      version: 1,
      prevHash: new Uint8Array(32),
      issuedAt: NOW,
      members: Object.values(people).map((p) => p.member),
    },
    root,
  );
  const roster: Roster = verifyRoster(sodium, rosterBytes, { pinnedRoot: root.publicKey, helplineId });
  const seeker = { signing: signKeys(sodium, 100), box: boxKeys(sodium, 100) };
  return { helplineId, root, people, rosterBytes, roster, seeker };
}

/** Flips one bit at every byte position (bit = position mod 8) and collects each mutated copy. */
export function everySingleBitFlip(bytes: Uint8Array): Uint8Array[] {
  return Array.from(bytes, (_, i) => {
    const copy = bytes.slice();
    copy[i] = copy[i]! ^ (1 << (i % 8));
    return copy;
  });
}

/** The grant of `start` addressed to `box`, opened; undefined when there is none. */
export function grantFor(sodium: Sodium, start: EpochStart, box: BoxKeyPair): EpochKeys | undefined {
  const grant = start.grants.find((g) =>
    samePublicBytes(parseGrant(sodium, g).recipientBoxPk, box.publicKey),
  );
  return grant === undefined ? undefined : openGrant(sodium, grant, start.parsed, box);
}

/**
 * A thread through its usual life: opened by the help-seeker (epoch 0), claimed by Ines from intake
 * (epoch 1), reassigned by Vera to Anna (epoch 2).
 */
export function threadStory(sodium: Sodium, n = 1) {
  const h = helpline(sodium);
  const random = testRandom(sodium, n);
  const threadId = testId<ThreadId>(sodium, n, "thread");
  const e0 = openThread(sodium, {
    helplineId: h.helplineId,
    threadId,
    roster: h.roster,
    seeker: h.seeker,
    random,
    now: NOW,
  });
  const e1 = claimThread(sodium, {
    prev: e0.parsed,
    prevKeys: grantFor(sodium, e0, h.people.ines.box)!,
    roster: h.roster,
    signer: h.people.ines.signing,
    random,
    now: NOW + 1,
    heads: [],
  });
  const e2 = reassignThread(sodium, {
    prev: e1.parsed,
    prevKeys: grantFor(sodium, e1, h.people.vera.box)!,
    roster: h.roster,
    signer: h.people.vera.signing,
    to: h.people.anna.member,
    random,
    now: NOW + 2,
    heads: [],
  });
  const rosters = (v: number) => (v === h.roster.version ? h.roster : undefined);
  return { h, random, threadId, e0, e1, e2, rosters };
}
