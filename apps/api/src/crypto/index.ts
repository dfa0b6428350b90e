/**
 * The server's view of `@briefgeheim/crypto`: verification only. The server never holds a private key
 * or an epoch key and never decrypts; it checks structure and signatures before storing anything.
 * Every function throws the crypto package's `CryptoError`, which `onError` maps to a typed 4xx.
 * (The server never imports libsodium itself: only through this package.)
 */
import {
  type Envelope,
  type EnvelopeBytes,
  type EpochRecord,
  type EpochRecordBytes,
  fromBase64,
  type Grant,
  type GrantBytes,
  type HelplineId,
  loadSodium,
  parseDraft,
  parseEnvelope,
  parseEpochRecord,
  parseRoster,
  parseWrappedKey,
  proofHash,
  type RootPublicKey,
  type Roster,
  type RosterBytes,
  type SignPublicKey,
  type Sodium,
  type ThreadId,
  toBase64,
  verifyChallenge,
  verifyEnvelopeSignature,
  verifyEpochRecord,
  verifyGrant,
  verifyRoster,
  type WrappedKey,
} from "@briefgeheim/crypto";

export type { Envelope, EpochRecord, Grant, Roster, WrappedKey };

export interface ServerCrypto {
  readonly sodium: Sodium;
  b64(bytes: Uint8Array): string;
  /** Base64url to bytes; MALFORMED on anything else. */
  bytes(text: string): Uint8Array;
  /** `H(proof-hash, proof)`: the only form in which passphrase and recovery proofs are stored. */
  proofHash(proof: Uint8Array): Uint8Array;
  /** Throws CHALLENGE_INVALID unless the signature signs this challenge under `signInPk`. */
  verifyChallenge(
    challenge: { origin: string; helplineId: string; role: "seeker" | "staff"; nonce: Uint8Array },
    signature: Uint8Array,
    signInPk: Uint8Array,
  ): void;
  parseRoster(bytes: Uint8Array): Roster;
  /** Verifies a roster against the pinned root and, if given, the previous roster (version + 1, hash link). */
  verifyRoster(
    bytes: Uint8Array,
    trust: { rootPk: Uint8Array; helplineId: string; previous?: Roster },
  ): Roster;
  parseRecord(bytes: Uint8Array): EpochRecord;
  /** Verifies an epoch record: context, chain link to `prev`, signature, and who may sign (per roster). */
  verifyRecord(
    bytes: Uint8Array,
    ctx: {
      helplineId: string;
      threadId: string;
      prev?: EpochRecord;
      roster: (version: number) => Roster | undefined;
    },
  ): EpochRecord;
  /** Verifies a grant belongs to `record`, is signed by its signer and names one of its readers. */
  verifyGrant(bytes: Uint8Array, record: EpochRecord): Grant;
  /** Parses an envelope (computing its hash) and verifies its sender's signature. */
  verifyEnvelope(bytes: Uint8Array): Envelope;
  /** The context a draft binds (`new:<id>` / `reply:<id>`). */
  draftContext(bytes: Uint8Array): string;
  parseWrappedKey(bytes: Uint8Array): WrappedKey;
}

/** Loads libsodium once (with the crypto package's start-up self-check) and binds the verifiers. */
export async function loadServerCrypto(): Promise<ServerCrypto> {
  const sodium = await loadSodium();
  return {
    sodium,
    b64: (bytes) => toBase64(sodium, bytes),
    bytes: (text) => fromBase64(sodium, text),
    proofHash: (proof) => proofHash(sodium, proof),
    verifyChallenge: (challenge, signature, signInPk) =>
      verifyChallenge(
        sodium,
        { ...challenge, helplineId: challenge.helplineId as HelplineId },
        signature,
        signInPk as SignPublicKey,
      ),
    parseRoster: (bytes) => parseRoster(sodium, bytes as RosterBytes),
    verifyRoster: (bytes, trust) =>
      verifyRoster(sodium, bytes as RosterBytes, {
        pinnedRoot: trust.rootPk as RootPublicKey,
        helplineId: trust.helplineId as HelplineId,
        trusted: trust.previous,
      }),
    parseRecord: (bytes) => parseEpochRecord(sodium, bytes as EpochRecordBytes),
    verifyRecord: (bytes, ctx) =>
      verifyEpochRecord(sodium, bytes as EpochRecordBytes, {
        helplineId: ctx.helplineId as HelplineId,
        threadId: ctx.threadId as ThreadId,
        prev: ctx.prev,
        rosters: ctx.roster,
      }),
    verifyGrant: (bytes, record) => verifyGrant(sodium, bytes as GrantBytes, record),
    verifyEnvelope: (bytes) => {
      const envelope = parseEnvelope(sodium, bytes as EnvelopeBytes);
      verifyEnvelopeSignature(sodium, bytes, envelope);
      return envelope;
    },
    draftContext: (bytes) => parseDraft(bytes).context,
    parseWrappedKey: (bytes) => parseWrappedKey(bytes),
  };
}
