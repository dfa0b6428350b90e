/**
 * The quick exit (docs/REQUIREMENTS.md §1; the GOV.UK "Exit this page" pattern, researched with
 * survivors of domestic abuse): the button on every screen, Escape pressed twice, or Shift pressed
 * three times. It first wipes keys and plaintext from memory and sends a best-effort sign-out, then
 * replaces the page with a neutral site: `location.replace` leaves no history entry, so the back
 * button does not lead here.
 */
import { createSignal } from "solid-js";
import { t } from "../i18n/index.js";
import { signOutInBackground, wipeAll } from "../state.js";
import { exitDestination } from "./helpline-in-view.js";
import { disarmLeaveGuard } from "./leave-guard.js";

/** Two Escapes within this time leave. */
const ESCAPE_WINDOW_MS = 2_000;
/** Three Shifts, each within this time of the previous one, leave (as GOV.UK's component). */
const SHIFT_WINDOW_MS = 5_000;

/** What the keyboard shortcut has counted so far, for a polite announcement next to the button. */
export const [keyHint, setKeyHint] = createSignal("");

let leaving = false;

/** Wipes, signs out in the background, and leaves for the neutral site. Safe to call twice. */
export function quickExit(): void {
  if (leaving) return;
  leaving = true;
  // Read before the wipe forgets which helpline is in view: its signed destination, or the build's.
  const destination = exitDestination();
  disarmLeaveGuard();
  try {
    document.body.classList.add("leaving"); // hides everything at once (styles.css)
    wipeAll();
    signOutInBackground();
  } finally {
    location.replace(destination);
  }
}

/** Listens for Escape twice and Shift three times; any other key starts the count again. */
export function installExitKeys(): void {
  let escapes = 0;
  let lastEscape = 0;
  let shifts = 0;
  let lastShift = 0;
  let hintTimer: ReturnType<typeof setTimeout> | undefined;
  const hint = (text: string, ms: number) => {
    setKeyHint(text);
    clearTimeout(hintTimer);
    hintTimer = setTimeout(() => setKeyHint(""), ms);
  };
  window.addEventListener(
    "keydown",
    (event) => {
      if (event.repeat) return;
      const now = performance.now();
      if (event.key === "Escape") {
        shifts = 0;
        escapes = now - lastEscape <= ESCAPE_WINDOW_MS ? escapes + 1 : 1;
        lastEscape = now;
        if (escapes >= 2) quickExit();
        else hint(t().escCount, ESCAPE_WINDOW_MS);
        return;
      }
      if (event.key === "Shift") {
        escapes = 0;
        shifts = now - lastShift <= SHIFT_WINDOW_MS ? shifts + 1 : 1;
        lastShift = now;
        if (shifts >= 3) quickExit();
        else hint(t().shiftCount(3 - shifts), SHIFT_WINDOW_MS);
        return;
      }
      if (escapes > 0 || shifts > 0) setKeyHint("");
      escapes = 0;
      shifts = 0;
    },
    { capture: true },
  );
}
