import {
  fromBase64,
  type HelplineId,
  type RootPublicKey,
  type Roster,
  type RosterBytes,
  rootFingerprint,
  type Sodium,
  toBase64,
  verifyRosterChain,
} from "@briefgeheim/crypto";
import type { Helpline } from "@briefgeheim/protocol";
import type { Api } from "./api.js";
import { type DeviceMemory, recallJson, rememberJson } from "./device-memory.js";
import { ClientError, guard } from "./errors.js";
import { collectPages, PAGE_SIZE } from "./paging.js";
import { pinnedCheckpointOf, type RootPin, resolveRoot, type TrustedRoot } from "./pins.js";
import { readJson } from "./transport.js";

/** A helpline with its root verified against the pin and its roster chain verified up to the newest. */
export interface TrustedHelpline extends TrustedRoot {
  readonly helpline: Helpline;
  /** The newest verified roster. */
  readonly roster: Roster;
}

export interface HelplineDirectoryOptions {
  readonly api: Api;
  readonly sodium: Sodium;
  readonly pins: Readonly<Record<HelplineId, RootPin>>;
  readonly trustOnFirstUse: boolean;
  /** Where the newest verified roster head per helpline is remembered (default: this object only). */
  readonly memory?: DeviceMemory;
}

// --- Remembered roster heads (PROTOCOL.md §3, "Remembered heads"; slice A) ---------------------------

/** The newest roster this device verified for a helpline: non-secret, kept in DeviceMemory. */
export interface RosterHead {
  readonly version: number;
  /** base64url of the roster hash. */
  readonly hash: string;
}

/** The DeviceMemory key of a helpline's remembered roster head. */
export function rosterHeadKey(helplineId: HelplineId): string {
  return `roster-head:${helplineId}`;
}

function isRosterHead(value: unknown): value is RosterHead {
  if (typeof value !== "object" || value === null) return false;
  const v = value as Record<string, unknown>;
  return (
    typeof v.version === "number" &&
    Number.isInteger(v.version) &&
    v.version >= 1 &&
    typeof v.hash === "string"
  );
}

/**
 * Compares a verified chain (from version 1) with the head this device remembers: a chain that ends
 * before it is `ROSTER_ROLLBACK` (the server hides a roster this device has seen), a chain whose roster
 * of that version has another hash is `ROSTER_FORK`.
 */
export function checkRememberedHead(
  sodium: Sodium,
  chain: readonly Roster[],
  head: RosterHead | undefined,
  whose = "this device verified",
): void {
  if (head === undefined) return;
  const newest = chain.at(-1);
  if (newest === undefined || newest.version < head.version) {
    throw new ClientError(
      "ROSTER_ROLLBACK",
      `the server's newest roster (${newest?.version ?? 0}) is older than one ${whose} (${head.version})`,
      { source: "crypto" },
    );
  }
  const same = chain.find((r) => r.version === head.version);
  if (same === undefined || toBase64(sodium, same.hash) !== head.hash) {
    throw new ClientError(
      "ROSTER_FORK",
      `the server shows another roster ${head.version} than the one ${whose}: the roster was forked`,
      { source: "crypto" },
    );
  }
}

// --- end of remembered roster heads -------------------------------------------------------------------

/**
 * The helplines of a deployment and, per helpline, the verified roster chain (rosters by version)
 * against the pinned root. Chains are verified from version 1 and kept in memory for the client's
 * lifetime; a server that later answers with an older roster (a rollback) or another root is refused.
 *
 * @example
 * const { roster, fingerprint, pinnedBy } = await client.helplines.trust(helplineId);
 * if (pinnedBy === "first-use") warnUnpinned(fingerprint);
 */
export class HelplineDirectory {
  readonly #api: Api;
  readonly #sodium: Sodium;
  readonly #pins: Readonly<Record<HelplineId, RootPin>>;
  readonly #trustOnFirstUse: boolean;
  readonly #memory: DeviceMemory | undefined;
  readonly #roots = new Map<HelplineId, TrustedRoot>();
  readonly #chains = new Map<HelplineId, Roster[]>();
  readonly #known = new Map<HelplineId, Helpline>();
  /** Refreshes of one helpline run one after another (a chain is extended in order). */
  readonly #queues = new Map<HelplineId, Promise<unknown>>();

  constructor(options: HelplineDirectoryOptions) {
    this.#api = options.api;
    this.#sodium = options.sodium;
    this.#pins = options.pins;
    this.#trustOnFirstUse = options.trustOnFirstUse;
    this.#memory = options.memory;
  }

  /**
   * Every helpline of the deployment (public: name, description, promised reply time, tag).
   *
   * @example
   * const helplines = await client.helplines.list();
   */
  list(): Promise<Helpline[]> {
    return guard(async () => {
      const all = await collectPages<Helpline, string>(async (cursor) => {
        const page = await readJson(
          await this.#api.helplines.$get({
            query: { limit: String(PAGE_SIZE), ...(cursor === undefined ? {} : { cursor }) },
          }),
        );
        return { items: page.helplines, next: page.nextCursor };
      });
      for (const h of all) this.#known.set(h.id as HelplineId, h);
      return all;
    });
  }

  /**
   * One helpline by id (`NO_SUCH_HELPLINE` if the server does not list it).
   *
   * @example
   * const helpline = await client.helplines.get(helplineId);
   */
  get(helplineId: HelplineId): Promise<Helpline> {
    return guard(async () => {
      const found = (await this.list()).find((h) => h.id === helplineId);
      if (found === undefined) throw new ClientError("NO_SUCH_HELPLINE", "no helpline with this id");
      return found;
    });
  }

  /**
   * The helpline whose public tag a help-seeker code carries (`NO_SUCH_HELPLINE` if none).
   *
   * @example
   * const helpline = await client.helplines.byTag(parsed.helplineTag);
   */
  byTag(tag: number): Promise<Helpline> {
    return guard(async () => {
      const found = (await this.list()).find((h) => h.tag === tag);
      if (found === undefined) throw new ClientError("NO_SUCH_HELPLINE", "no helpline for this code");
      return found;
    });
  }

  /**
   * Verifies the helpline's root against the pin and its roster chain up to the newest version, and
   * that chain against the pin's minimum roster head (if the build has one) and the head this device remembers (`ROSTER_ROLLBACK` when the server hides it,
   * `ROSTER_FORK` when it shows another roster of that version). Throws `ROOT_NOT_PINNED`,
   * `ROSTER_WRONG_ROOT`, `BAD_SIGNATURE`, `ROSTER_SIGNER_NOT_ALLOWED`, `ROSTER_CHAIN_BROKEN`,
   * `ROSTER_ROLLBACK`, `ROSTER_FORK`, `ROSTER_INVALID` or `HELPLINE_NOT_READY`.
   *
   * @example
   * const trusted = await client.helplines.trust(helplineId);
   * trusted.roster.members.map((m) => m.displayName);
   */
  trust(helplineId: HelplineId): Promise<TrustedHelpline> {
    return guard(() =>
      this.#serial(helplineId, async () => {
        let helpline = this.#known.get(helplineId);
        if (helpline === undefined || helpline.rootPk === null || !this.#roots.has(helplineId)) {
          helpline = await this.get(helplineId);
        }
        let root = this.#roots.get(helplineId);
        if (root === undefined) {
          root = resolveRoot(this.#sodium, {
            pin: this.#pins[helplineId],
            serverRootPk: helpline.rootPk,
            trustOnFirstUse: this.#trustOnFirstUse,
          });
          this.#roots.set(helplineId, root);
        }
        const roster = await this.#refresh(helplineId, root.rootPk);
        return { ...root, helpline, roster };
      }),
    );
  }

  /**
   * The newest verified roster, after asking the server for anything newer.
   *
   * @example
   * const roster = await client.helplines.latestRoster(helplineId);
   */
  async latestRoster(helplineId: HelplineId): Promise<Roster> {
    return (await this.trust(helplineId)).roster;
  }

  /**
   * A roster this client verified earlier, by version (synchronous; `undefined` if unknown).
   *
   * @example
   * const v2 = client.helplines.roster(helplineId, 2);
   */
  roster(helplineId: HelplineId, version: number): Roster | undefined {
    const r = this.#chains.get(helplineId)?.[version - 1];
    return r?.version === version ? r : undefined;
  }

  /**
   * A roster of the verified chain by version, with its hash (for epoch records that commit to the
   * roster they were made under). Synchronous; `undefined` when this client has not verified it.
   *
   * @example
   * const entry = client.helplines.rosterByVersion(helplineId, record.rosterVersion);
   * if (entry && !bytesEqual(sodium, entry.hash, record.rosterHash)) reportFork();
   */
  rosterByVersion(helplineId: HelplineId, version: number): { roster: Roster; hash: Uint8Array } | undefined {
    const roster = this.roster(helplineId, version);
    return roster === undefined ? undefined : { roster, hash: roster.hash };
  }

  /**
   * The helplines this build pins (their ids), whatever the server lists.
   *
   * @example
   * client.helplines.pinnedIds(); // ["q1w2e3r4t5y6u7i8o9p0aA"]
   */
  pinnedIds(): HelplineId[] {
    return Object.keys(this.#pins) as HelplineId[];
  }

  /**
   * The newest roster head this device remembers for the helpline (from DeviceMemory), if any.
   *
   * @example
   * client.helplines.rememberedHead(helplineId); // { version: 4, hash: "..." }
   */
  rememberedHead(helplineId: HelplineId): RosterHead | undefined {
    return this.#memory === undefined
      ? undefined
      : recallJson(this.#memory, rosterHeadKey(helplineId), isRosterHead);
  }

  /**
   * The newest roster verified so far, without a request.
   *
   * @example
   * const roster = client.helplines.cachedRoster(helplineId); // undefined before trust()
   */
  cachedRoster(helplineId: HelplineId): Roster | undefined {
    return this.#chains.get(helplineId)?.at(-1);
  }

  /**
   * How the helpline's root is trusted, if it is.
   *
   * @example
   * client.helplines.root(helplineId)?.fingerprint; // show it next to the published one
   */
  root(helplineId: HelplineId): TrustedRoot | undefined {
    return this.#roots.get(helplineId);
  }

  /**
   * Trusts a root this client has just created (the first supervisor, before roster v1 is stored).
   * Refused with `ROSTER_WRONG_ROOT` if another root is already trusted (or pinned) for the helpline.
   *
   * @example
   * client.helplines.adoptCreatedRoot(helplineId, root.keyPair.publicKey); // acceptInvite does this
   */
  adoptCreatedRoot(helplineId: HelplineId, rootPk: RootPublicKey): TrustedRoot {
    const existing = this.#roots.get(helplineId);
    const fingerprint = rootFingerprint(this.#sodium, rootPk);
    if (existing !== undefined) {
      if (existing.fingerprint !== fingerprint) {
        throw new ClientError("ROSTER_WRONG_ROOT", "another root is already trusted for this helpline");
      }
      return existing;
    }
    const pin = this.#pins[helplineId];
    // A build that pins this helpline already must pin exactly the root just created.
    const pinnedBy =
      pin === undefined
        ? "created"
        : resolveRoot(this.#sodium, {
            pin,
            serverRootPk: toBase64(this.#sodium, rootPk),
            trustOnFirstUse: false,
          }).pinnedBy;
    const root: TrustedRoot = { rootPk, fingerprint, pinnedBy };
    this.#roots.set(helplineId, root);
    return root;
  }

  #serial<T>(helplineId: HelplineId, fn: () => Promise<T>): Promise<T> {
    const previous = this.#queues.get(helplineId) ?? Promise.resolve();
    const next = previous.then(fn, fn);
    this.#queues.set(
      helplineId,
      next.catch(() => undefined),
    );
    return next;
  }

  /** Fetches rosters after the newest verified one and verifies them as a chain continuing it. */
  async #refresh(helplineId: HelplineId, pinnedRoot: RootPublicKey): Promise<Roster> {
    const chain = this.#chains.get(helplineId) ?? [];
    const trusted = chain.at(-1);
    const known = trusted?.version ?? 0;
    let latestVersion = 0;
    const texts = await collectPages<string, number>(async (after) => {
      const page = await readJson(
        await this.#api.helplines[":helplineId"].rosters.$get({
          param: { helplineId },
          query: { after: String(after ?? known), limit: String(PAGE_SIZE) },
        }),
      );
      latestVersion = Math.max(latestVersion, page.latestVersion);
      return { items: page.rosters, next: page.nextAfter };
    });
    if (latestVersion < known) {
      throw new ClientError(
        "ROSTER_ROLLBACK",
        `the server's newest roster (${latestVersion}) is older than one already verified (${known})`,
        { source: "crypto" },
      );
    }
    const bytes = texts.map((t) => fromBase64(this.#sodium, t) as RosterBytes);
    const verified = verifyRosterChain(this.#sodium, bytes, { pinnedRoot, helplineId, trusted });
    const extended = [...chain, ...verified];
    const newest = extended.at(-1);
    if (newest === undefined) {
      throw new ClientError("HELPLINE_NOT_READY", "the helpline has no roster yet");
    }
    if (newest.version < latestVersion) {
      throw new ClientError("ROSTER_CHAIN_BROKEN", "the server withheld rosters it says exist", {
        source: "crypto",
      });
    }
    // The build's checkpoint (a pin's minimum roster head) is a head every device has verified, so a
    // fresh device too refuses a fork that starts at or below it.
    checkRememberedHead(
      this.#sodium,
      extended,
      pinnedCheckpointOf(this.#pins[helplineId]),
      "this build was made with",
    );
    checkRememberedHead(this.#sodium, extended, this.rememberedHead(helplineId));
    this.#chains.set(helplineId, extended);
    if (this.#memory !== undefined) {
      rememberJson(this.#memory, rosterHeadKey(helplineId), {
        version: newest.version,
        hash: toBase64(this.#sodium, newest.hash),
      } satisfies RosterHead);
    }
    return newest;
  }
}
