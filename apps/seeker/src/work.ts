/**
 * The proof of work's progress, for `WorkProgress`. Invisible when the work is quick (the usual case):
 * the line appears only once it has taken WORK_VISIBLE_AFTER_MS.
 */
import { createSignal } from "solid-js";

export const WORK_VISIBLE_AFTER_MS = 400;

const [work, setWork] = createSignal<number | undefined>();

/** The share done (0..100) while a slow proof of work runs; undefined otherwise. */
export { work };

/**
 * A progress callback for the SDK (`onWork`) and its end: call `done()` when the request finished.
 *
 * @example
 * const w = trackWork();
 * try { await s.openThread(message, { onWork: w.onWork }); } finally { w.done(); }
 */
export function trackWork(now: () => number = () => performance.now()) {
  const started = now();
  return {
    onWork(tried: number, most: number) {
      if (now() - started < WORK_VISIBLE_AFTER_MS) return;
      setWork(Math.min(99, Math.floor((tried / Math.max(1, most)) * 100)));
    },
    done() {
      setWork(undefined);
    },
  };
}
