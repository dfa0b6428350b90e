import { createSignal } from "solid-js";
import { errorText } from "./errors.js";
import type { Step } from "./steps.js";

/**
 * The state of a form whose submit runs slow steps (accepting an invite, recovering a passphrase):
 * busy while it runs, the current step for the live region, and the error to show. `run` clears the
 * error, marks the form busy, and announces a failure in words; the step is cleared afterwards.
 *
 * @example
 * const form = createStepForm();
 * await form.run(async () => signIn(name, pass, form.setStep));
 */
export function createStepForm() {
  const [busy, setBusy] = createSignal(false);
  const [step, setStep] = createSignal<Step | undefined>();
  const [error, setError] = createSignal<string | undefined>();

  const run = async (work: () => Promise<void>): Promise<void> => {
    setError(undefined);
    setBusy(true);
    try {
      await work();
    } catch (err) {
      setError(errorText(err));
    } finally {
      setBusy(false);
      setStep(undefined);
    }
  };

  return { busy, step, setStep, error, setError, run };
}
