import type { HelplineId, SignPublicKey, SignSecretKey } from "../core/brand.js";
import { samePublicBytes } from "../core/byte-order.js";
import { concat, Reader, Writer } from "../core/codec.js";
import { CryptoError } from "../core/errors.js";
import { ID_BYTES, idFromBytes, idToBytes } from "../core/ids.js";
import { HELPLINE_PROFILE, HELPLINE_SAFETY_PROFILE } from "../core/labels.js";
import { signWithLabel, verifyWithLabel } from "../core/sign.js";
import type { Sodium } from "../core/sodium.js";
import type { Roster } from "../core/types.js";
import {
  type CrisisOption,
  checkSafetyFields,
  readSafetyFields,
  writeSafetyFields,
} from "./helpline-safety.js";

export type { CrisisOption };

/**
 * Byte limits of the profile's texts (UTF-8), so a profile stays a small public document: room for the
 * operator's 120-character name and 2000-character description in any script (3 bytes per UTF-16 unit).
 */
export const PROFILE_LIMITS = { nameBytes: 360, descriptionBytes: 6000, maxReplyHours: 24 * 365 } as const;

const SIGNATURE_BYTES = 64;
/** The largest code tag (10 bits, docs/PROTOCOL.md §1). */
const MAX_TAG = 1023;

/** What a supervisor decides about how the helpline presents itself to help-seekers. */
export interface HelplineProfileFields {
  readonly name: string;
  /** Dutch description, shown when the app is in Dutch. */
  readonly descriptionNl: string;
  /** English description, shown when the app is in English. */
  readonly descriptionEn: string;
  /** The reply time the helpline promises, in hours (>= 1). */
  readonly replyWithinHours: number;
  /** Type 0x0b only: what the help-seeker app offers on every screen in a crisis (at most 6). */
  readonly crisisOptions?: readonly CrisisOption[];
  /** Type 0x0b only: where the quick exit goes; "" or absent: the build's `BRIEFGEHEIM_EXIT_URL`. */
  readonly exitUrl?: string;
}

/** The two profile layouts: 0x07 (protocol 2's first) and 0x0b (with crisis options and exit). */
export type HelplineProfileType = typeof HELPLINE_PROFILE.type | typeof HELPLINE_SAFETY_PROFILE.type;

/** A helpline profile (type 0x07 or 0x0b) as signed. */
export interface HelplineProfile extends HelplineProfileFields {
  /** 0x0b signs crisis options and an exit destination; a 0x07 profile has none (empty here). */
  readonly type: HelplineProfileType;
  readonly crisisOptions: readonly CrisisOption[];
  readonly exitUrl: string;
  readonly helplineId: HelplineId;
  /** The 10-bit tag that help-seeker codes of this helpline carry. */
  readonly tag: number;
  /** 1, 2, 3, ...: each edit signs the next version. */
  readonly profileVersion: number;
  readonly issuedAt: number;
  readonly signerPk: SignPublicKey;
  readonly signature: Uint8Array;
}

/** What is signed; `type` defaults to 0x0b (0x07 is kept for stored profiles and their vectors). */
export type HelplineProfileDraft = Omit<
  HelplineProfile,
  "signerPk" | "signature" | "type" | "crisisOptions" | "exitUrl"
> & {
  readonly type?: HelplineProfileType;
  readonly crisisOptions?: readonly CrisisOption[];
  readonly exitUrl?: string;
};

const layoutOf = (type: HelplineProfileType) =>
  type === HELPLINE_SAFETY_PROFILE.type ? HELPLINE_SAFETY_PROFILE : HELPLINE_PROFILE;

function checkFields(p: HelplineProfileDraft & { readonly type: HelplineProfileType }): void {
  const bytes = (s: string) => new TextEncoder().encode(s).length;
  if (p.name.trim() === "" || bytes(p.name) > PROFILE_LIMITS.nameBytes) {
    throw new CryptoError("MALFORMED", `a profile needs a name of at most ${PROFILE_LIMITS.nameBytes} bytes`);
  }
  if (
    bytes(p.descriptionNl) > PROFILE_LIMITS.descriptionBytes ||
    bytes(p.descriptionEn) > PROFILE_LIMITS.descriptionBytes
  ) {
    throw new CryptoError(
      "MALFORMED",
      `a profile description is longer than ${PROFILE_LIMITS.descriptionBytes} bytes`,
    );
  }
  if (!Number.isInteger(p.tag) || p.tag < 0 || p.tag > MAX_TAG) {
    throw new CryptoError("MALFORMED", `tag ${p.tag} is not a 10-bit code tag`);
  }
  if (!Number.isInteger(p.profileVersion) || p.profileVersion < 1) {
    throw new CryptoError("MALFORMED", "profile versions start at 1");
  }
  if (
    !Number.isInteger(p.replyWithinHours) ||
    p.replyWithinHours < 1 ||
    p.replyWithinHours > PROFILE_LIMITS.maxReplyHours
  ) {
    throw new CryptoError("MALFORMED", "the promised reply time must be 1 to 8760 hours");
  }
  const crisisOptions = p.crisisOptions ?? [];
  const exitUrl = p.exitUrl ?? "";
  if (p.type === HELPLINE_PROFILE.type && (crisisOptions.length > 0 || exitUrl !== "")) {
    throw new CryptoError("MALFORMED", "a type 0x07 profile carries no crisis options or exit destination");
  }
  checkSafetyFields(crisisOptions, exitUrl);
}

/** Everything before the signature, in the order of docs/PROTOCOL.md §10. */
function encodeBody(
  sodium: Sodium,
  p: HelplineProfileDraft & { readonly type: HelplineProfileType },
  signerPk: Uint8Array,
): Uint8Array {
  const w = new Writer()
    .u8(layoutOf(p.type).version)
    .u8(p.type)
    .fixed(idToBytes(sodium, p.helplineId), ID_BYTES)
    .u16(p.tag)
    .u32(p.profileVersion)
    .u64(p.issuedAt)
    .str(p.name)
    .str(p.descriptionNl)
    .str(p.descriptionEn)
    .u32(p.replyWithinHours);
  if (p.type === HELPLINE_SAFETY_PROFILE.type) writeSafetyFields(w, p.crisisOptions ?? [], p.exitUrl ?? "");
  return w.fixed(signerPk, 32).finish();
}

/**
 * Signs a helpline profile with a supervisor's signing key (or the root's, in an emergency): type
 * 0x0b (with crisis options and exit destination) unless the draft says 0x07.
 *
 * @example
 * const bytes = signHelplineProfile(sodium, { helplineId, tag: 7, profileVersion: 1, issuedAt: now,
 *   name: "De Hulplijn", descriptionNl: "...", descriptionEn: "...", replyWithinHours: 72 }, myKeys.signing);
 */
export function signHelplineProfile(
  sodium: Sodium,
  draft: HelplineProfileDraft,
  signer: { readonly publicKey: SignPublicKey | Uint8Array; readonly secretKey: SignSecretKey | Uint8Array },
): Uint8Array {
  const typed = { ...draft, type: draft.type ?? HELPLINE_SAFETY_PROFILE.type };
  checkFields(typed);
  const body = encodeBody(sodium, typed, signer.publicKey);
  return concat(body, signWithLabel(sodium, layoutOf(typed.type).label, body, signer.secretKey));
}

/**
 * Parses a profile (structure only; `verifyHelplineProfile` decides whether to trust it). A profile
 * of protocol 1 does not exist; any other version byte is `UNSUPPORTED_VERSION`.
 */
export function parseHelplineProfile(sodium: Sodium, bytes: Uint8Array): HelplineProfile {
  const r = new Reader(bytes);
  const version = r.u8();
  if (version !== HELPLINE_PROFILE.version) {
    throw new CryptoError("UNSUPPORTED_VERSION", `helpline profile version ${version} is not supported`);
  }
  const type = r.u8();
  if (type !== HELPLINE_PROFILE.type && type !== HELPLINE_SAFETY_PROFILE.type) {
    throw new CryptoError("WRONG_TYPE", `expected structure type 0x07 or 0x0b, got ${type}`);
  }
  const helplineId = idFromBytes<HelplineId>(sodium, r.fixed(ID_BYTES));
  const tag = r.u16();
  const profileVersion = r.u32();
  const issuedAt = r.u64();
  const name = r.str(PROFILE_LIMITS.nameBytes);
  const descriptionNl = r.str(PROFILE_LIMITS.descriptionBytes);
  const descriptionEn = r.str(PROFILE_LIMITS.descriptionBytes);
  const replyWithinHours = r.u32();
  const safety =
    type === HELPLINE_SAFETY_PROFILE.type ? readSafetyFields(r) : { crisisOptions: [], exitUrl: "" };
  const signerPk = r.fixed(32) as SignPublicKey;
  const signature = r.fixed(SIGNATURE_BYTES);
  r.end();
  const profile = {
    type: type as HelplineProfileType,
    ...safety,
    helplineId,
    tag,
    profileVersion,
    issuedAt,
    name,
    descriptionNl,
    descriptionEn,
    replyWithinHours,
    signerPk,
    signature,
  };
  checkFields(profile);
  return profile;
}

/** What a verifier expects of a profile. */
export interface ProfileTrust {
  readonly helplineId: HelplineId;
  /**
   * The newest roster verified against the pinned root: the profile's signer must be its root
   * (`rootPk`, the current root after any succession) or one of its supervisors.
   */
  readonly roster: Roster;
  /** The code tag the caller expects (a returning help-seeker's code); omit to accept the signed one. */
  readonly tag?: number;
  /** The newest profile version this device verified before; an older one is `PROFILE_ROLLBACK`. */
  readonly rememberedVersion?: number;
}

/**
 * Verifies a helpline profile: helpline (`WRONG_CONTEXT`), signer allowed by the newest verified
 * roster (`PROFILE_SIGNER_NOT_ALLOWED`: a removed supervisor, another helpline's supervisor, any
 * other key), signature (`BAD_SIGNATURE`), expected tag (`PROFILE_TAG_MISMATCH`) and not older than
 * the remembered version (`PROFILE_ROLLBACK`). Equal to the remembered version is fine (a reload).
 *
 * @example
 * const profile = verifyHelplineProfile(sodium, bytes, { helplineId, roster: trusted.roster, tag: 7 });
 */
export function verifyHelplineProfile(
  sodium: Sodium,
  bytes: Uint8Array,
  trust: ProfileTrust,
): HelplineProfile {
  const profile = parseHelplineProfile(sodium, bytes);
  if (profile.helplineId !== trust.helplineId || trust.roster.helplineId !== trust.helplineId) {
    throw new CryptoError("WRONG_CONTEXT", "the profile belongs to another helpline");
  }
  const bySupervisor = trust.roster.members.some(
    (m) => m.role === "supervisor" && samePublicBytes(m.signPk, profile.signerPk),
  );
  if (!bySupervisor && !samePublicBytes(trust.roster.rootPk, profile.signerPk)) {
    throw new CryptoError(
      "PROFILE_SIGNER_NOT_ALLOWED",
      `profile ${profile.profileVersion} is not signed by the root or a supervisor of roster ${trust.roster.version}`,
    );
  }
  const body = bytes.subarray(0, bytes.length - SIGNATURE_BYTES);
  verifyWithLabel(sodium, layoutOf(profile.type).label, body, profile.signature, profile.signerPk);
  if (trust.tag !== undefined && profile.tag !== trust.tag) {
    throw new CryptoError(
      "PROFILE_TAG_MISMATCH",
      `the code is for tag ${trust.tag} but this helpline signed tag ${profile.tag}`,
    );
  }
  if (trust.rememberedVersion !== undefined && profile.profileVersion < trust.rememberedVersion) {
    throw new CryptoError(
      "PROFILE_ROLLBACK",
      `profile version ${profile.profileVersion} is older than version ${trust.rememberedVersion} seen before`,
    );
  }
  return profile;
}
