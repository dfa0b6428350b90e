/**
 * Nothing a help-seeker writes is lost by accident (issue 10, item 1). While unsent text exists, or a
 * new code is on screen that has not been used to send yet, Back, reload or closing the tab first
 * asks (the browser's own leave prompt, `beforeunload`). In-app navigation keeps the text in memory.
 *
 * After a reload the app says what happened. Nothing of the text goes anywhere for that: when the page
 * is left, only the kind of thing that was unsent ("text" or "code") is written into this tab's own
 * history entry (`history.replaceState`), read and removed on the next load. The quick exit replaces
 * the entry (`location.replace`), so the mark goes with it; it never reaches storage, a URL or the
 * server.
 */
import { hasUnsentText, screen, session, summaries } from "../state.js";

export type Unsent = "text" | "code";

/** The key in `history.state`; the value is only the kind, never the text. */
const MARK = "briefgeheimUnsent";

let disarmed = false;

/** What would be lost by leaving now: a new code on screen that was never used, or unsent text. */
export function unsent(): Unsent | undefined {
  if (screen().name === "ceremony" && session() !== undefined && summaries().length === 0) return "code";
  if (hasUnsentText()) return "text";
  return undefined;
}

/** The quick exit leaves without asking (it wipes first, and must never be held up by a prompt). */
export function disarmLeaveGuard(): void {
  disarmed = true;
}

/**
 * Reads (and removes) the mark a previous page load of this tab left. Call once at start-up, before
 * the router rewrites the history entry.
 */
export function takeLeftBehind(): Unsent | undefined {
  const state = history.state as Record<string, unknown> | null;
  const kind = state?.[MARK];
  if (kind !== "text" && kind !== "code") return undefined;
  history.replaceState(null, "");
  return kind;
}

/** Installs the prompt. */
export function installLeaveGuard(): void {
  window.addEventListener("beforeunload", (event) => {
    const kind = disarmed ? undefined : unsent();
    // Written on every unload, so a mark from an earlier prompt that was cancelled never lingers.
    history.replaceState(kind === undefined ? null : { [MARK]: kind }, "");
    if (kind === undefined) return;
    event.preventDefault();
    // Older browsers need returnValue set; its text is ignored by every current browser.
    event.returnValue = "";
  });
}
