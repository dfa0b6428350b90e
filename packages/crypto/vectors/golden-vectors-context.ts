import type {
  AccountKey,
  BoxKeyPair,
  EpochRecordBytes,
  GrantBytes,
  HelplineId,
  RootPublicKey,
  RosterBytes,
  SeekerCode,
  ThreadId,
} from "../src/core/brand.js";
import { samePublicBytes } from "../src/core/byte-order.js";
import { CryptoError } from "../src/core/errors.js";
import type { Sodium } from "../src/core/sodium.js";
import type { EpochKeys, EpochRecord, Roster } from "../src/core/types.js";
import { type AccountKeys, deriveAccountKeys } from "../src/keys/account-keys.js";
import { deriveSeekerKeys, type SeekerKeys } from "../src/keys/seeker-keys.js";
import { verifyRosterChain } from "../src/roster/roster-verify.js";
import { verifyEpochChain } from "../src/threads/epoch-verify.js";
import { parseGrant } from "../src/threads/grant.js";
import { openGrant } from "../src/threads/grant-open.js";
import { walkBackHistory } from "../src/threads/walk-back-history.js";
import type { VectorFile } from "./golden-vectors-read.js";

/** Evaluate once; later calls return the same value or throw the same error. */
function lazy<T>(f: () => T): () => T {
  let result: { ok: true; value: T } | { ok: false; error: unknown } | undefined;
  return () => {
    if (result === undefined) {
      try {
        result = { ok: true, value: f() };
      } catch (error) {
        result = { ok: false, error };
      }
    }
    if (!result.ok) throw result.error;
    return result.value;
  };
}

/**
 * What the independent checks derive from the committed file alone, through the package's public
 * functions: the help-seeker's keys from the committed code, staff keys from the committed account
 * keys, the verified roster chain under the committed root, the verified epoch chain, and every
 * reader's epoch keys from their grants (walked back through the history).
 */
export function goldenContext(sodium: Sodium, file: VectorFile) {
  const helplineId = () => file.text("rosters.inputs.helplineId") as HelplineId;
  const threadId = () => file.text("epoch0.inputs.threadId") as ThreadId;

  const seeker = lazy(
    (): SeekerKeys =>
      deriveSeekerKeys(
        sodium,
        file.text("seekerCode.expected.code") as SeekerCode,
        file.text("seekerCode.inputs.helplineId") as HelplineId,
      ),
  );

  const members = lazy(() =>
    file.list("rosters.inputs.members").map((_, i) => {
      const at = `rosters.inputs.members.${i}`;
      const accountKey = file.bytes(`${at}.accountKey`) as AccountKey;
      return { name: file.text(`${at}.name`), at, accountKey, keys: deriveAccountKeys(sodium, accountKey) };
    }),
  );
  const member = (name: string): AccountKeys => {
    const found = members().find((m) => m.name === name);
    if (found === undefined) throw new CryptoError("MALFORMED", `golden vectors: no member ${name}`);
    return found.keys;
  };

  const rosters = lazy((): Roster[] =>
    verifyRosterChain(
      sodium,
      [
        file.bytes("rosters.expected.v1.bytes") as RosterBytes,
        file.bytes("rosters.expected.v2.bytes") as RosterBytes,
      ],
      { pinnedRoot: file.bytes("rootKey.expected.rootPk") as RootPublicKey, helplineId: helplineId() },
    ),
  );

  const records = lazy((): EpochRecord[] => {
    const byVersion = new Map(rosters().map((r) => [r.version, r]));
    return verifyEpochChain(
      sodium,
      [
        file.bytes("epoch0.expected.record") as EpochRecordBytes,
        file.bytes("epoch1Claim.expected.record") as EpochRecordBytes,
      ],
      { helplineId: helplineId(), threadId: threadId(), rosters: (v) => byVersion.get(v) },
    );
  });

  /** The committed grants of an epoch entry. */
  const grants = (entry: "epoch0" | "epoch1Claim"): GrantBytes[] =>
    file
      .list(`${entry}.expected.grants`)
      .map((_, i) => file.bytes(`${entry}.expected.grants.${i}.bytes`) as GrantBytes);

  /** Opens the grant of `entry` addressed to `box`; NOT_A_READER when there is none. */
  const openOwnGrant = (entry: "epoch0" | "epoch1Claim", box: BoxKeyPair): EpochKeys => {
    const record = records()[entry === "epoch0" ? 0 : 1]!;
    const mine = grants(entry).find((g) =>
      samePublicBytes(parseGrant(sodium, g).recipientBoxPk, box.publicKey),
    );
    if (mine === undefined) throw new CryptoError("NOT_A_READER", `no grant in ${entry} for this reader`);
    return openGrant(sodium, mine, record, box);
  };

  /** Keys of epochs 0 and 1 for a reader of epoch 1, from their epoch-1 grant and the history. */
  const keysFromLatestGrant = (box: BoxKeyPair): EpochKeys[] =>
    walkBackHistory(sodium, records(), openOwnGrant("epoch1Claim", box));

  return {
    helplineId,
    threadId,
    seeker,
    members,
    member,
    rosters,
    records,
    grants,
    openOwnGrant,
    seekerEpochKeys: lazy(() => keysFromLatestGrant(seeker().box)),
    staffEpochKeys: lazy(() => keysFromLatestGrant(member(file.text("epoch1Claim.inputs.claimer")).box)),
  };
}

export type GoldenContext = ReturnType<typeof goldenContext>;
