/**
 * The automatic lock: after the helpline's `lockAfterMinutes` without any activity, everything the
 * app holds is wiped and the start screen says why, calmly. One minute before, a warning offers
 * to stay. Runs only while there is something to protect (a session, or typed text).
 */
import { createEffect, createSignal, onCleanup } from "solid-js";

const ACTIVITY = ["pointerdown", "keydown", "input", "wheel", "touchstart", "scroll"] as const;
const WARN_BEFORE_MS = 60_000;

export const [lockWarning, setLockWarning] = createSignal(false);

export interface IdleLockOptions {
  /** Minutes without activity before locking. */
  readonly minutes: () => number;
  /** Whether there is anything to lock. */
  readonly active: () => boolean;
  readonly onLock: (minutes: number) => void;
}

/** Call inside a Solid root: follows `active()` and `minutes()`. */
export function useIdleLock(options: IdleLockOptions): void {
  let warnTimer: ReturnType<typeof setTimeout> | undefined;
  let lockTimer: ReturnType<typeof setTimeout> | undefined;
  let lastReset = 0;

  const stop = () => {
    clearTimeout(warnTimer);
    clearTimeout(lockTimer);
    setLockWarning(false);
  };
  const arm = () => {
    clearTimeout(warnTimer);
    clearTimeout(lockTimer);
    const minutes = options.minutes();
    const total = minutes * 60_000;
    if (total > 2 * WARN_BEFORE_MS)
      warnTimer = setTimeout(() => setLockWarning(true), total - WARN_BEFORE_MS);
    lockTimer = setTimeout(() => {
      stop();
      options.onLock(minutes);
    }, total);
  };
  const onActivity = (event: Event) => {
    if (!options.active()) return;
    // Activity inside the warning itself leaves it in place until its button has been clicked.
    const inWarning = event.target instanceof Element && event.target.closest(".lock-warning") !== null;
    if (lockWarning() && !inWarning) setLockWarning(false);
    const now = Date.now();
    if (now - lastReset < 1_000) return; // at most one reset a second
    lastReset = now;
    arm();
  };

  for (const type of ACTIVITY) window.addEventListener(type, onActivity, { capture: true, passive: true });
  onCleanup(() => {
    stop();
    for (const type of ACTIVITY) window.removeEventListener(type, onActivity, { capture: true });
  });

  createEffect(() => {
    if (options.active()) {
      options.minutes(); // re-arm when the helpline (and so the minutes) changes
      arm();
    } else {
      stop();
    }
  });
}

/** "I am still here": the click already counted as activity (the timers are re-armed); close the warning. */
export function stayActive(): void {
  setLockWarning(false);
}
