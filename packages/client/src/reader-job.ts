import type { EnvelopeStream, HelplineId, Roster, Sodium, ThreadId } from "@briefgeheim/crypto";
import { readerStreams, type ThreadContext } from "./thread-loader.js";
import { type OpenedEpochs, type OpenReader, openEpochs } from "./thread-open.js";
import type { WireError } from "./work-wire.js";

/**
 * The input of a job that checks threads of one helpline as one reader (`verifyThreads`,
 * `openBulkThreads`): who reads, which streams, the verified rosters the threads' records rely on (by
 * version), and one item per thread.
 */
export interface ReaderJobInput<Item> {
  readonly helplineId: HelplineId;
  readonly reader: OpenReader;
  readonly streams: readonly EnvelopeStream[];
  /** The verified rosters the threads' records rely on, by version. */
  readonly rosters: ReadonlyMap<number, Roster>;
  readonly threads: readonly Item[];
}

/** Per thread, in the order given: what the job found (`Found`), or the typed refusal. */
export type ReaderJobResult<Found> =
  | ({ readonly ok: true; readonly threadId: ThreadId } & Found)
  | { readonly ok: false; readonly threadId: ThreadId; readonly error: WireError };

/**
 * A reader job's input for this context's member: their box key pair (never the signing key), their
 * streams, and the rosters any of the prepared threads relies on.
 *
 * @example
 * work.run("verifyThreads", readerJobInput(ctx, ready, (t) => t.item));
 */
export function readerJobInput<Prepared extends { readonly rosters: ReadonlyMap<number, Roster> }, Item>(
  ctx: ThreadContext,
  prepared: readonly Prepared[],
  item: (p: Prepared) => Item,
): ReaderJobInput<Item> {
  const rosters = new Map<number, Roster>();
  for (const p of prepared) for (const [v, r] of p.rosters) rosters.set(v, r);
  return {
    helplineId: ctx.helplineId,
    reader: { signPk: ctx.me.signing.publicKey, box: ctx.me.box },
    streams: readerStreams(ctx.me),
    rosters,
    threads: prepared.map(item),
  };
}

/**
 * `openEpochs` for one thread of a reader job, with the job's helpline, rosters and reader: the first
 * check of every such job, so each runs it on the same inputs.
 *
 * @example
 * const opened = openJobEpochs(sodium, input, item);
 */
export function openJobEpochs(
  sodium: Sodium,
  input: ReaderJobInput<unknown>,
  item: {
    readonly threadId: ThreadId;
    readonly records: readonly string[];
    readonly grants: readonly string[];
  },
): OpenedEpochs {
  return openEpochs(sodium, {
    helplineId: input.helplineId,
    threadId: item.threadId,
    records: item.records,
    grants: item.grants,
    rosters: input.rosters,
    reader: input.reader,
  });
}
