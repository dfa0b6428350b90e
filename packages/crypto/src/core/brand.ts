declare const brand: unique symbol;

/** A nominal type: `Brand<Uint8Array, "EpochKey">` is not assignable from a plain Uint8Array or another key. */
export type Brand<T, B extends string> = T & { readonly [brand]: B };

// Ids (16 random bytes, carried as base64url strings on the wire).
export type HelplineId = Brand<string, "HelplineId">;
export type ThreadId = Brand<string, "ThreadId">;
export type MemberId = Brand<string, "MemberId">;

// Public keys.
export type SignPublicKey = Brand<Uint8Array, "SignPublicKey">;
export type BoxPublicKey = Brand<Uint8Array, "BoxPublicKey">;
export type RootPublicKey = Brand<Uint8Array, "RootPublicKey">;

// Secret keys and symmetric keys.
export type SignSecretKey = Brand<Uint8Array, "SignSecretKey">;
export type BoxSecretKey = Brand<Uint8Array, "BoxSecretKey">;
export type RootSecretKey = Brand<Uint8Array, "RootSecretKey">;
export type EpochKey = Brand<Uint8Array, "EpochKey">;
export type StaffEpochKey = Brand<Uint8Array, "StaffEpochKey">;
export type DraftKey = Brand<Uint8Array, "DraftKey">;
export type SavedRepliesKey = Brand<Uint8Array, "SavedRepliesKey">;
export type AccountKey = Brand<Uint8Array, "AccountKey">;
export type RecoveryKey = Brand<Uint8Array, "RecoveryKey">;
export type AttachmentKey = Brand<Uint8Array, "AttachmentKey">;

// Human-facing strings.
/** A help-seeker code in canonical display form, e.g. `K7QM-2XH9-...`; validated (checksum ok). */
export type SeekerCode = Brand<string, "SeekerCode">;
/** A staff recovery key in canonical display form; validated. */
export type RecoveryKeyText = Brand<string, "RecoveryKeyText">;
/** A grouped, human-comparable fingerprint of a helpline root key. */
export type Fingerprint = Brand<string, "Fingerprint">;

// Serialized structures (self-describing bytes: version byte, type byte, fields).
export type RosterBytes = Brand<Uint8Array, "RosterBytes">;
export type EpochRecordBytes = Brand<Uint8Array, "EpochRecordBytes">;
export type GrantBytes = Brand<Uint8Array, "GrantBytes">;
export type EnvelopeBytes = Brand<Uint8Array, "EnvelopeBytes">;
export type DraftBytes = Brand<Uint8Array, "DraftBytes">;
export type WrappedKeyBytes = Brand<Uint8Array, "WrappedKeyBytes">;

/** Ed25519 key pair with branded halves. */
export interface SignKeyPair {
  readonly publicKey: SignPublicKey;
  readonly secretKey: SignSecretKey;
}
/** X25519 key pair with branded halves. */
export interface BoxKeyPair {
  readonly publicKey: BoxPublicKey;
  readonly secretKey: BoxSecretKey;
}
