/**
 * Purpose labels (domain separation). Every signature and every AEAD's associated data starts
 * with exactly one of these, so a signature or ciphertext made for one purpose can never be
 * accepted for another. The trailing `/v1` is the protocol version of that structure.
 */
export const LABEL = {
  roster: "briefgeheim/roster/v2",
  epochRecord: "briefgeheim/epoch-record/v2",
  epochHistory: "briefgeheim/epoch-history/v1",
  epochCommit: "briefgeheim/epoch-commit/v1",
  staffCommit: "briefgeheim/staff-epoch-commit/v1",
  grant: "briefgeheim/grant/v1",
  envelope: "briefgeheim/envelope/v2",
  envelopeHash: "briefgeheim/envelope-hash/v2",
  rosterHash: "briefgeheim/roster-hash/v2",
  recordHash: "briefgeheim/epoch-record-hash/v2",
  draft: "briefgeheim/draft/v1",
  attachment: "briefgeheim/attachment/v2",
  attachmentHash: "briefgeheim/attachment-hash/v1",
  signIn: "briefgeheim/sign-in/v1",
  accountWrap: "briefgeheim/account-wrap/v1",
  recoveryWrap: "briefgeheim/recovery-wrap/v1",
  rootWrap: "briefgeheim/root-wrap/v1",
  codeChecksum: "briefgeheim/code-checksum/v1",
  codeSalt: "briefgeheim/code-salt/v1",
  recoveryChecksum: "briefgeheim/recovery-checksum/v1",
  fingerprint: "briefgeheim/root-fingerprint/v1",
  proofHash: "briefgeheim/proof-hash/v1",
  inviteBinding: "briefgeheim/invite-binding/v1",
  inviteSecret: "briefgeheim/invite-secret/v2",
  memberSafetyCode: "briefgeheim/member-safety-code/v2",
  helplineProfile: "briefgeheim/helpline-profile/v2",
  annualReport: "briefgeheim/annual-report/v2",
  helplineSafetyProfile: "briefgeheim/helpline-safety-profile/v2",
  savedReplies: "briefgeheim/saved-replies/v2",
  teamReplies: "briefgeheim/team-replies/v2",
  teamRepliesSeal: "briefgeheim/team-replies-seal/v2",
  savedRepliesHash: "briefgeheim/saved-replies-hash/v2",
} as const;
export type Label = (typeof LABEL)[keyof typeof LABEL];

/** Version byte carried first in every serialized structure. */
export const WIRE_VERSION = 1;

/** Type byte carried second in every serialized structure; bound into signatures and AD. */
export const WIRE_TYPE = {
  roster: 0x01,
  epochRecord: 0x02,
  grant: 0x03,
  envelope: 0x04,
  draft: 0x05,
  wrappedKey: 0x06,
} as const;
export type WireType = (typeof WIRE_TYPE)[keyof typeof WIRE_TYPE];

/** crypto_kdf contexts: exactly 8 bytes each. */
export const KDF_CONTEXT = {
  seeker: "bg-seekr",
  account: "bg-acct_",
  passphrase: "bg-pass_",
  recovery: "bg-recov",
  epoch: "bg-epoch",
  invite: "bg-invit",
  root: "bg-root_",
} as const;

/**
 * The signed helpline profile (docs/PROTOCOL.md §10): new in protocol 2, so its structure starts with
 * version byte 0x02 whatever `WIRE_VERSION` the other structures carry while they switch over.
 */
export const HELPLINE_PROFILE = {
  label: LABEL.helplineProfile,
  version: 0x02,
  type: 0x07,
} as const;

/**
 * The helpline profile with its safety options (docs/PROTOCOL.md §10, slice D): the fields of type 0x07
 * plus the crisis options and the quick-exit destination. A new type, so stored 0x07 profiles keep
 * verifying and neither layout's signature can be taken for the other.
 */
export const HELPLINE_SAFETY_PROFILE = {
  label: LABEL.helplineSafetyProfile,
  version: 0x02,
  type: 0x0b,
} as const;

/**
 * Epoch records (type 0x02) and envelopes (type 0x04) changed in protocol 2 (roster hash and heads,
 * docs/PROTOCOL.md §4-§5): they carry version byte 0x02 whatever `WIRE_VERSION` the other structures
 * carry while they switch over. Grants, whose bytes did not change, keep theirs.
 */
export const THREAD_WIRE_VERSION = 0x02;

/**
 * The attachment stream (docs/PROTOCOL.md §6): new in protocol 2 (STREAM-style chunks that can be
 * re-made one by one, so an upload resumes after a reload), header version byte 0x02, type 0x08. The
 * plaintext hash keeps its label `attachment-hash/v1`: what it hashes did not change.
 */
export const ATTACHMENT_STREAM = {
  label: LABEL.attachment,
  version: 0x02,
  type: 0x08,
} as const;

/**
 * Survey answers (type 0x09, docs/PROTOCOL.md §13): sealed under `KDF(K_e, kdfId, "bg-epoch")`, read by
 * the epoch's readers, never by the server.
 */
export const SURVEY = {
  label: "briefgeheim/survey/v2",
  version: 0x02,
  type: 0x09,
  kdfId: 9,
} as const;

/** A helpline's annual report (type 0x0a, docs/PROTOCOL.md §13): aggregates signed by a supervisor. */
export const ANNUAL_REPORT = {
  label: LABEL.annualReport,
  version: 0x02,
  type: 0x0a,
} as const;

/**
 * A staff member's own saved replies and signature (type 0x0c, docs/PROTOCOL.md §14): AEAD under
 * `KDF(accountKey, kdfId, "bg-acct_")`, a key of its own rather than the draft key, so a draft can never be
 * opened as a saved-reply set or the other way round even if a context string collided.
 */
export const SAVED_REPLIES = {
  label: LABEL.savedReplies,
  version: 0x02,
  type: 0x0c,
  kdfId: 7,
} as const;

/**
 * A helpline's team saved replies (type 0x0d, docs/PROTOCOL.md §14): sealed under a fresh key per
 * revision (AD label `sealLabel`), the key wrapped to each member of a verified roster, the whole signed
 * by a supervisor (signature label `label`).
 */
export const TEAM_REPLIES = {
  label: LABEL.teamReplies,
  sealLabel: LABEL.teamRepliesSeal,
  version: 0x02,
  type: 0x0d,
} as const;
