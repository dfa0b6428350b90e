/**
 * Where the user is. Kept in memory only: no routes in the URL (thread ids would land in the history),
 * nothing in browser storage. After every move the new view's heading gets the focus.
 */
import { createSignal } from "solid-js";

export type View =
  | { readonly name: "inbox" }
  | { readonly name: "thread"; readonly threadId: string }
  /** A thread laid out for printing or saving as PDF (slice F), without the app around it. */
  | { readonly name: "print"; readonly threadId: string }
  | { readonly name: "overview" }
  | { readonly name: "team" }
  | { readonly name: "reassign"; readonly from?: string; readonly threadIds?: readonly string[] }
  | { readonly name: "audit" }
  | { readonly name: "stats" }
  | { readonly name: "profile" }
  /** Saved replies and the signature (issue 10, staff item 6). */
  | { readonly name: "replies" };

export type Screen =
  | { readonly name: "sign-in"; readonly notice?: "signed-out" | "expired" | "removed" }
  | { readonly name: "invite"; readonly token: string; readonly secret: string | undefined }
  | { readonly name: "recover" }
  | { readonly name: "sheet" }
  | {
      readonly name: "pending";
      readonly username: string;
      readonly safetyCode?: string;
      readonly role?: "counsellor" | "supervisor";
    }
  | { readonly name: "locked"; readonly username: string; readonly resume: View }
  | { readonly name: "app"; readonly view: View };

const [screen, setScreenSignal] = createSignal<Screen>({ name: "sign-in" });

export { screen };

/** Shows another screen and moves the focus to its main heading once it is rendered. */
export function show(next: Screen): void {
  setScreenSignal(next);
  focusHeading();
}

/** Within the signed-in app: another view. */
export function go(view: View): void {
  show({ name: "app", view });
}

/** The current app view, if signed in. */
export function currentView(): View | undefined {
  const s = screen();
  return s.name === "app" ? s.view : undefined;
}

/**
 * Focuses the first `h1` inside `main` once it is rendered (keyboard and screen-reader users land
 * there). A screen loaded lazily may take a few frames; it waits up to about a second.
 */
export function focusHeading(): void {
  const started = performance.now();
  const attempt = () => {
    const h = document.querySelector<HTMLElement>("main h1");
    if (h === null) {
      if (performance.now() - started < 1000) requestAnimationFrame(attempt);
      return;
    }
    if (!h.hasAttribute("tabindex")) h.setAttribute("tabindex", "-1");
    h.focus();
  };
  requestAnimationFrame(attempt);
}

/** The current screen if it is `name` (for `<Match when={screenIf("invite")}>`). */
export function screenIf<N extends Screen["name"]>(name: N): Extract<Screen, { name: N }> | undefined {
  const s = screen();
  return s.name === name ? (s as Extract<Screen, { name: N }>) : undefined;
}

/** The current app view if it is `name`. */
export function viewIf<N extends View["name"]>(name: N): Extract<View, { name: N }> | undefined {
  const v = currentView();
  return v?.name === name ? (v as Extract<View, { name: N }>) : undefined;
}
