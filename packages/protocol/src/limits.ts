/**
 * Limits shared by server and clients. Sizes of binary fields are in bytes *before* base64url;
 * `base64Length(n)` gives the wire length. Body limits are for the whole JSON request body.
 */
export const LIMITS = {
  /** Default and maximum page size of every list. */
  pageDefault: 50,
  pageMax: 200,
  /**
   * Envelopes in one thread (both streams). The server refuses more (`PAYLOAD_TOO_LARGE`) and a client
   * refuses to verify a thread listing more (`THREAD_TOO_LARGE`): verification costs one signature check
   * per envelope, and a thread stuffed with forgeries must not freeze the browser (quick exit included).
   */
  threadMaxEnvelopes: 10_000,
  /** A serialized envelope (payload padded to at most ~300 KiB, plus header, signature, AEAD). */
  envelopeMaxBytes: 300 * 1024,
  /** A serialized epoch record (readers at 101 bytes each, histories). */
  epochRecordMaxBytes: 64 * 1024,
  /** A serialized grant. */
  grantMaxBytes: 512,
  /** Readers per epoch record, hence grants per epoch change. */
  maxReaders: 256,
  /** A serialized roster. */
  rosterMaxBytes: 256 * 1024,
  /** A serialized encrypted draft. */
  draftMaxBytes: 300 * 1024,
  /**
   * A serialized saved-reply set (own type 0x0c or team type 0x0d, PROTOCOL.md §14): the list of at most
   * 256 KiB padded, plus for the team set one 96-byte wrap per member (at most 3,000).
   */
  savedRepliesMaxBytes: 600 * 1024,
  /** A wrapped key bundle (type 0x06) or a sealed root key. */
  wrappedKeyMaxBytes: 512,
  /** An invite secret sealed for the supervisors (nonce 24 + secret 32 + tag 16). */
  sealedInviteSecretBytes: 72,
  /**
   * Attachments (PROTOCOL.md §6). The per-helpline limits (file size, files per message, bytes per
   * conversation per day) default to these and can be set per helpline (table attachment_limits).
   */
  attachments: {
    headerBytes: 21,
    chunkBytes: 64 * 1024,
    tagBytes: 16,
    /** Default largest file (plaintext bytes). */
    maxFileBytes: 10_000_000,
    maxFilesPerMessage: 3,
    /** Default padded bytes per conversation per 24 hours. */
    dailyBytesPerConversation: 50 * 1024 * 1024,
    /** No helpline setting goes beyond this padded size (a 100 MB file pads to 104,857,600). */
    maxPaddedBytes: 128 * 1024 * 1024,
    /** Ids a post may name at most, whatever the helpline's setting (the server checks the setting). */
    maxIdsPerMessage: 16,
    /** An upload no message names is deleted this long after it was created. */
    unboundTtlMs: 24 * 3_600_000,
  },
  /** Threads per caseload batch. */
  batchMaxItems: 100,
  /** `POST /threads/read` (slice H): threads per request, envelopes per thread and bytes in all. */
  readBatch: { maxItems: 50, envelopesPerThread: 25, envelopeBytes: 2 * 1024 * 1024 },
  /** Request body limits per kind of route. */
  body: {
    small: 16 * 1024,
    envelope: 420 * 1024,
    thread: 500 * 1024,
    epoch: 160 * 1024,
    batch: 4 * 1024 * 1024,
    roster: 360 * 1024,
    draft: 420 * 1024,
    invite: 400 * 1024,
    /** `{"set":"..."}` around base64 of `savedRepliesMaxBytes`: a larger set is 413, not 400. */
    savedReplies: 800 * 1024 + 64,
  },
  /** Sign-in nonce lifetime. */
  challengeTtlMs: 60_000,
  /** Session lifetimes. */
  session: {
    seekerIdleMs: 15 * 60_000,
    seekerAbsoluteMs: 2 * 60 * 60_000,
    staffIdleMs: 30 * 60_000,
    staffAbsoluteMs: 12 * 60 * 60_000,
  },
  /** Invite lifetime bounds (hours). */
  inviteMinHours: 1,
  inviteMaxHours: 24 * 30,
  /** Argon2id parameter floor that clients enforce and the server also refuses below. */
  kdfFloor: { opsLimit: 3, memLimitKiB: 65_536 },
  /** Argon2id parameters above which clients refuse to work (a server cannot hang a browser). */
  kdfCeiling: { opsLimit: 32, memLimitKiB: 1_048_576 },
  /** Argon2id parameters the server pretends for unknown usernames (decoys). */
  kdfDecoy: { opsLimit: 3, memLimitKiB: 65_536 },
} as const;

/** Length of unpadded base64url text for `n` bytes. */
export function base64Length(n: number): number {
  return Math.ceil((n * 4) / 3);
}
