import {
  type EnvelopeHead,
  type EpochKeys,
  type EpochRecord,
  type EpochStart,
  type Roster,
  type ThreadId,
  toBase64,
} from "@briefgeheim/crypto";
import type { EpochAck } from "@briefgeheim/protocol";
import { ClientError, isClientError } from "./errors.js";
import { withRetry } from "./retry.js";
import type { StaffContext } from "./staff-context.js";
import { type LoadedEpochs, loadThread, wipeEpochKeys } from "./thread-loader.js";
import { rememberRecord } from "./thread-memory.js";
import { readJson } from "./transport.js";

/** The current epoch of a loaded thread with the caller's keys of it. */
export interface CurrentEpoch {
  readonly prev: EpochRecord;
  readonly prevKeys: EpochKeys;
  /** The thread's heads, verified (`loadHeads`): the new record names them (PROTOCOL.md §4, D6). */
  readonly heads: readonly EnvelopeHead[];
}

/** Someone moved the thread or the roster on meanwhile: load again and sign again. */
export function raced(code: string): boolean {
  return code === "EPOCH_CONFLICT" || code === "ROSTER_CONFLICT" || code === "STALE_VIEW";
}

/**
 * The caller's keys of the current epoch (`NOT_A_READER` when the caller does not read it, e.g. a
 * supervisor who joined after the epoch was made).
 */
export function currentEpoch(epochs: LoadedEpochs, heads: readonly EnvelopeHead[]): CurrentEpoch {
  const prevKeys = epochs.keys.get(epochs.current.epoch);
  if (prevKeys === undefined) {
    throw new ClientError("NOT_A_READER", "you hold no key of this thread's current epoch");
  }
  return { prev: epochs.current, prevKeys, heads };
}

export function encodeStart(ctx: StaffContext, start: EpochStart): { record: string; grants: string[] } {
  const { sodium } = ctx.client;
  return { record: toBase64(sodium, start.record), grants: start.grants.map((g) => toBase64(sodium, g)) };
}

/**
 * Starts the next epoch of one thread (claim, assign, reassign, remove): loads and verifies it with
 * every envelope (its heads from `loadThread`, not the heads endpoint),
 * lets `build` make the signed record and grants on the newest roster, and posts them. If the thread
 * or the roster moved on meanwhile it loads again and rebuilds (up to three times). Epoch keys are
 * wiped after each attempt.
 *
 * @example
 * await changeEpoch(ctx, threadId, (cur, roster) => claimThread(sodium, { ...cur, roster, signer, random, now }));
 */
export async function changeEpoch(
  ctx: StaffContext,
  threadId: ThreadId,
  build: (current: CurrentEpoch, roster: Roster, epochs: LoadedEpochs) => EpochStart,
): Promise<EpochAck> {
  for (let attempt = 1; ; attempt++) {
    const roster = await ctx.client.helplines.latestRoster(ctx.helplineId);
    // One thread: every envelope loaded and verified (`loadThread`), so the record names each sender's
    // real newest envelope. The light heads endpoint could answer with an older genuine one
    // (PROTOCOL.md §4); only bulk runs take that path, for speed.
    const epochs = await loadThread(ctx, threadId);
    let start: EpochStart | undefined;
    try {
      start = build(currentEpoch(epochs, epochs.heads), roster, epochs);
      const json = encodeStart(ctx, start);
      const ack = await withRetry(async () =>
        readJson(await ctx.client.api.threads[":threadId"].epochs.$post({ param: { threadId }, json })),
      );
      // Remembered once acknowledged: if the server then does not serve it, every later load says WITHHELD.
      rememberRecord(ctx.client.memory, ctx.client.sodium, threadId, start.parsed, true);
      return ack;
    } catch (e) {
      if (!isClientError(e) || !raced(e.code) || attempt >= 3) throw e;
    } finally {
      wipeEpochKeys(epochs.keys);
      if (start !== undefined) wipeEpochKeys(new Map([[start.keys.epoch, start.keys]]));
    }
  }
}
