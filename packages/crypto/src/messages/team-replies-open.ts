import { aeadOpen } from "../core/aead.js";
import type { BoxKeyPair, HelplineId, MemberId } from "../core/brand.js";
import { concat, labelBytes, Reader } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { TEAM_REPLIES } from "../core/labels.js";
import { unpadPlaintext } from "../core/padme.js";
import { verifyWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type { Roster } from "../core/types.js";
import { checkPayloadSize, readReplyList, type SavedReply } from "./saved-replies-payload.js";
import { parseTeamReplies, teamRepliesHeader } from "./team-replies.js";

const SIGNATURE_BYTES = 64;

/** An opened team set. */
export interface OpenedTeamReplies {
  readonly revision: number;
  readonly rosterVersion: number;
  readonly signer: MemberId;
  /** Whom K was wrapped to: the supervisor's client compares it with the newest roster to re-seal. */
  readonly wrappedFor: readonly MemberId[];
  readonly replies: readonly SavedReply[];
}

/**
 * Verifies and opens a team set (PROTOCOL.md §14) against `newest`, the newest roster the reader's own
 * client verified from its pinned root. In this order: it parses; it names `helplineId` (`WRONG_CONTEXT`);
 * its roster version is not newer than `newest` (`ROSTER_ROLLBACK`: a roster the reader never verified);
 * its signer is a supervisor on `newest` (`TEAM_REPLIES_SIGNER`: a removed or demoted supervisor's set is
 * refused, whenever it was made); the signature holds with that supervisor's key from `newest`
 * (`BAD_SIGNATURE`); a wrap names `me` (`TEAM_REPLIES_NOT_SHARED`: admitted after the last save) and
 * opens with its box key (`DECRYPT_FAILED`); the list opens under K (`DECRYPT_FAILED`).
 *
 * @example
 * const team = openTeamReplies(sodium, bytes, { helplineId, newest, me: { memberId, box } });
 */
export function openTeamReplies(
  sodium: Sodium,
  bytes: Uint8Array,
  expected: {
    readonly helplineId: HelplineId;
    readonly newest: Roster;
    readonly me: { readonly memberId: MemberId; readonly box: BoxKeyPair };
  },
): OpenedTeamReplies {
  const set = parseTeamReplies(sodium, bytes);
  if (set.helplineId !== expected.helplineId)
    throw new CryptoError("WRONG_CONTEXT", "these team replies belong to another helpline");
  if (set.rosterVersion > expected.newest.version)
    throw new CryptoError("ROSTER_ROLLBACK", "the team replies name a roster this device has not verified");
  const signer = expected.newest.members.find((m) => m.memberId === set.signer);
  if (signer?.role !== "supervisor")
    throw new CryptoError("TEAM_REPLIES_SIGNER", "the signer is not a supervisor on the newest roster");
  verifyWithLabel(
    sodium,
    TEAM_REPLIES.label,
    bytes.subarray(0, bytes.length - SIGNATURE_BYTES),
    set.signature,
    signer.signPk,
  );
  const wrap = set.wraps.find((w) => w.memberId === expected.me.memberId);
  if (wrap === undefined)
    throw new CryptoError("TEAM_REPLIES_NOT_SHARED", "the team replies were saved before this member joined");
  let key: Uint8Array;
  try {
    key = sodium.crypto_box_seal_open(wrap.sealed, expected.me.box.publicKey, expected.me.box.secretKey);
  } catch (cause) {
    throw new CryptoError("DECRYPT_FAILED", "the team key does not open with this box key", { cause });
  }
  const ad = concat(labelBytes(TEAM_REPLIES.sealLabel), teamRepliesHeader(sodium, set));
  let padded: Uint8Array | undefined;
  try {
    padded = aeadOpen(sodium, key, set.sealed, ad);
    const r = new Reader(checkPayloadSize(unpadPlaintext(padded)));
    const replies = readReplyList(sodium, r);
    r.end();
    return {
      revision: set.revision,
      rosterVersion: set.rosterVersion,
      signer: set.signer,
      wrappedFor: set.wraps.map((w) => w.memberId),
      replies,
    };
  } finally {
    sodium.memzero(key);
    if (padded !== undefined) sodium.memzero(padded);
  }
}
