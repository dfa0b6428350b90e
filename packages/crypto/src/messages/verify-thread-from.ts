import { bytesEqual } from "../core/hash.js";
import type { Sodium } from "../core/sodium.js";
import type { Payload } from "../core/types.js";
import {
  type ThreadEpoch,
  type ThreadProblem,
  type ThreadVerification,
  type VerifyThreadHooks,
  type VerifyThreadInput,
  verifyThread,
} from "./verify-thread.js";

/** What one verification found out about one envelope, for the next verification of the same thread. */
interface Known {
  readonly bytes: Uint8Array;
  /** Readers and keys of the envelope's epoch when it was checked (see `epochTag`). */
  readonly epochTag: string;
  readonly epoch: number;
  /** The per-envelope checks' findings (thread, signature, epoch, sender). */
  readonly problems: readonly ThreadProblem[];
  payload?: Payload;
}

/**
 * The per-envelope results of an earlier `verifyThreadFrom` of one thread (memory only, opaque). It
 * holds the envelopes' bytes and decrypted payloads: keep it no longer than the session (wipe with it).
 */
export interface VerifiedPrefix {
  readonly helplineId: string;
  readonly threadId: string;
  /** By position in the server's order at that time. */
  readonly known: readonly (Known | undefined)[];
}

/**
 * `verifyThread` for a thread verified before (`prefix`, from the previous call): every check runs
 * again on the whole listing (order, sequence, heads, duplicates, remembered heads, events), but the
 * signature check and decryption of an envelope are taken from `prefix` when, at the same position,
 * the bytes are identical and its epoch has the same readers and keys; anything else (a changed,
 * dropped, moved or inserted envelope, another epoch record) is checked from scratch. The answer is
 * therefore the one `verifyThread` gives for the same input (asserted by the tests), at the cost of a
 * byte comparison per known envelope instead of an Ed25519 verification and a decryption.
 *
 * @example
 * const first = verifyThreadFrom(sodium, input);
 * const next = verifyThreadFrom(sodium, { ...input, envelopes: [...input.envelopes, newer] }, first.prefix);
 */
export function verifyThreadFrom(
  sodium: Sodium,
  input: VerifyThreadInput,
  prefix?: VerifiedPrefix,
): { verification: ThreadVerification; prefix: VerifiedPrefix } {
  const usable = prefix?.helplineId === input.helplineId && prefix.threadId === input.threadId;
  const before = usable ? prefix.known : [];
  const tags = new Map<number, string>();
  const tagOf = (epoch: number) => {
    let tag = tags.get(epoch);
    if (tag === undefined) {
      tag = epochTag(sodium, input.epochs.get(epoch));
      tags.set(epoch, tag);
    }
    return tag;
  };
  const known: (Known | undefined)[] = [];
  const hooks: VerifyThreadHooks = {
    checked(index, bytes, envelope) {
      const old = before[index];
      if (old !== undefined && old.epoch === envelope.epoch && bytesEqual(sodium, old.bytes, bytes)) {
        if (old.epochTag === tagOf(envelope.epoch)) return old.problems;
      }
      return undefined;
    },
    found(index, bytes, envelope, problems) {
      known[index] = { bytes, epoch: envelope.epoch, epochTag: tagOf(envelope.epoch), problems };
    },
    decrypted(index) {
      const old = before[index];
      const now = known[index];
      // Reused only where the checks were reused: same bytes, same epoch readers and keys.
      return old !== undefined && now !== undefined && old.problems === now.problems
        ? old.payload
        : undefined;
    },
    opened(index, payload) {
      const now = known[index];
      if (now !== undefined) now.payload = payload;
    },
  };
  const verification = verifyThread(sodium, input, hooks);
  return {
    verification,
    prefix: { helplineId: input.helplineId, threadId: input.threadId, known },
  };
}

/**
 * What the per-envelope checks and the decryption of an envelope depend on besides its bytes: the
 * readers of its epoch (signing keys and kinds) and the keys held for it (compared by a hash, so the
 * prefix holds no copy of a key). An unknown epoch has its own tag.
 */
function epochTag(sodium: Sodium, epoch: ThreadEpoch | undefined): string {
  if (epoch === undefined) return "none";
  const readers = epoch.readers.map((r) => `${r.kind}:${sodium.to_hex(r.signPk)}`).join(",");
  const keys = epoch.keys;
  if (keys === undefined) return `${readers}|-`;
  const key = sodium.to_hex(sodium.crypto_generichash(16, keys.key, null));
  const staff =
    keys.staffKey === undefined ? "-" : sodium.to_hex(sodium.crypto_generichash(16, keys.staffKey, null));
  return `${readers}|${key}|${staff}`;
}
