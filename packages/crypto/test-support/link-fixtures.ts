/**
 * Synthetic entries for the thread-link tests (not exported by the package): the link checks look only
 * at sender, seq, epoch, kind, heads and hashes, so an envelope here is named by a small id (its hash is
 * 32 bytes of that id) and needs no keys or signature.
 */
import type { HelplineId, SignPublicKey, ThreadId } from "../src/core/brand.js";
import type { Sodium } from "../src/core/sodium.js";
import type { EnvelopeHead, EnvelopeKind, EnvelopeStream } from "../src/core/types.js";
import { envelopeStream } from "../src/messages/envelope.js";
import { checkThreadLinks, type LinkEntry, type LinkInput } from "../src/messages/thread-links.js";

export const alice = new Uint8Array(32).fill(0xa1) as SignPublicKey;
export const bob = new Uint8Array(32).fill(0xb0) as SignPublicKey;
export const hash = (id: number) => new Uint8Array(32).fill(id);

export interface Spec {
  id: number;
  from: SignPublicKey;
  seq: number;
  /** Heads as [sender, seq, id of the named envelope, flag?]. */
  heads?: ReadonlyArray<readonly [SignPublicKey, number, number, boolean?]>;
  epoch?: number;
  kind?: EnvelopeKind;
}

/** Entries at positions 0, 1, 2, ... in the order given. */
export function entries(specs: readonly Spec[]): LinkEntry[] {
  return specs.map((s, index) => {
    const kind = s.kind ?? "message";
    const stream = envelopeStream(kind);
    return {
      index,
      stream,
      envelope: {
        helplineId: "h" as HelplineId,
        threadId: "t" as ThreadId,
        epoch: s.epoch ?? 1,
        kind,
        senderSignPk: s.from,
        seq: s.seq,
        createdAt: 0,
        heads: (s.heads ?? []).map(([signPk, seq, id, flag]) => head(signPk, seq, id, stream, flag)),
        sealed: new Uint8Array(0),
        signature: new Uint8Array(64),
        hash: hash(s.id),
      },
    };
  });
}

export function head(
  signPk: SignPublicKey,
  seq: number,
  id: number,
  stream: EnvelopeStream = "main",
  flag = false,
): EnvelopeHead {
  return { stream, signPk, seq, hash: seq === 0 ? hash(0) : hash(id), pastDamaged: flag };
}

export function runLinks(sodium: Sodium, trusted: LinkEntry[], more: Partial<LinkInput> = {}) {
  return checkThreadLinks(sodium, {
    trusted,
    damaged: [],
    epochHeads: new Map(),
    remembered: [],
    streams: ["main", "staff"],
    ...more,
  });
}
