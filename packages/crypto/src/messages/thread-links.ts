import type { Sodium } from "../core/sodium.js";
import type { Envelope, EnvelopeHead, EnvelopeStream } from "../core/types.js";
import { headKey } from "./heads.js";
import type { ThreadProblem } from "./verify-thread.js";

/** An envelope at its position in the server's order. */
export interface LinkEntry {
  readonly index: number;
  readonly envelope: Envelope;
  readonly stream: EnvelopeStream;
}

export interface LinkInput {
  /** Envelopes that passed the per-envelope checks (signature, sender, epoch, thread). */
  readonly trusted: readonly LinkEntry[];
  /**
   * Envelopes that parse but failed a per-envelope check. They are flagged on themselves; their claimed
   * (stream, sender, seq) only keeps that one failure from spreading to later envelopes (item 5).
   */
  readonly damaged: readonly LinkEntry[];
  /** The heads named by each verified epoch record, by epoch (epoch 0 names none). */
  readonly epochHeads: ReadonlyMap<number, readonly EnvelopeHead[]>;
  /** Heads this device saw before (its own posts and what it read): gone now = `WITHHELD`. */
  readonly remembered: readonly EnvelopeHead[];
  /**
   * The streams the reader is served (a help-seeker gets no notes): heads in another stream name
   * envelopes this reader cannot see, so they are not checked.
   */
  readonly streams: readonly EnvelopeStream[];
}

export interface LinkResult {
  readonly problems: ThreadProblem[];
  /** Positions of envelopes whose author linked past a damaged envelope (flag bit 0 set). */
  readonly continuesPastDamaged: ReadonlySet<number>;
}

type Report = (reason: ThreadProblem["reason"], index: number, detail: string) => void;

/**
 * Sequence and head checks of `verifyThread` (PROTOCOL.md §5, protocol 2). Every envelope names the
 * newest envelope of every sender its author had seen, so each check is local to one envelope: a head
 * must be present (`MISSING`), be that sender's envelope with that hash (`SENDER_FORK`), come earlier in
 * the server's order (`REORDERED`) and not be in a newer epoch (`STALE_EPOCH`); the author's own
 * previous envelope must be named when `seq` > 1 (`SENDER_FORK`); an envelope of epoch e beyond the head
 * that the record of epoch e+1 names for its sender was written after the change (`AFTER_EPOCH_CHANGE`).
 */
export function checkThreadLinks(sodium: Sodium, input: LinkInput): LinkResult {
  const problems: ThreadProblem[] = [];
  const report: Report = (reason, index, detail) => problems.push({ reason, index, detail });
  const hex = (b: Uint8Array) => sodium.to_hex(b);
  const at = (stream: EnvelopeStream, pk: Uint8Array, seq: number) => `${headKey(sodium, stream, pk)}#${seq}`;
  // Thread-wide problems have no envelope to point at: the detail names whose seq is gone, so two
  // senders' gone envelopes are two problems (and a reader can tell a new one from one seen before).
  const sender = (h: EnvelopeHead) => `the ${h.stream} sender ${hex(h.signPk).slice(0, 16)}`;

  // One trusted envelope per (stream, sender, seq); a second one with the same seq is a replay or fork.
  const bySeq = new Map<string, LinkEntry>();
  const groups = new Map<string, LinkEntry[]>();
  for (const e of input.trusted) {
    const key = at(e.stream, e.envelope.senderSignPk, e.envelope.seq);
    if (bySeq.has(key)) {
      report("DUPLICATE", e.index, `seq ${e.envelope.seq} of this sender appears twice`);
      continue;
    }
    bySeq.set(key, e);
    const group = headKey(sodium, e.stream, e.envelope.senderSignPk);
    const list = groups.get(group);
    if (list === undefined) groups.set(group, [e]);
    else list.push(e);
  }
  const damagedAt = new Set(input.damaged.map((e) => at(e.stream, e.envelope.senderSignPk, e.envelope.seq)));
  const damagedByGroup = damagedSeqs(input.damaged, sodium);
  for (const [group, entries] of groups)
    checkSequence(entries, damagedByGroup.get(group) ?? new Set(), report);

  /** What a head names: `undefined` when present as named, else the problem with where to report it. */
  const resolve = (h: EnvelopeHead) => {
    if (h.seq === 0 || !input.streams.includes(h.stream)) return { found: undefined, problem: undefined };
    const found = bySeq.get(at(h.stream, h.signPk, h.seq));
    if (found === undefined) {
      // Present but damaged: flagged on itself already. Absent: somebody saw it, the server dropped it.
      return { found, problem: damagedAt.has(at(h.stream, h.signPk, h.seq)) ? undefined : "MISSING" };
    }
    if (hex(found.envelope.hash) !== hex(h.hash)) return { found, problem: "SENDER_FORK" };
    return { found, problem: undefined };
  };

  const continuesPastDamaged = new Set<number>();
  for (const e of input.trusted) {
    const env = e.envelope;
    const own = env.heads.find((h) => h.stream === e.stream && hex(h.signPk) === hex(env.senderSignPk));
    if (env.seq > 1 && (own === undefined || own.seq !== env.seq - 1)) {
      report("SENDER_FORK", e.index, `seq ${env.seq} does not name the sender's own seq ${env.seq - 1}`);
    } else if (env.seq === 1 && own !== undefined && own.seq !== 0) {
      report("SENDER_FORK", e.index, "seq 1 names an earlier envelope of its own sender");
    }
    for (const h of env.heads) {
      if (h.pastDamaged) continuesPastDamaged.add(e.index);
      const { found, problem } = resolve(h);
      if (problem === "MISSING") report("MISSING", e.index, `names seq ${h.seq} of a sender, which is gone`);
      if (problem === "SENDER_FORK")
        report("SENDER_FORK", e.index, `names another seq ${h.seq} (#${found!.index})`);
      if (found === undefined || problem !== undefined) continue;
      if (found.index > e.index)
        report("REORDERED", e.index, `comes before an envelope it names (#${found.index})`);
      if (env.epoch < found.envelope.epoch) {
        report(
          "STALE_EPOCH",
          e.index,
          `epoch ${env.epoch} names an envelope of epoch ${found.envelope.epoch}`,
        );
      }
    }
    const next = input.epochHeads.get(env.epoch + 1);
    if (next !== undefined) {
      const h = next.find((x) => x.stream === e.stream && hex(x.signPk) === hex(env.senderSignPk));
      if (h === undefined || env.seq > h.seq) {
        report(
          "AFTER_EPOCH_CHANGE",
          e.index,
          `written in epoch ${env.epoch} after epoch ${env.epoch + 1} began`,
        );
      }
    }
  }

  for (const [epoch, heads] of input.epochHeads) {
    for (const h of heads) {
      const { found, problem } = resolve(h);
      if (problem === "MISSING")
        report(
          "MISSING",
          -1,
          `the record of epoch ${epoch} names seq ${h.seq} of ${sender(h)}, which is gone`,
        );
      if (problem === "SENDER_FORK")
        report("SENDER_FORK", found!.index, `the record of epoch ${epoch} names another seq ${h.seq}`);
    }
  }
  for (const h of input.remembered) {
    const { found, problem } = resolve(h);
    if (problem === "MISSING")
      report("WITHHELD", -1, `seq ${h.seq} of ${sender(h)} was seen on this device and is gone`);
    if (problem === "SENDER_FORK")
      report("SENDER_FORK", found!.index, `this device saw another seq ${h.seq}`);
  }
  return { problems: dedupe(problems), continuesPastDamaged };
}

/** The seqs damaged envelopes claim, per (stream, sender) group (one pass: linear in the thread). */
function damagedSeqs(damaged: readonly LinkEntry[], sodium: Sodium): Map<string, Set<number>> {
  const byGroup = new Map<string, Set<number>>();
  for (const d of damaged) {
    const group = headKey(sodium, d.stream, d.envelope.senderSignPk);
    const seqs = byGroup.get(group);
    if (seqs === undefined) byGroup.set(group, new Set([d.envelope.seq]));
    else seqs.add(d.envelope.seq);
  }
  return byGroup;
}

/**
 * Seq gaps (a dropped post: `SEQ_GAP`) and posts that come before a lower seq of the same sender
 * (`REORDERED`). A seq held by a damaged envelope is no gap: that envelope is flagged on itself.
 */
function checkSequence(group: readonly LinkEntry[], damaged: ReadonlySet<number>, report: Report): void {
  const inOrder = [...group].sort((a, b) => a.index - b.index);
  let lowestLater = Number.POSITIVE_INFINITY;
  for (let i = inOrder.length - 1; i >= 0; i--) {
    const e = inOrder[i]!;
    if (e.envelope.seq > lowestLater)
      report("REORDERED", e.index, `comes before the sender's seq ${lowestLater}`);
    lowestLater = Math.min(lowestLater, e.envelope.seq);
  }
  let expected = 1;
  for (const e of [...group].sort((a, b) => a.envelope.seq - b.envelope.seq)) {
    const seq = e.envelope.seq;
    while (expected < seq && damaged.has(expected)) expected++;
    if (seq > expected) {
      report(
        "SEQ_GAP",
        e.index,
        seq - 1 === expected ? `seq ${expected} is missing` : `seq ${expected}..${seq - 1} missing`,
      );
    }
    expected = seq + 1;
  }
}

/** One problem per reason and envelope (thread-wide ones per detail), ordered by position. */
function dedupe(problems: readonly ThreadProblem[]): ThreadProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const key = `${p.reason}:${p.index}:${p.index === -1 ? p.detail : ""}`;
      if (seen.has(key)) return false;
      seen.add(key);
      return true;
    })
    .sort((a, b) => a.index - b.index);
}
