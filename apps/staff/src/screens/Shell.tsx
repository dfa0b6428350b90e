import { For, Match, Show, Switch } from "solid-js";
import { LanguageSwitch } from "../components/common.js";
import { NavCount } from "../components/NavCount.js";
import { type Messages, t } from "../i18n/index.js";
import { counts, useCounts } from "../state/counts.js";
import { currentView, go, type View, viewIf } from "../state/nav.js";
import { lockMinutes, signOut, staff } from "../state/session.js";
import { Audit } from "./Audit.js";
import { HelplineProfile } from "./HelplineProfile.js";
import { Inbox } from "./Inbox.js";
import { Overview } from "./Overview.js";
import { PrintThread } from "./PrintThread.js";
import { Reassign } from "./Reassign.js";
import { SavedReplies } from "./SavedReplies.js";
import { Stats } from "./Stats.js";
import { Team } from "./Team.js";
import { Thread } from "./Thread.js";

interface NavItem {
  readonly view: View["name"];
  readonly label: (m: Messages) => string;
  readonly supervisor: boolean;
}

const NAV: readonly NavItem[] = [
  { view: "inbox", label: (m) => m.navInbox, supervisor: false },
  { view: "replies", label: (m) => m.navReplies, supervisor: false },
  { view: "overview", label: (m) => m.navOverview, supervisor: true },
  { view: "team", label: (m) => m.navTeam, supervisor: true },
  { view: "reassign", label: (m) => m.navReassign, supervisor: true },
  { view: "audit", label: (m) => m.navAudit, supervisor: true },
  { view: "stats", label: (m) => m.navStats, supervisor: true },
  { view: "profile", label: (m) => m.navProfile, supervisor: true },
];

/** The signed-in app: banner with who and where, the menu, the current view. */
export function Shell() {
  const isSupervisor = () => staff()?.role === "supervisor";
  useCounts(staff);
  // Waiting conversations beside the inbox, people waiting for admission beside the team (slice F).
  const countOf = (view: View["name"]) =>
    view === "inbox" ? counts()?.waitingThreads : view === "team" ? counts()?.pendingMembers : undefined;
  const active = (name: View["name"]) => {
    const v = currentView();
    return v?.name === name || (name === "inbox" && v?.name === "thread");
  };
  return (
    <Show when={staff()} fallback={<p>{t().appSignedOut}</p>}>
      {(s) => (
        <div class="shell">
          <a class="skip-link" href="#main">
            {t().navSkip}
          </a>
          <header class="no-print">
            <div class="topbar">
              <p class="brand">
                <span class="brand-name">Briefgeheim</span> <span class="brand-sub">{s().helpline.name}</span>
              </p>
              <p class="who">
                <span data-testid="who">{s().displayName}</span>
                <span class="role">
                  {" · "}
                  {t().roles[s().role]}
                </span>
              </p>
              <LanguageSwitch />
              <button type="button" class="link-button" onClick={() => void signOut()}>
                {t().navSignOut}
              </button>
            </div>
            <Show when={s().pinnedBy === "first-use"}>
              <p class="warning banner">{t().tofuSessionWarning(s().fingerprint)}</p>
            </Show>
          </header>
          <nav class="menu no-print" aria-label={t().navLabel}>
            <ul>
              <For each={NAV.filter((n) => !n.supervisor || isSupervisor())}>
                {(item) => (
                  <li>
                    <button
                      type="button"
                      class="menu-item"
                      aria-current={active(item.view) ? "page" : undefined}
                      onClick={() => go({ name: item.view } as View)}
                    >
                      {item.label(t())}
                      <NavCount
                        n={countOf(item.view)}
                        sentence={item.view === "team" ? t().navAdmissions : t().navWaitingThreads}
                      />
                    </button>
                  </li>
                )}
              </For>
            </ul>
          </nav>
          <main id="main" tabindex="-1">
            <Switch>
              <Match when={currentView()?.name === "inbox"}>
                <Inbox />
              </Match>
              <Match when={viewIf("thread")}>{(v) => <Thread threadId={v().threadId} />}</Match>
              <Match when={viewIf("print")}>{(v) => <PrintThread threadId={v().threadId} />}</Match>
              <Match when={currentView()?.name === "replies"}>
                <SavedReplies />
              </Match>
              <Match when={isSupervisor() && currentView()?.name === "overview"}>
                <Overview />
              </Match>
              <Match when={isSupervisor() && currentView()?.name === "team"}>
                <Team />
              </Match>
              <Match when={isSupervisor() ? viewIf("reassign") : undefined}>
                {(v) => <Reassign from={v().from} threadIds={v().threadIds} />}
              </Match>
              <Match when={isSupervisor() && currentView()?.name === "audit"}>
                <Audit />
              </Match>
              <Match when={isSupervisor() && currentView()?.name === "stats"}>
                <Stats />
              </Match>
              <Match when={isSupervisor() && currentView()?.name === "profile"}>
                <HelplineProfile />
              </Match>
            </Switch>
          </main>
          <footer class="footer no-print">
            <p>
              {t().footerLock(lockMinutes())} {t().footerFingerprint(s().fingerprint)}
            </p>
            <details class="my-keys">
              <summary>{t().myKeysTitle}</summary>
              <p>
                {t().myKeysSafetyCode}:{" "}
                <code class="safety-code" data-testid="my-safety-code">
                  {s().mySafetyCode()}
                </code>{" "}
                ({t().roles[s().role]})
              </p>
              <p class="hint">{t().myKeysHint}</p>
            </details>
          </footer>
        </div>
      )}
    </Show>
  );
}
