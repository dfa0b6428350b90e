import { type KdfMemory, reserveKdfMemory, type Sodium } from "@briefgeheim/crypto";
import type { BriefgeheimClient } from "./client.js";

/** Per libsodium instance: the memory being warmed, or "used" once a derivation has run. */
const warmed = new WeakMap<Sodium, KdfMemory | "used">();

/**
 * Touches Argon2id's 64 MiB in the background, one slice per task, so the first derivation after a
 * page load (a code or passphrase typed meanwhile) does not pay the page faults itself
 * (`reserveKdfMemory`). Call it when a screen that will derive keys shows; a second call, or one after
 * the first derivation, does nothing.
 *
 * @example
 * warmUpKeyDerivation(client); // the sign-in form is on the screen
 */
export function warmUpKeyDerivation(client: BriefgeheimClient): void {
  const { sodium } = client;
  if (warmed.has(sodium)) return;
  const memory = reserveKdfMemory(sodium);
  warmed.set(sodium, memory);
  const step = () => {
    if (warmed.get(sodium) === memory && memory.touch()) setTimeout(step, 0);
  };
  setTimeout(step, 0);
}

/** Right before Argon2id: frees the warmed memory (touched or not) for the derivation to reuse. */
export function beforeKeyDerivation(sodium: Sodium): void {
  const memory = warmed.get(sodium);
  if (memory !== undefined && memory !== "used") memory.release();
  warmed.set(sodium, "used");
}
