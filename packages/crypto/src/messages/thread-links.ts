import type { Sodium } from "../core/sodium.js";
import type { Envelope } from "../core/types.js";
import type { EnvelopeStream } from "./envelope.js";
import type { ThreadProblem } from "./verify-thread.js";

/** An envelope that passed the per-envelope checks, at its position in the server's order. */
export interface LinkEntry {
  readonly index: number;
  readonly envelope: Envelope;
  readonly stream: EnvelopeStream;
}

/**
 * Sequence and hash-link checks of `verifyThread` (PROTOCOL.md §5) over trusted envelopes in server order.
 *
 * `prevEnvelopeHash` names the end of the prefix of the server's order that the sender had seen, so a
 * valid envelope links backwards, to a point at or after the sender's own previous envelope, in an epoch
 * not newer than its own. Concurrent posts (two senders linking to the same envelope) are fine.
 */
export function checkThreadLinks(sodium: Sodium, entries: readonly LinkEntry[]): ThreadProblem[] {
  const problems: ThreadProblem[] = [];
  const report = (reason: ThreadProblem["reason"], e: LinkEntry, detail: string) =>
    problems.push({ reason, index: e.index, detail });
  const hex = (b: Uint8Array) => sodium.to_hex(b);

  // Group by sender and stream; a second envelope with a seq already seen is a replay. It stays a
  // signed envelope of the stream, so others may still link to it.
  const groups = new Map<string, Map<number, LinkEntry>>();
  for (const e of entries) {
    const groupKey = `${e.stream}:${hex(e.envelope.senderSignPk)}`;
    let group = groups.get(groupKey);
    if (group === undefined) {
      group = new Map();
      groups.set(groupKey, group);
    }
    if (group.has(e.envelope.seq)) {
      report("DUPLICATE", e, `seq ${e.envelope.seq} of this sender appears twice`);
      continue;
    }
    group.set(e.envelope.seq, e);
  }

  for (const group of groups.values()) checkSequence(group, report);

  const byHash = new Map<string, LinkEntry>();
  for (const e of entries) byHash.set(`${e.stream}:${hex(e.envelope.hash)}`, e);
  for (const e of entries) {
    const env = e.envelope;
    const own = groups.get(`${e.stream}:${hex(env.senderSignPk)}`)?.get(env.seq - 1);
    if (own !== undefined && env.epoch < own.envelope.epoch) {
      report(
        "STALE_EPOCH",
        e,
        `epoch ${env.epoch} after the sender's own post in epoch ${own.envelope.epoch}`,
      );
    }
    if (env.prevEnvelopeHash.every((b) => b === 0)) {
      // The sender saw at least its own previous post, so it cannot link to nothing.
      if (env.seq > 1) report("SENDER_FORK", e, `seq ${env.seq} links to nothing`);
      continue;
    }
    const target = byHash.get(`${e.stream}:${hex(env.prevEnvelopeHash)}`);
    if (target === undefined) {
      report("BROKEN_LINK", e, "links to an envelope that is not in this stream");
      continue;
    }
    if (target.index > e.index)
      report("REORDERED", e, `comes before the envelope it links to (#${target.index})`);
    if (env.epoch < target.envelope.epoch) {
      report("STALE_EPOCH", e, `epoch ${env.epoch} links to an envelope in epoch ${target.envelope.epoch}`);
    }
    if (own !== undefined && own.index > target.index) {
      report("SENDER_FORK", e, `does not descend from the sender's seq ${env.seq - 1} (#${own.index})`);
    }
  }
  return dedupe(problems);
}

/** Seq gaps (a dropped post) and posts that come before a lower seq of the same sender. */
function checkSequence(
  group: ReadonlyMap<number, LinkEntry>,
  report: (reason: ThreadProblem["reason"], e: LinkEntry, detail: string) => void,
): void {
  const inOrder = [...group.values()].sort((a, b) => a.index - b.index);
  let lowestLater = Number.POSITIVE_INFINITY;
  for (let i = inOrder.length - 1; i >= 0; i--) {
    const e = inOrder[i]!;
    if (e.envelope.seq > lowestLater) report("REORDERED", e, `comes before the sender's seq ${lowestLater}`);
    lowestLater = Math.min(lowestLater, e.envelope.seq);
  }
  let expected = 1;
  for (const e of [...group.values()].sort((a, b) => a.envelope.seq - b.envelope.seq)) {
    const seq = e.envelope.seq;
    if (seq > expected) {
      report(
        "SEQ_GAP",
        e,
        seq - 1 === expected ? `seq ${expected} is missing` : `seq ${expected}..${seq - 1} missing`,
      );
    }
    expected = seq + 1;
  }
}

/** One problem per reason and envelope (a swap can trip the same reason twice), ordered by position. */
function dedupe(problems: readonly ThreadProblem[]): ThreadProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.reason}:${p.index}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.index - b.index);
}
