import type { SignKeyPair, ThreadId } from "../core/brand.js";
import { CryptoError } from "../core/errors.js";
import type { RandomSource } from "../core/random.js";
import type { Sodium } from "../core/sodium.js";
import type { EnvelopeHead, EpochKeys, EpochRecord, Roster, RosterMember } from "../core/types.js";
import type { EpochStart } from "./start-epoch.js";
import { reassignThread } from "./thread-ops.js";

export interface CaseloadThread {
  readonly prev: EpochRecord;
  readonly prevKeys: EpochKeys;
  /** The thread's heads as the signer verified them (see `StartEpochOptions.heads`). */
  readonly heads: readonly EnvelopeHead[];
}

/** One thread's outcome: a failed thread does not stop the others. */
export type CaseloadResult =
  | { readonly ok: true; readonly threadId: ThreadId; readonly to: RosterMember; readonly start: EpochStart }
  | {
      readonly ok: false;
      readonly threadId: ThreadId;
      readonly to: RosterMember;
      readonly error: CryptoError;
    };

export interface RegrantCaseloadOptions {
  readonly threads: readonly CaseloadThread[];
  /** One or several counsellors; threads are spread over them round-robin, in order. */
  readonly to: readonly RosterMember[];
  readonly roster: Roster;
  /** A supervisor's signing keys. */
  readonly signer: SignKeyPair;
  readonly random: RandomSource;
  readonly now: number;
  /** Called after every thread with (done, total), done counting 1..total. */
  readonly onProgress?: (done: number, total: number) => void;
}

/**
 * Reassigns a whole caseload (illness, leave, departure): one new epoch per thread, for the
 * help-seeker, the next counsellor in round-robin order and the supervisors. Results come in the
 * order of `threads`; a thread that fails (e.g. keys that do not match its record) is reported as
 * `ok: false` with its CryptoError, and the rest go on.
 *
 * @example
 * const results = regrantCaseload(sodium, { threads, to: [anna, bram], roster, signer: me.signing,
 *   random: systemRandom(sodium), now: Date.now(), onProgress: (done, total) => bar.set(done / total) });
 */
export function regrantCaseload(sodium: Sodium, opts: RegrantCaseloadOptions): CaseloadResult[] {
  if (opts.to.length === 0) throw new CryptoError("NOT_ON_ROSTER", "regrant to at least one member");
  const total = opts.threads.length;
  return opts.threads.map((thread, i) => {
    const to = opts.to[i % opts.to.length]!;
    const threadId = thread.prev.threadId;
    let result: CaseloadResult;
    try {
      const start = reassignThread(sodium, {
        prev: thread.prev,
        prevKeys: thread.prevKeys,
        roster: opts.roster,
        signer: opts.signer,
        random: opts.random,
        now: opts.now,
        heads: thread.heads,
        to,
      });
      result = { ok: true, threadId, to, start };
    } catch (error) {
      if (!(error instanceof CryptoError)) throw error;
      result = { ok: false, threadId, to, error };
    }
    opts.onProgress?.(i + 1, total);
    return result;
  });
}
