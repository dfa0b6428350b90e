import type { BoxKeyPair, EpochKey, HelplineId, SignKeyPair, ThreadId } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import { SEEKER_MEMBER_ID } from "../core/ids.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import type { EpochKeys, Roster } from "../core/types.js";
import { rosterIntakeReaders, rosterSupervisors } from "../roster/roster-members.js";
import { keyCommit, signEpochRecord } from "./epoch-record.js";
import { verifyEpochRecord } from "./epoch-verify.js";
import { createGrant } from "./grant.js";
import type { EpochStart } from "./start-epoch.js";
import { memberAsReader, readerSet } from "./thread-readers.js";

export interface OpenThreadOptions {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  /** The newest roster, verified from version 1 against the pinned root. */
  readonly roster: Roster;
  /** The help-seeker's message-signing and box keys (from the code). */
  readonly seeker: { readonly signing: SignKeyPair; readonly box: BoxKeyPair };
  readonly random: RandomSource;
  readonly now: number;
}

/**
 * Epoch 0 of a new thread, made in the help-seeker's browser: readers are the help-seeker, every
 * supervisor and every intake reader of the roster; one key K_0 and no staff key (the help-seeker
 * would hold it).
 *
 * @example
 * const { record, grants, keys } = openThread(sodium, { helplineId, threadId, roster,
 *   seeker: { signing: seekerKeys.messageSign, box: seekerKeys.box }, random: systemRandom(sodium), now: Date.now() });
 */
export function openThread(sodium: Sodium, opts: OpenThreadOptions): EpochStart {
  const { helplineId, threadId, roster } = opts;
  if (roster.helplineId !== helplineId) throw new CryptoError("WRONG_CONTEXT", "roster of another helpline");
  const readers = readerSet([
    {
      kind: "seeker",
      memberId: SEEKER_MEMBER_ID,
      signPk: opts.seeker.signing.publicKey,
      boxPk: opts.seeker.box.publicKey,
    },
    ...rosterSupervisors(roster).map(memberAsReader),
    ...rosterIntakeReaders(roster).map(memberAsReader),
  ]);
  const key = opts.random(32) as EpochKey;
  const bytes = signEpochRecord(
    sodium,
    {
      helplineId,
      threadId,
      epoch: 0,
      prevRecordHash: new Uint8Array(32),
      rosterVersion: roster.version,
      rosterHash: roster.hash,
      reason: "open",
      createdAt: opts.now,
      keyCommit: keyCommit(sodium, threadId, 0, key),
      staffCommit: new Uint8Array(32),
      readers,
      heads: [],
      history: new Uint8Array(0),
      staffHistory: new Uint8Array(0),
    },
    opts.seeker.signing,
  );
  const parsed = verifyEpochRecord(sodium, bytes, {
    helplineId,
    threadId,
    rosters: (v) => (v === roster.version ? roster : undefined),
  });
  const keys: EpochKeys = { epoch: 0, key };
  const grants = parsed.readers.map((recipient) =>
    createGrant(sodium, {
      record: parsed,
      recipient,
      keys,
      signer: opts.seeker.signing,
      random: opts.random,
    }),
  );
  return { record: bytes, parsed, grants, keys };
}
