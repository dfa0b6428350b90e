import { aeadSeal } from "../core/aead.js";
import type { HelplineId, MemberId, SignSecretKey } from "../core/brand.js";
import { compareBytes } from "../core/byte-order.js";
import { concat, labelBytes, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { bytesEqual } from "../core/hash.js";
import { idToBytes } from "../core/ids.js";
import { TEAM_REPLIES } from "../core/labels.js";
import { padPlaintext } from "../core/padme.js";
import type { RandomSource } from "../core/random.js";
import { sealToBox } from "../core/sealed-box.js";
import { signWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type { Roster } from "../core/types.js";
import { checkPayloadSize, type SavedReply, writeReplyList } from "./saved-replies-payload.js";
import { teamRepliesHeader, teamRepliesSigned } from "./team-replies.js";

/**
 * Seals a helpline's team saved replies (type 0x0d, PROTOCOL.md §14) for every member of `roster`, a
 * roster the supervisor's own client verified (never a key list from the server): a fresh random key K
 * for this revision, K sealed to each member's box key, the list sealed under K, the whole signed by the
 * supervisor. `SIGNER_NOT_ALLOWED` unless `signer` is a supervisor on `roster` with this signing key.
 *
 * @example
 * const bytes = sealTeamReplies(sodium, { helplineId, revision: 5, roster, replies }, { memberId, secretKey }, random);
 */
export function sealTeamReplies(
  sodium: Sodium,
  set: {
    readonly helplineId: HelplineId;
    readonly revision: number;
    readonly roster: Roster;
    readonly replies: readonly SavedReply[];
  },
  signer: { readonly memberId: MemberId; readonly secretKey: SignSecretKey },
  random: RandomSource,
): Uint8Array {
  const me = set.roster.members.find((m) => m.memberId === signer.memberId);
  if (me?.role !== "supervisor")
    throw new CryptoError("SIGNER_NOT_ALLOWED", "team saved replies are saved by a supervisor of the roster");
  // A set signed with another key than the roster's would be refused by every reader (BAD_SIGNATURE).
  if (!bytesEqual(sodium, sodium.crypto_sign_ed25519_sk_to_pk(signer.secretKey), me.signPk))
    throw new CryptoError("SIGNER_NOT_ALLOWED", "this signing key is not the supervisor's key on the roster");
  const w = new Writer();
  writeReplyList(sodium, w, set.replies);
  const padded = padPlaintext(checkPayloadSize(w.finish()));
  const key = random(32);
  try {
    const head = {
      helplineId: set.helplineId,
      revision: set.revision,
      rosterVersion: set.roster.version,
      signer: signer.memberId,
    };
    const ad = concat(labelBytes(TEAM_REPLIES.sealLabel), teamRepliesHeader(sodium, head));
    const wraps = [...set.roster.members]
      .sort((a, b) => compareBytes(idToBytes(sodium, a.memberId), idToBytes(sodium, b.memberId)))
      .map((m) => ({ memberId: m.memberId, sealed: sealToBox(sodium, key, m.boxPk, random) }));
    const signed = teamRepliesSigned(sodium, {
      ...head,
      wraps,
      sealed: aeadSeal(sodium, key, padded, ad, random),
    });
    return concat(signed, signWithLabel(sodium, TEAM_REPLIES.label, signed, signer.secretKey));
  } finally {
    sodium.memzero(padded);
    sodium.memzero(key);
  }
}
