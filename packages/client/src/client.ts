import {
  type HelplineId,
  loadSodium,
  type RandomSource,
  type Sodium,
  systemRandom,
} from "@briefgeheim/crypto";
import { type Api, createApi } from "./api.js";
import { type DeviceMemory, memoryDeviceMemory } from "./device-memory.js";
import { guard } from "./errors.js";
import { HelplineDirectory } from "./helplines.js";
import type { RootPin } from "./pins.js";
import { type CookieMode, createTransport, type FetchLike, type Transport } from "./transport.js";

export interface ClientOptions {
  /** Where the API lives, e.g. `https://hulp.example` (routes are under `/api`). */
  readonly baseUrl: string;
  /** The web origin the app runs on (`location.origin` in a browser); sign-in signatures bind it. */
  readonly origin: string;
  /** Default: the platform's `fetch`. Tests pass the in-process app's. */
  readonly fetch?: FetchLike;
  /** Default: `"browser"` where a `document` exists, else `"jar"` (an in-memory cookie jar). */
  readonly cookieMode?: CookieMode;
  /**
   * The helpline root keys this build trusts: base64url root public key or its fingerprint
   * (`7K2M QX9R ...`), per helpline id. A helpline without a pin is refused (`ROOT_NOT_PINNED`).
   */
  readonly pins?: Readonly<Record<string, RootPin>>;
  /**
   * Development and the first supervisor only: trust an unpinned helpline's root on first sight
   * (for this client's lifetime) and report its fingerprint to the caller.
   */
  readonly trustOnFirstUse?: boolean;
  /** Clock (tests). Default `Date.now`. */
  readonly now?: () => number;
  /**
   * What this device remembers between sessions (roster heads, own sequence numbers, seen envelopes).
   * Default: memory for the client's lifetime only.
   */
  readonly memory?: DeviceMemory;
}

/**
 * One connection to a Briefgeheim server: the typed API, the transport (cookie), libsodium and the
 * verified roster chains of the helplines used so far. Help-seeker and staff sessions are made from
 * it (`startSeeker`, `signInStaff`, `acceptInvite`).
 */
export interface BriefgeheimClient {
  readonly api: Api;
  readonly transport: Transport;
  readonly sodium: Sodium;
  readonly random: RandomSource;
  readonly now: () => number;
  /** Helplines and their verified, pinned roster chains. */
  readonly helplines: HelplineDirectory;
  /** Non-secret facts this device remembers to detect rollback, forks and truncation. */
  readonly memory: DeviceMemory;
}

/**
 * Loads libsodium (with its start-up self-check) and builds a client.
 *
 * @example
 * const client = await createClient({
 *   baseUrl: location.origin, origin: location.origin,
 *   pins: { "q1w2e3r4t5y6u7i8o9p0aA": "7K2M QX9R 0T4B ZD1E H8PS WN3C" },
 * });
 * const helplines = await client.helplines.list();
 */
export async function createClient(options: ClientOptions): Promise<BriefgeheimClient> {
  return guard(async () => {
    const sodium = await loadSodium();
    const transport = createTransport(options);
    const api = createApi(transport);
    const now = options.now ?? Date.now;
    const memory = options.memory ?? memoryDeviceMemory();
    const helplines = new HelplineDirectory({
      api,
      sodium,
      pins: (options.pins ?? {}) as Readonly<Record<HelplineId, RootPin>>,
      trustOnFirstUse: options.trustOnFirstUse ?? false,
      memory,
    });
    return { api, transport, sodium, random: systemRandom(sodium), now, helplines, memory };
  });
}
