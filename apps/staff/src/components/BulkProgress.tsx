import type { BulkOutcome, BulkProgress, NotAnnounced } from "@briefgeheim/client";
import { For, Show } from "solid-js";
import { type Messages, t } from "../i18n/index.js";
import { shortId } from "../lib/roster.js";
import { ProgressBar } from "./common.js";

/** Each phase in plain words (issue 10, staff item 1): what happens, not how. */
const PHASE: Record<BulkProgress["phase"], (m: Messages, done: number, total: number) => string> = {
  roster: (m) => m.bulkPlainRoster,
  listing: (m) => m.bulkPlainListing,
  loading: (m, done, total) => m.bulkPlainLoading(done, total),
  signing: (m, done, total) => m.bulkPlainSigning(done, total),
  uploading: (m, done, total) => m.bulkPlainUploading(done, total),
  announcing: (m, done, total) => m.bulkPlainAnnouncing(done, total),
};

/**
 * Phases weigh differently; the bar runs once from 0 to 100 over all of them. Uploading and
 * announcing alternate per batch, so they share one range (announcing shows the batch's end of it).
 */
const WEIGHT: Record<BulkProgress["phase"], [number, number]> = {
  roster: [0, 5],
  listing: [5, 10],
  loading: [10, 55],
  signing: [55, 65],
  uploading: [65, 85],
  announcing: [85, 100],
};

export function overallPercent(p: BulkProgress): number {
  const [from, to] = WEIGHT[p.phase];
  return Math.round(from + ((to - from) * p.done) / Math.max(1, p.total));
}

/** Progress of a reassignment or removal: a bar and a live sentence. */
export function BulkProgressView(props: { progress: BulkProgress }) {
  return (
    <div class="bulk-progress" data-phase={props.progress.phase}>
      <ProgressBar
        label={t().bulkLabel}
        value={overallPercent(props.progress)}
        max={100}
        text={PHASE[props.progress.phase](t(), props.progress.done, props.progress.total)}
      />
    </div>
  );
}

/** What a bulk run did, in sentences with the right plural; failures listed by short thread id. */
export function BulkOutcomeView(props: {
  outcome: BulkOutcome & { readonly notAnnounced?: readonly NotAnnounced[] };
  seconds: number;
}) {
  const notAnnounced = () => props.outcome.notAnnounced ?? [];
  return (
    <div class="outcome" role="status">
      <p>
        {t().bulkDone(props.outcome.changed.length)} {t().bulkAlreadyDone(props.outcome.skipped.length)}{" "}
        {t().bulkTook(props.seconds.toFixed(1))}
      </p>
      <Show when={props.outcome.failed.length > 0}>
        <p class="alert">{t().bulkFailed(props.outcome.failed.length)}</p>
        <ul>
          <For each={props.outcome.failed}>
            {(f) => (
              <li>
                {shortId(f.threadId)}: {f.code}
              </li>
            )}
          </For>
        </ul>
      </Show>
      <Show when={notAnnounced().length > 0}>
        <p class="alert">{t().handoverNotAnnounced(notAnnounced().length)}</p>
        <ul>
          <For each={notAnnounced()}>
            {(f) => (
              <li>
                {shortId(f.threadId)}: {f.code}
              </li>
            )}
          </For>
        </ul>
      </Show>
    </div>
  );
}
