/**
 * Debounced autosave of an encrypted draft. `save` returns the server's `updatedAt`, or undefined
 * when there was nothing to save; the status says what happened for the note under the form.
 */
import { createSignal, onCleanup } from "solid-js";
import { handleFailure } from "../actions.js";

export type SaveStatus =
  | { readonly kind: "idle" }
  | { readonly kind: "saving" }
  | { readonly kind: "saved"; readonly at: number }
  | { readonly kind: "failed" };

export function createAutosave(
  save: () => Promise<number | undefined>,
  options: { readonly enabled: () => boolean; readonly delayMs?: number },
) {
  const [status, setStatus] = createSignal<SaveStatus>({ kind: "idle" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  let running = false;
  let again = false;

  const run = async (): Promise<void> => {
    if (!options.enabled()) return;
    if (running) {
      again = true;
      return;
    }
    running = true;
    setStatus({ kind: "saving" });
    try {
      const at = await save();
      setStatus(at === undefined ? { kind: "idle" } : { kind: "saved", at });
    } catch (e) {
      if (!handleFailure(e)) setStatus({ kind: "failed" });
    } finally {
      running = false;
      if (again) {
        again = false;
        void run();
      }
    }
  };

  onCleanup(() => clearTimeout(timer));
  return {
    status,
    /** Saves after a pause in typing. */
    schedule(): void {
      if (!options.enabled()) return;
      clearTimeout(timer);
      timer = setTimeout(() => void run(), options.delayMs ?? 1_500);
    },
    /** Saves now (e.g. when a code has just been made). */
    flush(): Promise<void> {
      clearTimeout(timer);
      return run();
    },
    cancel(): void {
      clearTimeout(timer);
    },
  };
}
