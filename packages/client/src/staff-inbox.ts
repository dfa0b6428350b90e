import type { ThreadId } from "@briefgeheim/crypto";
import type { ThreadView as InboxView, ThreadSummary } from "@briefgeheim/protocol";
import { ClientError, toClientError } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import type { StaffContext } from "./staff-context.js";
import { type StaffThreadView, staffView } from "./staff-threads.js";
import { type FetchedThread, fetchThreadBatches, verifyFetched } from "./thread-batch.js";
import { readJson } from "./transport.js";

/** What one tab knows of a list's pages, by cursor: the ETag and the page (memory only). */
export interface ListSnapshot {
  readonly view: InboxView | undefined;
  readonly pages: ReadonlyMap<string, { readonly tag: string; readonly page: ListPage }>;
}

interface ListPage {
  readonly threads: readonly ThreadSummary[];
  readonly nextCursor: string | null;
}

/** A list with how much the refresh cost on the wire. */
export interface ListedThreads {
  readonly threads: ThreadSummary[];
  readonly snapshot: ListSnapshot;
  /** Response bytes: bodies plus header lines (what a 304 saves shows here). */
  readonly bytes: number;
  /** Pages the server answered `304 Not Modified`. */
  readonly unchanged: number;
  readonly requests: number;
}

/**
 * An inbox view like `listStaffThreads`, each page asked with the ETag of the same page in `previous`
 * (`If-None-Match`): a page that did not change comes back as `304` without a body and is taken from
 * `previous`. The server's tag is a hash of the page's exact answer, so nothing that changed is missed.
 *
 * @example
 * let list = await listWithTags(ctx, "mine");
 * list = await listWithTags(ctx, "mine", list.snapshot); // every 30 s: a few hundred bytes
 */
export async function listWithTags(
  ctx: StaffContext,
  view: InboxView | undefined,
  previous?: ListSnapshot,
): Promise<ListedThreads> {
  const pages = new Map<string, { tag: string; page: ListPage }>();
  const old = previous !== undefined && previous.view === view ? previous.pages : undefined;
  let bytes = 0;
  let unchanged = 0;
  let requests = 0;
  const threads = await collectPages<ThreadSummary, string>(async (cursor) => {
    const key = cursor ?? "";
    const known = old?.get(key);
    const res = await ctx.client.api.threads.$get(
      {
        query: {
          limit: String(PAGE_SIZE),
          ...(view === undefined ? {} : { view }),
          ...(cursor === undefined ? {} : { cursor }),
        },
      },
      known === undefined ? {} : { headers: { "If-None-Match": known.tag } },
    );
    requests++;
    res.headers.forEach((value, name) => {
      bytes += name.length + value.length + 4;
    });
    let page: ListPage;
    if ((res.status as number) === 304 && known !== undefined) {
      unchanged++;
      page = known.page;
    } else {
      const text = await res.clone().text();
      bytes += new TextEncoder().encode(text).byteLength;
      page = await readJson(res);
    }
    const tag = res.headers.get("ETag");
    if (tag !== null) pages.set(key, { tag, page });
    return { items: page.threads, next: page.nextCursor };
  });
  return { threads, snapshot: { view, pages }, bytes, unchanged, requests };
}

/** A thread of a batch read as staff see it, or why it could not be read. */
export type StaffReadResult =
  | { readonly ok: true; readonly threadId: ThreadId; readonly view: StaffThreadView }
  | { readonly ok: false; readonly threadId: ThreadId; readonly error: ClientError };

/** Work on the calling thread in slices of at most this long before the page gets a turn. */
const SLICE_MS = 12;

/**
 * Reads many threads (batch reads, in the order given: give them oldest waiting first) and verifies
 * each exactly as `readThread` does, calling `onEach` as each is done so a list fills progressively.
 * Verification yields to the event loop every `SLICE_MS`, so no task of a browser's main thread runs
 * much longer than one thread's verification. The newest roster is refreshed once per batch, after it
 * arrived. Stops early (without error) when `stop()` says so.
 *
 * @example
 * await readStaffThreads(ctx, helpline, ids, (r) => show(r));
 */
export async function readStaffThreads(
  ctx: StaffContext,
  helpline: { readonly id: StaffContext["helplineId"]; readonly name: string },
  threadIds: readonly ThreadId[],
  onEach: (result: StaffReadResult) => void,
  stop: () => boolean = () => false,
): Promise<void> {
  let sliceStart = now();
  for await (const batch of fetchThreadBatches(ctx, threadIds)) {
    if (stop()) return;
    await ctx.client.helplines.latestRoster(ctx.helplineId);
    for (const fetched of batch) {
      if (stop()) return;
      onEach(await verifyOne(ctx, helpline, fetched));
      if (now() - sliceStart > SLICE_MS) {
        await new Promise((resolve) => setTimeout(resolve, 0));
        sliceStart = now();
      }
    }
  }
}

/**
 * The verification part alone (for the benchmark's floor): each fetched thread verified and made into
 * a view as `readStaffThreads` does, with no network but the roster refresh.
 *
 * @example
 * const results = await verifyStaffThreads(ctx, helpline, fetched);
 */
export async function verifyStaffThreads(
  ctx: StaffContext,
  helpline: { readonly id: StaffContext["helplineId"]; readonly name: string },
  fetched: readonly FetchedThread[],
): Promise<StaffReadResult[]> {
  await ctx.client.helplines.latestRoster(ctx.helplineId);
  const out: StaffReadResult[] = [];
  for (const f of fetched) out.push(await verifyOne(ctx, helpline, f));
  return out;
}

async function verifyOne(
  ctx: StaffContext,
  helpline: { readonly id: StaffContext["helplineId"]; readonly name: string },
  fetched: FetchedThread,
): Promise<StaffReadResult> {
  if (!fetched.ok) return fetched;
  try {
    const view = staffView(ctx, helpline, await verifyFetched(ctx, fetched));
    return { ok: true, threadId: fetched.threadId, view };
  } catch (e) {
    const error = toClientError(e);
    if (error instanceof ClientError) return { ok: false, threadId: fetched.threadId, error };
    throw error;
  }
}

function now(): number {
  return globalThis.performance?.now() ?? Date.now();
}
