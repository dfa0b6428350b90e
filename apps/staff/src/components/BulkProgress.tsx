import type { BulkOutcome, BulkProgress } from "@briefgeheim/client";
import { For, Show } from "solid-js";
import { type Messages, t } from "../i18n/index.js";
import { shortId } from "../lib/roster.js";
import { ProgressBar } from "./common.js";

const PHASE: Record<BulkProgress["phase"], (m: Messages, done: number, total: number) => string> = {
  roster: (m) => m.bulkRoster,
  listing: (m) => m.bulkListing,
  loading: (m, done, total) => m.bulkLoading(done, total),
  signing: (m, done, total) => m.bulkSigning(done, total),
  uploading: (m, done, total) => m.bulkUploading(done, total),
};

/** Phases weigh differently; the bar runs once from 0 to 100 over all of them. */
const WEIGHT: Record<BulkProgress["phase"], [number, number]> = {
  roster: [0, 5],
  listing: [5, 10],
  loading: [10, 60],
  signing: [60, 70],
  uploading: [70, 100],
};

export function overallPercent(p: BulkProgress): number {
  const [from, to] = WEIGHT[p.phase];
  return Math.round(from + ((to - from) * p.done) / Math.max(1, p.total));
}

/** Progress of a reassignment or removal: a bar and a live sentence. */
export function BulkProgressView(props: { progress: BulkProgress }) {
  return (
    <ProgressBar
      label={t().bulkLabel}
      value={overallPercent(props.progress)}
      max={100}
      text={PHASE[props.progress.phase](t(), props.progress.done, props.progress.total)}
    />
  );
}

/** What a bulk run did. */
export function BulkOutcomeView(props: { outcome: BulkOutcome; seconds: number }) {
  return (
    <div class="outcome" role="status">
      <p>
        {t().bulkChanged(props.outcome.changed.length)} {t().bulkSkipped(props.outcome.skipped.length)}{" "}
        {t().bulkSeconds(props.seconds.toFixed(1))}
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
    </div>
  );
}
