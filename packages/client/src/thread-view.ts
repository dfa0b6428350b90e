import {
  bytesEqual,
  type EnvelopeKind,
  findMember,
  type HelplineId,
  type Sodium,
  type ThreadId,
  type ThreadProblem,
} from "@briefgeheim/crypto";
import type { ThreadStatus } from "@briefgeheim/protocol";
import type { HelplineDirectory } from "./helplines.js";
import type { LoadedThread, ReaderIdentity } from "./thread-loader.js";

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
  /** Only verified envelopes become messages; the others are listed in `problems`. */
  readonly verified: true;
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
  /** Every verification problem (dropped, replayed, reordered, forged envelopes): show a warning. */
  readonly problems: readonly ThreadProblem[];
  /** True when the whole thread verified. */
  readonly ok: boolean;
  readonly readers: ThreadReaders;
  readonly status: ThreadStatus;
  /** When the thread will be deleted under the helpline's retention rule. */
  readonly expiresAt: number;
  /** Verified envelopes the reader holds no key for (an epoch from before they were granted). */
  readonly unreadable: number;
}

/**
 * Turns a loaded, verified thread into what a reader is shown. Envelopes with any problem are left
 * out of `messages` (and listed in `problems`); display names come from the verified roster.
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
    if (!item.ok) continue;
    if (item.payload === undefined) {
      unreadable++;
      continue;
    }
    const env = item.envelope;
    const stored = thread.stored[item.index]!;
    const record = thread.records[env.epoch]!;
    const reader = record.readers.find((r) => bytesEqual(sodium, r.signPk, env.senderSignPk));
    let from: MessageFrom;
    let displayName: string | undefined;
    if (bytesEqual(sodium, env.senderSignPk, me.signing.publicKey)) from = "me";
    else if (reader?.kind === "seeker") from = "help-seeker";
    else from = "helpline";
    if (reader?.kind === "staff") {
      displayName = helplines
        .roster(helpline.id, record.rosterVersion)
        ?.members.find((m) => m.memberId === reader.memberId)?.displayName;
    }
    messages.push({
      id: stored.id,
      from,
      ...(displayName === undefined ? {} : { displayName }),
      kind: env.kind,
      subject: item.payload.subject,
      body: item.payload.body,
      createdAt: env.createdAt,
      receivedAt: stored.receivedAt,
      epoch: env.epoch,
      verified: true,
    });
  }
  return {
    threadId: thread.threadId,
    subject: messages.find((m) => m.kind === "message")?.subject ?? "",
    messages,
    problems: thread.verification.problems,
    ok: thread.verification.ok,
    readers: currentReaders(helplines, helpline, thread),
    status: thread.summary.status,
    expiresAt: thread.summary.expiresAt,
    unreadable,
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
