import type { Sodium } from "../core/sodium.js";
import type { EnvelopeHead, EnvelopeStream } from "../core/types.js";
import { headKey, sortHeads } from "./heads.js";
import type { ThreadItem, ThreadProblemReason } from "./verify-thread.js";

/**
 * Problems that mean "this is not a genuine envelope of this thread": its claim to be some sender's seq
 * is not believed. Any other problem (`MISSING`, `SEQ_GAP`, ...) is about what surrounds a genuine,
 * signed envelope, which the author did see and so names.
 */
export const NOT_GENUINE: ReadonlySet<ThreadProblemReason> = new Set([
  "BAD_SIGNATURE",
  "UNKNOWN_SENDER",
  "WRONG_THREAD",
  "UNKNOWN_EPOCH",
  "DUPLICATE",
]);

export interface ThreadHeadsOptions {
  /** The streams the author reads: `["main"]` for a help-seeker, both for staff. */
  readonly streams: readonly EnvelopeStream[];
  /** Heads this device remembers (its own last posts, what it saw before): never named lower. */
  readonly remembered?: readonly EnvelopeHead[];
}

/**
 * The heads an author names in its next envelope or epoch record (PROTOCOL.md §5): per (stream, sender)
 * the newest genuine envelope it verified, or the remembered one when that is newer (so an envelope the
 * server stopped serving is named and every reader sees `MISSING`). When an envelope of that sender at
 * or above the named seq is damaged in the author's view, flag bit 0 says so ("continues past a damaged
 * message"); when all of them were, the head is seq 0 with a zero hash and the flag.
 *
 * @example
 * const heads = threadHeads(sodium, verification.items, { streams: ["main", "staff"], remembered });
 */
export function threadHeads(
  sodium: Sodium,
  items: readonly ThreadItem[],
  opts: ThreadHeadsOptions,
): EnvelopeHead[] {
  const newest = new Map<string, EnvelopeHead>();
  const damagedTop = new Map<string, { stream: EnvelopeStream; signPk: Uint8Array; seq: number }>();
  const consider = (h: EnvelopeHead) => {
    const key = headKey(sodium, h.stream, h.signPk);
    const had = newest.get(key);
    if (had === undefined || h.seq > had.seq) newest.set(key, h);
  };
  for (const item of items) {
    if (!opts.streams.includes(item.stream)) continue;
    const env = item.envelope;
    if (item.problems.some((p) => NOT_GENUINE.has(p.reason))) {
      const key = headKey(sodium, item.stream, env.senderSignPk);
      const top = damagedTop.get(key);
      if (top === undefined || env.seq > top.seq)
        damagedTop.set(key, { stream: item.stream, signPk: env.senderSignPk, seq: env.seq });
      continue;
    }
    consider({
      stream: item.stream,
      signPk: env.senderSignPk,
      seq: env.seq,
      hash: env.hash,
      pastDamaged: false,
    });
  }
  for (const h of opts.remembered ?? []) {
    if (opts.streams.includes(h.stream) && h.seq > 0) consider({ ...h, pastDamaged: false });
  }
  for (const [key, top] of damagedTop) {
    const head = newest.get(key);
    if (head === undefined) {
      newest.set(key, {
        stream: top.stream,
        signPk: top.signPk as EnvelopeHead["signPk"],
        seq: 0,
        hash: new Uint8Array(32),
        pastDamaged: true,
      });
    } else if (top.seq >= head.seq) {
      // Newer envelopes of that sender, or the very one named (remembered intact, served damaged now),
      // fail verification here: the author goes on past them, and says so.
      newest.set(key, { ...head, pastDamaged: true });
    }
  }
  return sortHeads([...newest.values()]);
}
