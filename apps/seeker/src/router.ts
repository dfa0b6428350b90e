/**
 * Hash routes for the screens that have an address: `#/` (start), `#/h/<slug>` (a helpline's page,
 * linkable from the helpline's own website), `#/return` (enter a code) and `#/safety`. No code, key
 * or text ever goes into a URL. The app changes the address with `history.replaceState`, so a whole
 * visit is one entry in the session history; other screens (writing, the code, the conversation)
 * exist only in memory.
 */
import { type Screen, screen, setScreen } from "./state.js";

const IN_MEMORY = new Set(["write", "ceremony", "threads", "conversation"]);
let resumeTo: Screen | undefined;

/** The screen for a location hash (unknown hashes show the start screen). */
export function parseHash(hash: string): Screen {
  const path = hash.replace(/^#/, "");
  const helpline = /^\/h\/([a-z0-9-]{2,40})\/?$/.exec(path);
  if (helpline !== null) return { name: "helpline", slug: helpline[1]! };
  if (path === "/return") return { name: "return" };
  if (path === "/safety") return { name: "safety" };
  return { name: "start" };
}

/** The hash of a screen that has an address (in-memory screens show under `#/`). */
export function hashOf(s: Screen): string {
  switch (s.name) {
    case "helpline":
      return `#/h/${s.slug}`;
    case "return":
      return "#/return";
    case "safety":
      return "#/safety";
    default:
      return "#/";
  }
}

/** Shows a screen and puts its address in the URL bar without adding a history entry. */
export function show(next: Screen): void {
  const from = screen();
  if (IN_MEMORY.has(from.name) && !IN_MEMORY.has(next.name)) resumeTo = from;
  if (IN_MEMORY.has(next.name)) resumeTo = undefined;
  if (location.hash !== hashOf(next)) history.replaceState(null, "", hashOf(next));
  setScreen(next);
}

/** The in-memory screen someone left for a page like "browsing safely", to go back to it. */
export function resumeScreen(): Screen | undefined {
  return resumeTo;
}

export function forgetResume(): void {
  resumeTo = undefined;
}

/** Follows the address on load and when it is changed by hand (or by a link from elsewhere). */
export function startRouter(): void {
  setScreen(parseHash(location.hash));
  window.addEventListener("hashchange", () => setScreen(parseHash(location.hash)));
}

/**
 * In-app links are plain `<a href="#/...">`; one listener turns a click on any of them into `show()`
 * (no history entry, no page load). `#main` (the skip link) moves focus to the content instead.
 */
export function interceptLinks(): void {
  document.addEventListener("click", (event) => {
    if (event.defaultPrevented || event.button !== 0) return;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
    const link = event.target instanceof Element ? event.target.closest("a[href^='#']") : null;
    const href = link?.getAttribute("href");
    if (href === null || href === undefined) return;
    event.preventDefault();
    if (href === "#main") {
      document.getElementById("main")?.focus();
      return;
    }
    show(parseHash(href));
  });
}
