import type {
  BoxPublicKey,
  EpochKey,
  HelplineId,
  MemberId,
  RootPublicKey,
  SignPublicKey,
  StaffEpochKey,
  ThreadId,
} from "./brand.js";

/** Parsed structures. Binary layouts are in docs/PROTOCOL.md; field order here follows them. */

export type Role = "supervisor" | "counsellor";

export interface RosterMember {
  readonly memberId: MemberId;
  readonly role: Role;
  readonly intakeReader: boolean;
  readonly signPk: SignPublicKey;
  readonly boxPk: BoxPublicKey;
  readonly displayName: string;
}

export interface Roster {
  readonly helplineId: HelplineId;
  readonly version: number;
  readonly prevHash: Uint8Array;
  readonly issuedAt: number;
  readonly rootPk: RootPublicKey;
  readonly members: readonly RosterMember[];
  /** Who signed: rootPk for version 1, else the root of the previous roster or one of its supervisors. */
  readonly signerPk: SignPublicKey | RootPublicKey;
  readonly signature: Uint8Array;
  /** H(roster-hash, bytes); computed on parse. */
  readonly hash: Uint8Array;
}

export type EpochReason = "open" | "claim" | "assign" | "reassign" | "remove" | "roster-change";

export interface Reader {
  readonly kind: "seeker" | "staff";
  /** Zero id (16 zero bytes, base64url) for the help-seeker. */
  readonly memberId: MemberId;
  readonly signPk: SignPublicKey;
  readonly boxPk: BoxPublicKey;
}

export interface EpochRecord {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  readonly epoch: number;
  readonly prevRecordHash: Uint8Array;
  readonly rosterVersion: number;
  /** Hash of the roster of `rosterVersion` the signer relied on (protocol 2): a fork shows here. */
  readonly rosterHash: Uint8Array;
  readonly reason: EpochReason;
  readonly createdAt: number;
  readonly keyCommit: Uint8Array;
  readonly staffCommit: Uint8Array;
  readonly readers: readonly Reader[];
  /** The thread's heads as the signer saw them when making this epoch (empty in epoch 0). */
  readonly heads: readonly EnvelopeHead[];
  readonly history: Uint8Array;
  readonly staffHistory: Uint8Array;
  readonly signerPk: SignPublicKey;
  readonly signature: Uint8Array;
  /** H(epoch-record-hash, bytes); computed on parse. */
  readonly hash: Uint8Array;
}

/** The keys of one epoch. `staffKey` is absent in epoch 0 and for help-seekers. */
export interface EpochKeys {
  readonly epoch: number;
  readonly key: EpochKey;
  readonly staffKey?: StaffEpochKey;
}

export interface Grant {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  readonly epoch: number;
  readonly recordHash: Uint8Array;
  readonly recipientBoxPk: BoxPublicKey;
  readonly sealed: Uint8Array;
  readonly signerPk: SignPublicKey;
  readonly signature: Uint8Array;
}

/** `event` (kind 4): a signed fact of the thread in the main stream, e.g. a handover (PROTOCOL.md §5.1). */
export type EnvelopeKind = "message" | "note" | "status" | "event";

export interface EnvelopeHeader {
  readonly helplineId: HelplineId;
  readonly threadId: ThreadId;
  readonly epoch: number;
  readonly kind: EnvelopeKind;
  readonly senderSignPk: SignPublicKey;
  readonly seq: number;
  readonly createdAt: number;
  /** The newest envelope of every sender the author had seen and verified (PROTOCOL.md §5). */
  readonly heads: readonly EnvelopeHead[];
}

export interface Envelope extends EnvelopeHeader {
  readonly sealed: Uint8Array;
  readonly signature: Uint8Array;
  /** H(envelope-hash, bytes); computed on parse. */
  readonly hash: Uint8Array;
}

export interface AttachmentMeta {
  readonly attachmentId: string;
  readonly name: string;
  readonly mediaType: string;
  readonly size: number;
  readonly hash: Uint8Array;
  readonly key: Uint8Array;
}

export interface Payload {
  readonly subject: string;
  readonly body: string;
  readonly attachments: readonly AttachmentMeta[];
  /** Only in an envelope of kind `event` (subject and body empty, no attachments): what happened. */
  readonly event?: ThreadEvent;
}

/**
 * A handover (PROTOCOL.md §5.1): the thread is now with `memberId`. Signed by a supervisor of the
 * roster the epoch relied on, or by the named member themselves (taking it over); the named member
 * reads the event's epoch, and `displayName` is theirs on that roster.
 */
export interface HandoverEvent {
  readonly type: "handover";
  readonly memberId: MemberId;
  readonly signPk: SignPublicKey;
  readonly displayName: string;
}

/** The events a thread can carry (one so far). */
export type ThreadEvent = HandoverEvent;

export type ThreadStatus = "open" | "waiting" | "closed";

/** The stream of an envelope: messages and status changes are `main`, internal notes `staff`. */
export type EnvelopeStream = "main" | "staff";

/**
 * One sender's newest envelope as an author saw it (PROTOCOL.md §5, protocol 2). `seq` 0 with a zero
 * hash is allowed only with `pastDamaged`: every envelope of that sender the author saw was damaged.
 */
export interface EnvelopeHead {
  readonly stream: EnvelopeStream;
  readonly signPk: SignPublicKey;
  readonly seq: number;
  readonly hash: Uint8Array;
  /** Flag bit 0: newer envelopes of this sender were seen but failed verification. */
  readonly pastDamaged: boolean;
}
