import type { HelplineId, MemberId, RootPublicKey, RootSecretKey, RosterBytes } from "../core/brand.js";
import { compareBytes, samePublicBytes } from "../core/byte-order.js";
import { concat, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { ID_BYTES, idFromBytes, idToBytes } from "../core/ids.js";
import { LABEL, WIRE_TYPE, WIRE_VERSION } from "../core/labels.js";
import { signWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import { readStructureHeader } from "../core/structure-header.js";
import type { Role, Roster, RosterMember } from "../core/types.js";
import { checkRosterRules, DISPLAY_NAME_MAX_BYTES } from "./roster-rules.js";

const ROLE_CODE: Record<Role, number> = { supervisor: 1, counsellor: 2 };
const FLAG_INTAKE = 0x01;
const SIGNATURE_BYTES = 64;

/** The helpline root key pair (Ed25519). */
export interface RootKeyPair {
  readonly publicKey: RootPublicKey;
  readonly secretKey: RootSecretKey;
}

/** What a supervisor decides for a roster; the root key and signature are added by `signRoster`. */
export interface RosterDraft {
  readonly helplineId: HelplineId;
  readonly version: number;
  readonly prevHash: Uint8Array;
  readonly issuedAt: number;
  readonly members: readonly RosterMember[];
}

/** Changes for `nextRoster`: members are matched by memberId. */
export interface RosterChanges {
  readonly add?: readonly RosterMember[];
  /** Replaces the member with the same memberId (role, intake flag, keys or name changed). */
  readonly replace?: readonly RosterMember[];
  readonly remove?: readonly MemberId[];
}

/** The signed part: everything before the signature. */
function encodeRosterBody(sodium: Sodium, roster: Omit<Roster, "signature" | "hash">): Uint8Array {
  const w = new Writer()
    .u8(WIRE_VERSION)
    .u8(WIRE_TYPE.roster)
    .fixed(idToBytes(sodium, roster.helplineId), ID_BYTES)
    .u32(roster.version)
    .fixed(roster.prevHash, 32)
    .u64(roster.issuedAt)
    .fixed(roster.rootPk, 32)
    .u16(roster.members.length);
  for (const m of roster.members) {
    w.fixed(idToBytes(sodium, m.memberId), ID_BYTES)
      .u8(ROLE_CODE[m.role])
      .u8(m.intakeReader ? FLAG_INTAKE : 0)
      .fixed(m.signPk, 32)
      .fixed(m.boxPk, 32)
      .str(m.displayName);
  }
  return w.finish();
}

/** Serialises a roster (type 0x01) exactly as parsed or signed. */
export function encodeRoster(sodium: Sodium, roster: Omit<Roster, "hash">): RosterBytes {
  if (roster.signature.length !== SIGNATURE_BYTES)
    throw new CryptoError("MALFORMED", "signature must be 64 bytes");
  return concat(encodeRosterBody(sodium, roster), roster.signature) as RosterBytes;
}

/**
 * Parses a roster and computes its hash. Structure only: the root, the signature and the roster
 * rules are checked by `verifyRoster`, which callers must use for anything they trust.
 *
 * @example
 * const roster = parseRoster(sodium, bytes);
 * roster.version; // 3
 */
export function parseRoster(sodium: Sodium, bytes: RosterBytes): Roster {
  const r = new Reader(bytes);
  readStructureHeader(r, WIRE_TYPE.roster);
  const helplineId = idFromBytes<HelplineId>(sodium, r.fixed(ID_BYTES));
  const version = r.u32();
  const prevHash = r.fixed(32);
  const issuedAt = r.u64();
  const rootPk = r.fixed(32) as RootPublicKey;
  const count = r.u16();
  const members: RosterMember[] = [];
  for (let i = 0; i < count; i++) {
    const memberId = idFromBytes<MemberId>(sodium, r.fixed(ID_BYTES));
    const roleCode = r.u8();
    const role = roleCode === 1 ? "supervisor" : roleCode === 2 ? "counsellor" : undefined;
    if (role === undefined) throw new CryptoError("MALFORMED", `unknown role ${roleCode}`);
    const flags = r.u8();
    // Unknown flag bits would be dropped on re-encoding: refuse them so one meaning has one encoding.
    if ((flags & ~FLAG_INTAKE) !== 0) throw new CryptoError("MALFORMED", `unknown member flags ${flags}`);
    const signPk = r.fixed(32) as RosterMember["signPk"];
    const boxPk = r.fixed(32) as RosterMember["boxPk"];
    const displayName = r.str(DISPLAY_NAME_MAX_BYTES);
    members.push({ memberId, role, intakeReader: flags === FLAG_INTAKE, signPk, boxPk, displayName });
  }
  const signature = r.fixed(SIGNATURE_BYTES);
  r.end();
  const hash = labelledHash(sodium, LABEL.rosterHash, bytes);
  return { helplineId, version, prevHash, issuedAt, rootPk, members, signature, hash };
}

/**
 * Signs a roster with the helpline root key. Members are sorted by memberId bytes; the roster
 * rules are enforced (`ROSTER_INVALID`) so a supervisor's browser never publishes a roster that
 * clients would refuse.
 *
 * @example
 * const bytes = signRoster(sodium, { helplineId, version: 1, prevHash: new Uint8Array(32),
 *   issuedAt: Date.now(), members: [supervisor] }, rootKeyPair);
 */
export function signRoster(sodium: Sodium, draft: RosterDraft, rootKeyPair: RootKeyPair): RosterBytes {
  // A mismatched pair would produce a roster that every client refuses; say so here instead.
  if (
    rootKeyPair.secretKey.length !== sodium.crypto_sign_SECRETKEYBYTES ||
    !samePublicBytes(sodium.crypto_sign_ed25519_sk_to_pk(rootKeyPair.secretKey), rootKeyPair.publicKey)
  ) {
    throw new CryptoError("ROSTER_WRONG_ROOT", "root secret key does not match the root public key");
  }
  const members = [...draft.members].sort((a, b) =>
    compareBytes(idToBytes(sodium, a.memberId), idToBytes(sodium, b.memberId)),
  );
  const unsigned = { ...draft, members, rootPk: rootKeyPair.publicKey };
  checkRosterRules(sodium, unsigned);
  const body = encodeRosterBody(sodium, unsigned);
  const signature = signWithLabel(sodium, LABEL.roster, body, rootKeyPair.secretKey);
  return concat(body, signature) as RosterBytes;
}

/**
 * The roster that follows `prev`: version + 1, `prevHash` = `prev.hash`, members changed as asked.
 * Adding an existing member, or replacing or removing an unknown one, is `ROSTER_INVALID`.
 *
 * @example
 * const v2 = nextRoster(sodium, v1, { add: [newCounsellor] }, rootKeyPair, Date.now());
 */
export function nextRoster(
  sodium: Sodium,
  prev: Roster,
  changes: RosterChanges,
  rootKeyPair: RootKeyPair,
  now: number,
): RosterBytes {
  const byId = new Map<string, RosterMember>(prev.members.map((m) => [m.memberId, m]));
  for (const id of changes.remove ?? []) {
    if (!byId.delete(id)) throw new CryptoError("ROSTER_INVALID", `cannot remove unknown member ${id}`);
  }
  for (const m of changes.replace ?? []) {
    if (!byId.has(m.memberId))
      throw new CryptoError("ROSTER_INVALID", `cannot replace unknown member ${m.memberId}`);
    byId.set(m.memberId, m);
  }
  for (const m of changes.add ?? []) {
    if (byId.has(m.memberId))
      throw new CryptoError("ROSTER_INVALID", `member ${m.memberId} is already listed`);
    byId.set(m.memberId, m);
  }
  return signRoster(
    sodium,
    {
      helplineId: prev.helplineId,
      version: prev.version + 1,
      prevHash: prev.hash,
      issuedAt: now,
      members: [...byId.values()],
    },
    rootKeyPair,
  );
}
