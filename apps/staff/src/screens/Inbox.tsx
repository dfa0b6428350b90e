import type { ThreadSummary } from "@briefgeheim/protocol";
import { createMemo, createSignal, onCleanup, onMount, Show } from "solid-js";
import { Alert, Status } from "../components/common.js";
import { ThreadList } from "../components/ThreadList.js";
import { formatDateTime, t } from "../i18n/index.js";
import { failure, requireStaff } from "../state/session.js";
import { decryptedCount, inbox, refreshInbox, searchThreads, stopDecrypting } from "../state/threads.js";

const POLL_MS = 30_000;

/**
 * The inbox: intake (for intake readers and supervisors) and "my threads" (supervisors: all threads),
 * sorted by how long the help-seeker has waited, against the promised reply time. Search runs over the
 * decrypted subjects and bodies in this tab only.
 */
export function Inbox() {
  const staff = requireStaff();
  const [error, setError] = createSignal<string | undefined>();
  const [loading, setLoading] = createSignal(false);
  const [query, setQuery] = createSignal("");
  const [now, setNow] = createSignal(Date.now());

  const load = async () => {
    setLoading(true);
    try {
      await refreshInbox(staff);
      setNow(Date.now());
      setError(undefined);
    } catch (e) {
      setError(failure(e));
    } finally {
      setLoading(false);
    }
  };

  onMount(() => {
    void load();
    const timer = setInterval(() => {
      if (staff.active) void load();
    }, POLL_MS);
    onCleanup(() => {
      clearInterval(timer);
      stopDecrypting();
    });
  });

  const allIds = createMemo(() => {
    const box = inbox();
    return box === undefined ? [] : [...(box.intake ?? []), ...box.mine].map((x) => x.id);
  });
  const hits = createMemo(() => (query().trim() === "" ? undefined : searchThreads(allIds(), query())));
  const filter = (list: readonly ThreadSummary[]) => {
    const h = hits();
    return h === undefined ? list : list.filter((x) => h.has(x.id));
  };
  const isSupervisor = staff.role === "supervisor";

  return (
    <section aria-labelledby="inbox-title">
      <h1 id="inbox-title">{t().inboxTitle}</h1>
      <search class="toolbar">
        <div class="field inline">
          <label for="inbox-search">{t().inboxSearch}</label>
          <input
            id="inbox-search"
            type="search"
            autocomplete="off"
            spellcheck={false}
            aria-describedby="inbox-search-hint"
            onInput={(e) => setQuery(e.currentTarget.value)}
          />
        </div>
        <button type="button" onClick={() => void load()} disabled={loading()}>
          {t().inboxRefresh}
        </button>
      </search>
      <p class="hint" id="inbox-search-hint">
        {t().inboxSearchHint}
      </p>
      <Show when={hits()}>
        {(h) => (
          <Status>{t().inboxSearchResults(h().size, decryptedCount(allIds()), allIds().length)}</Status>
        )}
      </Show>
      <Alert message={error()} />
      <Show when={inbox()} fallback={<Status>{t().inboxLoading}</Status>}>
        {(box) => (
          <>
            <p class="hint">{t().inboxUpdated(formatDateTime(box().loadedAt))}</p>
            <Show when={!box().complete}>
              <Status>{t().inboxLoadingMore}</Status>
            </Show>
            <Show when={box().intake !== null}>
              <section aria-labelledby="intake-title" class="inbox-section">
                <h2 id="intake-title">
                  {t().inboxIntake} <span class="count">({box().intake!.length})</span>
                </h2>
                <p class="hint">{isSupervisor ? t().inboxIntakeHintSupervisor : t().inboxIntakeHint}</p>
                <ThreadList
                  staff={staff}
                  threads={filter(box().intake!)}
                  now={now()}
                  showAssignees={false}
                  label={t().inboxIntake}
                  emptyText={hits() === undefined ? t().inboxIntakeEmpty : t().inboxNoHits}
                />
              </section>
            </Show>
            <section aria-labelledby="mine-title" class="inbox-section">
              <h2 id="mine-title">
                {isSupervisor ? t().inboxAll : t().inboxMine} <span class="count">({box().mine.length})</span>
              </h2>
              <ThreadList
                staff={staff}
                threads={filter(box().mine)}
                now={now()}
                showAssignees={isSupervisor}
                label={isSupervisor ? t().inboxAll : t().inboxMine}
                emptyText={
                  hits() === undefined
                    ? isSupervisor
                      ? t().inboxAllEmpty
                      : t().inboxMineEmpty
                    : t().inboxNoHits
                }
              />
            </section>
          </>
        )}
      </Show>
    </section>
  );
}
