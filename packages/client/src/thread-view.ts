import {
  type AttachmentMeta,
  bytesEqual,
  type EnvelopeKind,
  findMember,
  type HelplineId,
  type MemberId,
  type Sodium,
  type ThreadId,
  type ThreadProblem,
  type ThreadProblemReason,
} from "@briefgeheim/crypto";
import type { ThreadStatus } from "@briefgeheim/protocol";
import type { HelplineDirectory } from "./helplines.js";
import type { ReadKind } from "./thread-history.js";
import type { LoadedThread, ReaderIdentity } from "./thread-loader.js";

/** Problems that make an envelope not genuine: its content and author are not shown. */
const DAMAGED: ReadonlySet<ThreadProblemReason> = new Set([
  "BAD_SIGNATURE",
  "UNKNOWN_SENDER",
  "WRONG_THREAD",
  "UNKNOWN_EPOCH",
  "DUPLICATE",
  "DECRYPT_FAILED",
  // A handover nobody was allowed to sign, or naming a non-reader: its claim is not shown (§5.1).
  "EVENT_NOT_A_READER",
  "EVENT_SIGNER_NOT_ALLOWED",
]);

/** A verified handover (PROTOCOL.md §5.1): the thread is now with `displayName`. */
export interface HandoverView {
  readonly memberId: MemberId;
  /** As the roster the epoch relied on names them (checked against the event). */
  readonly displayName: string;
  /** True when the new counsellor signed it themselves (took it over), false for a supervisor's. */
  readonly self: boolean;
}

/** Who wrote a message, from the reader's point of view. */
export type MessageFrom = "me" | "helpline" | "help-seeker";

/** One verified, decrypted message, note or status change. */
export interface ThreadMessage {
  /** The envelope's id (client-chosen, unique in the thread). */
  readonly id: string;
  readonly from: MessageFrom;
  /** The staff author's display name from the verified roster (absent for the help-seeker). */
  readonly displayName?: string;
  readonly kind: EnvelopeKind;
  readonly subject: string;
  readonly body: string;
  /** When the author wrote it (signed by the author). */
  readonly createdAt: number;
  /** When the server stored it (not signed). */
  readonly receivedAt: number;
  readonly epoch: number;
  /** True when nothing is wrong with this envelope; otherwise `problems` says what. */
  readonly verified: boolean;
  /** The problems of this envelope (PROTOCOL.md §5), shown on it; the rest of the thread reads on. */
  readonly problems: readonly ThreadProblemReason[];
  /**
   * The envelope is not genuine (bad signature, unknown sender, moved in, unknown epoch, a replay):
   * nothing of it is shown but the flag, and `from` is only what its unsigned header claims.
   */
  readonly damaged: boolean;
  /** Its author went on past a damaged message (flag bit 0 of a head): shown, never silent. */
  readonly continuesPastDamaged: boolean;
  /** With `kind: "event"`, verified and not damaged: the handover it announces. */
  readonly handover?: HandoverView;
  /**
   * The files the message carries, from its signed payload (empty when damaged): pass one to
   * `downloadAttachment`, which checks the file against exactly this metadata.
   */
  readonly attachments: readonly AttachmentMeta[];
}

/** Who can read the thread now (its current epoch), from the verified roster. */
export interface ThreadReaders {
  /** The helpline's name. */
  readonly helpline: string;
  /** Display names of the counsellors among the readers. */
  readonly counsellors: readonly string[];
  /** True when the helpline's supervisors read it (always, by the protocol's rules). */
  readonly supervisors: boolean;
}

/** A thread as a reader sees it: verified messages, problems found, who reads it, status. */
export interface ThreadView {
  readonly threadId: ThreadId;
  /** The subject of the first message. */
  readonly subject: string;
  readonly messages: readonly ThreadMessage[];
  /**
   * Every verification problem (dropped, withheld, replayed, reordered, forged envelopes; index -1 for
   * problems of the thread, such as `WITHHELD`): show a warning.
   */
  readonly problems: readonly ThreadProblem[];
  /** True when the whole thread verified. */
  readonly ok: boolean;
  readonly readers: ThreadReaders;
  readonly status: ThreadStatus;
  /** When the thread will be deleted under the helpline's retention rule. */
  readonly expiresAt: number;
  /** Verified envelopes the reader holds no key for (an epoch from before they were granted). */
  readonly unreadable: number;
  /** Whether only what followed this tab's verified listing was fetched, or why the whole listing was. */
  readonly read: ReadKind;
}

/**
 * Turns a loaded, verified thread into what a reader is shown. Every envelope is a message at its
 * place: one with problems carries them (`verified: false`), a damaged one is a flagged placeholder,
 * and the rest reads normally (issue 8, item 5). Display names come from the verified roster.
 *
 * @example
 * const view = threadView(sodium, helplines, helplineName, me, await loadThread(ctx, threadId));
 */
export function threadView(
  sodium: Sodium,
  helplines: HelplineDirectory,
  helpline: { readonly id: HelplineId; readonly name: string },
  me: ReaderIdentity,
  thread: LoadedThread,
): ThreadView {
  const messages: ThreadMessage[] = [];
  let unreadable = 0;
  for (const item of thread.verification.items) {
    const problems = item.problems.map((p) => p.reason);
    const damaged = problems.some((r) => DAMAGED.has(r));
    if (item.payload === undefined && !damaged) {
      // A genuine envelope without a key for it (notes for a help-seeker, an epoch before one's grant).
      unreadable++;
      continue;
    }
    const env = item.envelope;
    const stored = thread.stored[item.index]!;
    const record = thread.records[env.epoch];
    const reader = record?.readers.find((r) => bytesEqual(sodium, r.signPk, env.senderSignPk));
    let from: MessageFrom;
    let displayName: string | undefined;
    if (bytesEqual(sodium, env.senderSignPk, me.signing.publicKey)) from = "me";
    else if (reader?.kind === "seeker") from = "help-seeker";
    else from = "helpline";
    if (reader?.kind === "staff" && record !== undefined && !damaged) {
      displayName = helplines
        .roster(helpline.id, record.rosterVersion)
        ?.members.find((m) => m.memberId === reader.memberId)?.displayName;
    }
    const event = damaged ? undefined : item.payload?.event;
    const handover: HandoverView | undefined =
      event === undefined
        ? undefined
        : {
            memberId: event.memberId,
            displayName: event.displayName,
            self: bytesEqual(sodium, event.signPk, env.senderSignPk),
          };
    messages.push({
      id: stored.id,
      from,
      ...(displayName === undefined ? {} : { displayName }),
      kind: env.kind,
      subject: damaged ? "" : (item.payload?.subject ?? ""),
      body: damaged ? "" : (item.payload?.body ?? ""),
      attachments: damaged ? [] : (item.payload?.attachments ?? []),
      createdAt: env.createdAt,
      receivedAt: stored.receivedAt,
      epoch: env.epoch,
      verified: item.ok,
      problems,
      damaged,
      continuesPastDamaged: item.continuesPastDamaged,
      ...(handover === undefined ? {} : { handover }),
    });
  }
  return {
    threadId: thread.threadId,
    subject: messages.find((m) => m.kind === "message" && !m.damaged)?.subject ?? "",
    messages,
    problems: thread.verification.problems,
    ok: thread.verification.ok,
    readers: currentReaders(helplines, helpline, thread),
    status: thread.summary.status,
    expiresAt: thread.summary.expiresAt,
    unreadable,
    read: thread.read,
  };
}

/**
 * The readers of the current epoch by role, with counsellors' display names from the roster the
 * record relied on.
 *
 * @example
 * currentReaders(helplines, helpline, thread); // { helpline: "Hulplijn", counsellors: ["Bram"], supervisors: true }
 */
export function currentReaders(
  helplines: HelplineDirectory,
  helpline: { readonly id: HelplineId; readonly name: string },
  thread: Pick<LoadedThread, "current">,
): ThreadReaders {
  const roster = helplines.roster(helpline.id, thread.current.rosterVersion);
  const counsellors: string[] = [];
  let supervisors = false;
  for (const r of thread.current.readers) {
    if (r.kind !== "staff") continue;
    const member = roster === undefined ? undefined : findMember(roster, r.signPk);
    if (member?.role === "supervisor") supervisors = true;
    else if (member !== undefined) counsellors.push(member.displayName);
  }
  return { helpline: helpline.name, counsellors: counsellors.sort(), supervisors };
}
