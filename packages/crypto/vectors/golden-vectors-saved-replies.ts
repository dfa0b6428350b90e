/**
 * Golden vectors of the saved replies (docs/PROTOCOL.md §14): an own set (type 0x0c, revision 3, one
 * reply and a signature with "auto") and a team set (type 0x0d, revision 2, roster version 5, a
 * supervisor and a counsellor). Checked independently of saved-replies*.ts and team-replies*.ts: the
 * key, AD, signature and plaintext are built here byte by byte as §14 writes them, and opened with bare
 * libsodium calls.
 */
import type { AccountKey, HelplineId, MemberId } from "../src/core/brand.js";
import { concat } from "../src/core/codec.js";
import { toBase64 } from "../src/core/encoding.js";
import { boxKeyPairFromSeed, signKeyPairFromSeed } from "../src/core/key-pair-from-seed.js";
import { seededRandom } from "../src/core/random.js";
import type { Sodium } from "../src/core/sodium.js";
import type { Roster } from "../src/core/types.js";
import { sealSavedReplies } from "../src/messages/saved-replies.js";
import { deriveSavedRepliesKey } from "../src/messages/saved-replies-key.js";
import { sealTeamReplies } from "../src/messages/team-replies-seal.js";
import { GOLDEN_HELPLINE_ID, goldenSeed, hex } from "./golden-vectors-inputs.js";
import { expectBytes, expectSame, type VectorFile } from "./golden-vectors-read.js";
import type { NamedCheck } from "./golden-vectors-verify-keys.js";

const OWN = {
  replies: [{ title: "Welkom", body: "Fijn dat je ons schrijft.\nWe lezen mee." }],
  signature: { text: "Groet,\nInès", auto: true },
};
const TEAM = [{ title: "Crisis", body: "Bel 113 als het nu niet meer gaat." }];

function inputs(sodium: Sodium) {
  const id = (name: string) => toBase64(sodium, goldenSeed(sodium, name).subarray(0, 16));
  const person = (name: string, role: "supervisor" | "counsellor") => {
    const sign = signKeyPairFromSeed(sodium, goldenSeed(sodium, `${name}-sign`));
    const box = boxKeyPairFromSeed(sodium, goldenSeed(sodium, `${name}-box`));
    return {
      sign,
      box,
      member: {
        memberId: id(`${name}-id`) as MemberId,
        role,
        intakeReader: false,
        signPk: sign.publicKey,
        boxPk: box.publicKey,
        displayName: name,
      },
    };
  };
  return {
    accountKey: goldenSeed(sodium, "saved-replies-account") as AccountKey,
    ownReplyId: id("saved-reply-own"),
    teamReplyId: id("saved-reply-team"),
    supervisor: person("saved-replies-supervisor", "supervisor"),
    counsellor: person("saved-replies-counsellor", "counsellor"),
  };
}

/** `savedReplies`: an own set and a team set from fixed keys and seeded randomness. */
export function buildSavedRepliesVectors(sodium: Sodium) {
  const i = inputs(sodium);
  const helplineId = GOLDEN_HELPLINE_ID as HelplineId;
  const own = sealSavedReplies(
    sodium,
    deriveSavedRepliesKey(sodium, i.accountKey),
    helplineId,
    3,
    { replies: OWN.replies.map((r) => ({ id: i.ownReplyId, ...r })), signature: OWN.signature },
    seededRandom(sodium, goldenSeed(sodium, "saved-replies-own")),
  );
  const roster = {
    helplineId,
    version: 5,
    members: [i.supervisor.member, i.counsellor.member],
  } as unknown as Roster;
  const team = sealTeamReplies(
    sodium,
    { helplineId, revision: 2, roster, replies: TEAM.map((r) => ({ id: i.teamReplyId, ...r })) },
    { memberId: i.supervisor.member.memberId, secretKey: i.supervisor.sign.secretKey },
    seededRandom(sodium, goldenSeed(sodium, "saved-replies-team")),
  );
  return {
    savedReplies: {
      inputs: {
        accountKey: hex(sodium, i.accountKey),
        helplineId,
        own: { revision: 3, replyId: i.ownReplyId, ...OWN },
        team: {
          revision: 2,
          rosterVersion: 5,
          replyId: i.teamReplyId,
          replies: TEAM,
          supervisor: {
            memberId: i.supervisor.member.memberId,
            signPk: hex(sodium, i.supervisor.sign.publicKey),
          },
          counsellor: {
            memberId: i.counsellor.member.memberId,
            boxSecretKey: hex(sodium, i.counsellor.box.secretKey),
          },
        },
      },
      expected: { own: hex(sodium, own), team: hex(sodium, team) },
    },
  };
}

const utf8 = (s: string) => new TextEncoder().encode(s);
const u16 = (n: number) => Uint8Array.of(n >> 8, n & 0xff);
const u32 = (n: number) => Uint8Array.of(n >>> 24, (n >>> 16) & 0xff, (n >>> 8) & 0xff, n & 0xff);
const str = (s: string) => concat(u32(utf8(s).length), utf8(s));
const label = (s: string) => concat(Uint8Array.of(utf8(s).length), utf8(s));

/** `u16 n | (fixed16 id | str title | str body)*`, by hand. */
function listByHand(sodium: Sodium, id: string, replies: readonly { title: string; body: string }[]) {
  return concat(
    u16(replies.length),
    ...replies.map((r) =>
      concat(sodium.from_base64(id, sodium.base64_variants.URLSAFE_NO_PADDING), str(r.title), str(r.body)),
    ),
  );
}

/** The padded plaintext starts with `u32 len || payload`, and only zeros follow. */
function expectFramed(sodium: Sodium, what: string, padded: Uint8Array, payload: Uint8Array): void {
  expectBytes(sodium, what, padded.subarray(0, 4 + payload.length), concat(u32(payload.length), payload));
  expectSame(
    `${what}: zero padding`,
    padded.subarray(4 + payload.length).every((b) => b === 0),
    true,
  );
}

/** §14 by hand: the own set opened from KDF id 7 and the header AD; the team set's signature and wrap. */
export function savedRepliesChecks(sodium: Sodium, file: VectorFile): NamedCheck[] {
  const helplineBytes = () =>
    sodium.from_base64(
      file.text("savedReplies.inputs.helplineId"),
      sodium.base64_variants.URLSAFE_NO_PADDING,
    );
  return [
    {
      name: "savedReplies: open the own set by hand",
      run: () => {
        const bytes = file.bytes("savedReplies.expected.own");
        const key = sodium.crypto_kdf_derive_from_key(
          32,
          7,
          "bg-acct_",
          file.bytes("savedReplies.inputs.accountKey"),
        );
        const header = concat(Uint8Array.of(0x02, 0x0c), helplineBytes(), u32(3));
        expectBytes(sodium, "own header", bytes.subarray(0, 22), header);
        const sealed = bytes.subarray(26);
        expectSame(
          "own sealed length",
          bytes.length,
          26 + new DataView(bytes.buffer, bytes.byteOffset).getUint32(22),
        );
        const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          null,
          sealed.subarray(24),
          concat(label("briefgeheim/saved-replies/v2"), header),
          sealed.subarray(0, 24),
          key,
        );
        const payload = concat(
          listByHand(sodium, file.text("savedReplies.inputs.own.replyId"), OWN.replies),
          str(OWN.signature.text),
          Uint8Array.of(1),
        );
        expectFramed(sodium, "own plaintext", padded, payload);
      },
    },
    {
      name: "savedReplies: verify and open the team set by hand",
      run: () => {
        const bytes = file.bytes("savedReplies.expected.team");
        const signed = bytes.subarray(0, bytes.length - 64);
        const ok = sodium.crypto_sign_verify_detached(
          bytes.subarray(bytes.length - 64),
          concat(label("briefgeheim/team-replies/v2"), signed),
          file.bytes("savedReplies.inputs.team.supervisor.signPk"),
        );
        expectSame("team signature", ok, true);
        const id = (path: string) =>
          sodium.from_base64(file.text(path), sodium.base64_variants.URLSAFE_NO_PADDING);
        const header = concat(
          Uint8Array.of(0x02, 0x0d),
          helplineBytes(),
          u32(2),
          u32(5),
          id("savedReplies.inputs.team.supervisor.memberId"),
        );
        expectBytes(sodium, "team header", bytes.subarray(0, 42), header);
        const n = (bytes[42]! << 8) | bytes[43]!;
        expectSame("wraps", n, 2);
        const mine = id("savedReplies.inputs.team.counsellor.memberId");
        const wrapAt = [0, 1]
          .map((k) => 44 + k * 96)
          .find((at) => sodium.memcmp(bytes.subarray(at, at + 16), mine));
        if (wrapAt === undefined) throw new Error("no wrap for the counsellor");
        const boxSecret = file.bytes("savedReplies.inputs.team.counsellor.boxSecretKey");
        const k = sodium.crypto_box_seal_open(
          bytes.subarray(wrapAt + 16, wrapAt + 96),
          sodium.crypto_scalarmult_base(boxSecret),
          boxSecret,
        );
        const sealedAt = 44 + n * 96 + 4;
        const padded = sodium.crypto_aead_xchacha20poly1305_ietf_decrypt(
          null,
          bytes.subarray(sealedAt + 24, bytes.length - 64),
          concat(label("briefgeheim/team-replies-seal/v2"), header),
          bytes.subarray(sealedAt, sealedAt + 24),
          k,
        );
        expectFramed(
          sodium,
          "team plaintext",
          padded,
          listByHand(sodium, file.text("savedReplies.inputs.team.replyId"), TEAM),
        );
      },
    },
  ];
}
