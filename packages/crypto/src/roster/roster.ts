import type {
  HelplineId,
  MemberId,
  RootPublicKey,
  RootSecretKey,
  RosterBytes,
  SignPublicKey,
} from "../core/brand.js";
import { compareBytes, samePublicBytes } from "../core/byte-order.js";
import { concat, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { labelledHash } from "../core/hash.js";
import { ID_BYTES, idFromBytes, idToBytes } from "../core/ids.js";
import { LABEL, WIRE_TYPE } from "../core/labels.js";
import { signWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type { Role, Roster, RosterMember } from "../core/types.js";
import { checkRosterRules, DISPLAY_NAME_MAX_BYTES } from "./roster-rules.js";

const ROLE_CODE: Record<Role, number> = { supervisor: 1, counsellor: 2 };
const FLAG_INTAKE = 0x01;
const SIGNATURE_BYTES = 64;
/** Roster v2 (PROTOCOL.md §3): the signer's key is part of the signed bytes. */
export const ROSTER_VERSION = 2;

/** The helpline root key pair (Ed25519). */
export interface RootKeyPair {
  readonly publicKey: RootPublicKey;
  readonly secretKey: RootSecretKey;
}

/**
 * Whoever signs a roster: the helpline root (version 1, succession, emergencies with the root
 * recovery sheet) or a supervisor's signing key pair (every ordinary change).
 */
export interface RosterSigner {
  readonly publicKey: RootPublicKey | SignPublicKey | Uint8Array;
  readonly secretKey: RootSecretKey | Uint8Array;
}

/** What a supervisor decides for a roster; rootPk, signer and signature are added by `signRoster`. */
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
    .u8(ROSTER_VERSION)
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
  return w.fixed(roster.signerPk, 32).finish();
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
  readRosterHeader(r);
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
  const signerPk = r.fixed(32) as SignPublicKey;
  const signature = r.fixed(SIGNATURE_BYTES);
  r.end();
  const hash = labelledHash(sodium, LABEL.rosterHash, bytes);
  return { helplineId, version, prevHash, issuedAt, rootPk, members, signerPk, signature, hash };
}

/** `u8 version=0x02 | u8 type=0x01`; a protocol-1 roster is refused with a message that says so. */
function readRosterHeader(r: Reader): void {
  const version = r.u8();
  if (version === 1) {
    throw new CryptoError(
      "UNSUPPORTED_VERSION",
      "this roster was made by protocol 1, which this version no longer reads",
    );
  }
  if (version !== ROSTER_VERSION) {
    throw new CryptoError("UNSUPPORTED_VERSION", `roster version ${version} is not supported`);
  }
  const type = r.u8();
  if (type !== WIRE_TYPE.roster) {
    throw new CryptoError("WRONG_TYPE", `expected structure type ${WIRE_TYPE.roster}, got ${type}`);
  }
}

/**
 * Signs a roster. `rootPk` is the helpline root the roster names (default: the signer, as for
 * version 1 and for the root's own emergency rosters); a supervisor signs with their signing key
 * pair and passes the current root. Members are sorted by memberId bytes; the roster rules are
 * enforced (`ROSTER_INVALID`) so a browser never publishes a roster that clients would refuse. Who
 * may sign is checked against the previous roster by `verifyRoster`, not here.
 *
 * @example
 * const bytes = signRoster(sodium, { helplineId, version: 1, prevHash: new Uint8Array(32),
 *   issuedAt: Date.now(), members: [supervisor] }, rootKeyPair);
 */
export function signRoster(
  sodium: Sodium,
  draft: RosterDraft,
  signer: RosterSigner,
  rootPk: RootPublicKey = signer.publicKey as RootPublicKey,
): RosterBytes {
  // A mismatched pair would produce a roster that every client refuses; say so here instead.
  if (
    signer.secretKey.length !== sodium.crypto_sign_SECRETKEYBYTES ||
    !samePublicBytes(sodium.crypto_sign_ed25519_sk_to_pk(signer.secretKey), signer.publicKey)
  ) {
    throw new CryptoError("ROSTER_WRONG_ROOT", "the signing secret key does not match its public key");
  }
  if (rootPk.length !== 32) throw new CryptoError("MALFORMED", "a root public key has 32 bytes");
  const members = [...draft.members].sort((a, b) =>
    compareBytes(idToBytes(sodium, a.memberId), idToBytes(sodium, b.memberId)),
  );
  const unsigned = { ...draft, members, rootPk, signerPk: signer.publicKey as SignPublicKey };
  checkRosterRules(sodium, unsigned);
  const body = encodeRosterBody(sodium, unsigned);
  const signature = signWithLabel(sodium, LABEL.roster, body, signer.secretKey);
  return concat(body, signature) as RosterBytes;
}

/**
 * The roster that follows `prev`: version + 1, `prevHash` = `prev.hash`, members changed as asked.
 * Adding an existing member, or replacing or removing an unknown one, is `ROSTER_INVALID`. The root
 * stays `prev.rootPk` unless `newRootPk` is given (root succession: only the old root may sign that).
 *
 * @example
 * const v2 = nextRoster(sodium, v1, { add: [newCounsellor] }, mySigningKeyPair, Date.now());
 */
export function nextRoster(
  sodium: Sodium,
  prev: Roster,
  changes: RosterChanges,
  signer: RosterSigner,
  now: number,
  newRootPk?: RootPublicKey,
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
    signer,
    newRootPk ?? prev.rootPk,
  );
}
