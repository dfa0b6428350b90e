import {
  bytesEqual,
  type Fingerprint,
  fingerprintsEqual,
  fromBase64,
  type RootPublicKey,
  rootFingerprint,
  type Sodium,
} from "@briefgeheim/crypto";
import { ClientError } from "./errors.js";

/**
 * A roster head the build was made with (`npm run admin -- helpline head <slug>` prints it): every
 * client treats it as a roster head it has already verified, so a fresh device refuses a chain whose
 * roster of that version has another hash (`ROSTER_FORK`) or that ends before it (`ROSTER_ROLLBACK`).
 */
export interface RosterCheckpoint {
  readonly version: number;
  /** base64url of the roster hash. */
  readonly hash: string;
}

/**
 * A pinned helpline: the root's public key (base64url, 43 characters) or fingerprint (`7K2M QX9R ...`)
 * as a plain string, or `{ root, roster, slug }` with a minimum roster head (PROTOCOL.md §3,
 * "Remembered heads") and the slug of the helpline's published `#/h/<slug>` link (PROTOCOL.md §10).
 */
export type RootPin =
  | string
  | { readonly root: string; readonly roster?: RosterCheckpoint; readonly slug?: string };

/** The root part of a pin (key or fingerprint). */
export function pinnedRootOf(pin: RootPin): string {
  return typeof pin === "string" ? pin : pin.root;
}

/** The minimum roster head of a pin, if it has a well-formed one (else `undefined`). */
export function pinnedCheckpointOf(pin: RootPin | undefined): RosterCheckpoint | undefined {
  if (pin === undefined || typeof pin === "string" || pin.roster === undefined) return undefined;
  const { version, hash } = pin.roster;
  return Number.isInteger(version) && version >= 1 && typeof hash === "string"
    ? { version, hash }
    : undefined;
}

/**
 * How a root came to be trusted: pinned by key or fingerprint in the build, created by this client
 * (the first supervisor), or trusted on first use (development; the caller is shown the fingerprint).
 */
export type PinKind = "key" | "fingerprint" | "created" | "first-use";

export interface TrustedRoot {
  readonly rootPk: RootPublicKey;
  readonly fingerprint: Fingerprint;
  readonly pinnedBy: PinKind;
}

/**
 * Decides whether the root the server names for a helpline is the pinned one. Throws
 * `HELPLINE_NOT_READY` (no root yet), `ROOT_NOT_PINNED` (no pin, or a pin that is neither key nor
 * fingerprint, without trust on first use), `ROSTER_WRONG_ROOT` (another root than the pin) or
 * `UNEXPECTED_RESPONSE` (the server's key is not 32 bytes of base64url).
 *
 * @example
 * const root = resolveRoot(sodium, { pin: pins[helpline.id], serverRootPk: helpline.rootPk, trustOnFirstUse: false });
 */
export function resolveRoot(
  sodium: Sodium,
  input: { pin: RootPin | undefined; serverRootPk: string | null; trustOnFirstUse: boolean },
): TrustedRoot {
  const { serverRootPk } = input;
  const pin = input.pin === undefined ? undefined : pinnedRootOf(input.pin);
  if (serverRootPk === null) {
    throw new ClientError("HELPLINE_NOT_READY", "the helpline has no root key yet (not set up)");
  }
  let server: RootPublicKey;
  try {
    server = fromBase64(sodium, serverRootPk) as RootPublicKey;
  } catch (cause) {
    throw new ClientError("UNEXPECTED_RESPONSE", "the server's root key is not base64url", {
      source: "server",
      cause,
    });
  }
  if (server.length !== 32) {
    throw new ClientError("UNEXPECTED_RESPONSE", "the server's root key is not 32 bytes", {
      source: "server",
    });
  }
  const fingerprint = rootFingerprint(sodium, server);
  if (pin === undefined) {
    if (!input.trustOnFirstUse) {
      throw new ClientError("ROOT_NOT_PINNED", "this build has no pinned root key for the helpline");
    }
    return { rootPk: server, fingerprint, pinnedBy: "first-use" };
  }
  if (fingerprintsEqual(pin, pin)) {
    if (!fingerprintsEqual(pin, fingerprint)) {
      throw new ClientError(
        "ROSTER_WRONG_ROOT",
        "the helpline's root key does not match the pinned fingerprint",
      );
    }
    return { rootPk: server, fingerprint, pinnedBy: "fingerprint" };
  }
  let pinned: Uint8Array;
  try {
    pinned = fromBase64(sodium, pin);
  } catch (cause) {
    throw new ClientError("ROOT_NOT_PINNED", "the pin is neither a root key nor a fingerprint", { cause });
  }
  if (pinned.length !== 32) {
    throw new ClientError("ROOT_NOT_PINNED", "the pin is neither a root key nor a fingerprint");
  }
  if (!bytesEqual(sodium, pinned, server)) {
    throw new ClientError("ROSTER_WRONG_ROOT", "the helpline's root key is not the pinned key");
  }
  return { rootPk: pinned as RootPublicKey, fingerprint, pinnedBy: "key" };
}
