import type { AccountKey, AccountKeys, Fingerprint, HelplineId, MemberId, Role } from "@briefgeheim/crypto";
import type { Helpline } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { ClientError, guard, isClientError } from "./errors.js";
import type { PinKind } from "./pins.js";
import { type StaffContext, wipeAccountKeys } from "./staff-context.js";
import { ThreadCache } from "./thread-cache.js";
import { readJson } from "./transport.js";
import type { WorkRunner } from "./work-pool.js";

/** Who a staff session belongs to, as verified at sign-in. */
export interface StaffIdentity {
  readonly helpline: Helpline;
  readonly fingerprint: Fingerprint;
  readonly pinnedBy: PinKind;
  readonly memberId: MemberId;
  readonly username: string;
  readonly role: Role;
  readonly displayName: string;
  readonly accountKey: AccountKey;
  readonly keys: AccountKeys;
}

/**
 * The session part of `StaffSession` (staff.ts): who is signed in, the keys in memory, the context the
 * operations run with, and signing out. `StaffSessionThreads` and `StaffSession` build on it.
 */
export abstract class StaffSessionBase {
  #identity: StaffIdentity | undefined;
  /** Verified threads of this session (memory only; cleared by `wipe()`). */
  readonly #cache = new ThreadCache();
  /** Workers for the cryptographic checks of batch reads (`useWorkers`); ended by `wipe()`. */
  #work: WorkRunner | undefined;
  readonly helpline: Helpline;
  readonly memberId: MemberId;
  readonly username: string;
  readonly role: Role;
  readonly displayName: string;
  /** The helpline root's fingerprint, to compare with the published one. */
  readonly fingerprint: Fingerprint;
  readonly pinnedBy: PinKind;

  constructor(
    readonly client: BriefgeheimClient,
    identity: StaffIdentity,
  ) {
    this.#identity = identity;
    this.helpline = identity.helpline;
    this.memberId = identity.memberId;
    this.username = identity.username;
    this.role = identity.role;
    this.displayName = identity.displayName;
    this.fingerprint = identity.fingerprint;
    this.pinnedBy = identity.pinnedBy;
  }

  get helplineId(): HelplineId {
    return this.helpline.id as HelplineId;
  }

  /** True until `wipe()` or `signOut()`. */
  get active(): boolean {
    return this.#identity !== undefined;
  }

  // ------------------------------------------------------------------------------------ session

  /**
   * Ends the server session, then wipes the keys. An already ended (or revoked) session is not an
   * error.
   *
   * @example
   * await staff.signOut();
   */
  signOut(): Promise<void> {
    return guard(async () => {
      try {
        await readJson(await this.client.api.auth["sign-out"].$post());
      } catch (e) {
        const ended =
          isClientError(e, "UNAUTHENTICATED") ||
          isClientError(e, "SESSION_EXPIRED") ||
          isClientError(e, "ACCOUNT_REMOVED");
        if (!ended) throw e;
      } finally {
        this.wipe();
      }
    });
  }

  /** Overwrites every key held in memory and forgets the session cookie (jar mode). */
  wipe(): void {
    const identity = this.#identity;
    if (identity !== undefined) wipeAccountKeys(identity.accountKey, identity.keys);
    this.#identity = undefined;
    this.#cache.clear();
    // The workers hold copies of keys sent with their jobs: terminated, those copies are gone.
    this.#work?.close();
    this.#work = undefined;
    this.client.transport.forgetSession();
  }

  /**
   * Runs the cryptographic checks of batch reads (`readThreads`) on `runner`, a pool of workers
   * (the staff app's, `WorkerPool`), instead of the calling thread. The session owns it from now on:
   * `wipe()` and `signOut()` close it, and so does a later `useWorkers`. After `wipe()` it is closed
   * at once.
   *
   * @example
   * staff.useWorkers(new WorkerPool(() => new Worker(url), 2, inlineRunner(staff.client.sodium)));
   */
  useWorkers(runner: WorkRunner): void {
    if (this.#work !== runner) this.#work?.close();
    this.#work = runner;
    if (this.#identity === undefined) this.wipe();
  }

  /** True when `useWorkers` gave this session a runner that is still open. */
  get hasWorkers(): boolean {
    return this.#work !== undefined;
  }

  /** The identity while the session is live; `WIPED` after `wipe()`. */
  protected live(): StaffIdentity {
    if (this.#identity === undefined) throw new ClientError("WIPED", "the session was wiped");
    return this.#identity;
  }

  /** What the operation modules need: built per call, so a wiped session fails with `WIPED`. */
  protected ctx(): StaffContext {
    const identity = this.live();
    return {
      client: this.client,
      helplineId: this.helplineId,
      memberId: identity.memberId,
      role: identity.role,
      accountKey: identity.accountKey,
      keys: identity.keys,
      me: { kind: "staff", signing: identity.keys.signing, box: identity.keys.box },
      cache: this.#cache,
      generation: this.#cache.generation,
      ...(this.#work === undefined ? {} : { work: this.#work }),
    };
  }
}
