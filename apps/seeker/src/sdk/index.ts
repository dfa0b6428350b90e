/**
 * The lazily loaded half of the app: the client SDK (`@briefgeheim/client`) with libsodium (sumo,
 * about 190 KB gzip). The entry chunk imports this module only with a dynamic `import()` (see
 * `./load.ts`), so the first screen never waits for it. Everything cryptographic happens in here,
 * through the SDK's public API; the app itself holds no keys.
 */
// First, before any module that builds zod schemas (ESM evaluates imports in order).
import "./zod-jitless.js";
import {
  type BriefgeheimClient,
  createClient,
  isClientError,
  newDraftContext,
  openHelpline,
  type PowProgress,
  replyDraftContext,
  resolveRoot,
  type SeekerProgress,
  type SeekerSession,
  startSeeker,
  warmUpKeyDerivation,
} from "@briefgeheim/client";
import { BUILD } from "../build-config.js";
import type { Helpline, ProfileCheck, RootCheck } from "./types.js";

// Slice B (issue 12): attachments.
export * as attachments from "./attachments.js";

export { newDraftContext, replyDraftContext };

let client: Promise<BriefgeheimClient> | undefined;

/**
 * Workaround for an API bug: the server's body-limit middleware answers `415` to a DELETE that
 * carries no body, because @hono/node-server gives every non-GET request a (possibly empty) body
 * stream and the middleware only looks at `Content-Length`, which browsers omit on a bodiless DELETE.
 * An empty JSON object as the body satisfies it; the routes ignore it. Remove once the API treats a
 * request without Content-Length and Transfer-Encoding as bodiless.
 */
const fetchForApi = (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
  if (
    (init?.method ?? "GET").toUpperCase() === "DELETE" &&
    (init?.body === undefined || init.body === null)
  ) {
    const headers = new Headers(init?.headers);
    headers.set("Content-Type", "application/json");
    return fetch(input, { ...init, headers, body: "{}" });
  }
  return fetch(input, init);
};

/**
 * One client per page: libsodium loaded (and self-checked) once, rosters verified once. Argon2id's
 * memory is touched in the background from then on: whoever loaded the SDK is about to make or type a
 * code, and the derivation after the click then does not pay the first touch of 64 MiB.
 */
export function getClient(): Promise<BriefgeheimClient> {
  client ??= createClient({
    baseUrl: location.origin,
    origin: location.origin,
    cookieMode: "browser",
    fetch: fetchForApi,
    pins: BUILD.pins,
    trustOnFirstUse: BUILD.trustOnFirstUse,
  })
    .then((c) => {
      warmUpKeyDerivation(c);
      return c;
    })
    .catch((e: unknown) => {
      client = undefined;
      throw e;
    });
  return client;
}

/**
 * How this build trusts a helpline's root key, with the fingerprint to show, without any request:
 * pinned (key or fingerprint), unpinned (usable only in a trust-on-first-use build), a root that
 * differs from the pin (never usable), or not set up yet.
 */
export async function checkRoot(helpline: Helpline): Promise<RootCheck> {
  const { sodium } = await getClient();
  if (helpline.rootPk === null) return { status: "not-ready" };
  const seen = resolveRoot(sodium, { pin: undefined, serverRootPk: helpline.rootPk, trustOnFirstUse: true });
  const pin = BUILD.pins[helpline.id];
  if (pin === undefined) {
    return { status: BUILD.trustOnFirstUse ? "first-use" : "unpinned", fingerprint: seen.fingerprint };
  }
  try {
    resolveRoot(sodium, { pin, serverRootPk: helpline.rootPk, trustOnFirstUse: false });
    return { status: "pinned", fingerprint: seen.fingerprint };
  } catch (e) {
    if (isClientError(e, "ROSTER_WRONG_ROOT") || isClientError(e, "ROOT_NOT_PINNED")) {
      return { status: "mismatch", fingerprint: seen.fingerprint };
    }
    throw e;
  }
}

/** Verifies the helpline's roster chain against the pinned root (before anyone writes to it). */
export async function verifyHelpline(helplineId: string): Promise<void> {
  const c = await getClient();
  await c.helplines.trust(helplineId as Parameters<BriefgeheimClient["helplines"]["trust"]>[0]);
}

/**
 * The helpline's signed profile, verified against the pinned root (roster chain first): what the
 * helpline list and page may show. `not-open` while no supervisor has signed one.
 */
export async function verifyProfile(helplineId: string): Promise<ProfileCheck> {
  const c = await getClient();
  try {
    const { profile } = await openHelpline(c, helplineId as Parameters<typeof openHelpline>[1]);
    const { name, descriptionNl, descriptionEn, replyWithinHours, crisisOptions, exitUrl } = profile;
    return { status: "open", name, descriptionNl, descriptionEn, replyWithinHours, crisisOptions, exitUrl };
  } catch (e) {
    if (isClientError(e, "HELPLINE_NOT_OPEN") || isClientError(e, "HELPLINE_NOT_READY")) {
      return { status: "not-open" };
    }
    if (isClientError(e) && e.code !== "NETWORK") return { status: "refused", code: e.code };
    throw e;
  }
}

/** A new code for `helplineId`: generated here, keys derived (Argon2id), signed in. */
export async function startNew(
  helplineId: string,
  onProgress: (step: SeekerProgress) => void,
  onWork?: PowProgress,
): Promise<SeekerSession> {
  const c = await getClient();
  return startSeeker(c, {
    helplineId: helplineId as NonNullable<Parameters<typeof startSeeker>[1]["helplineId"]>,
    onProgress,
    ...(onWork === undefined ? {} : { onWork }),
  });
}

/**
 * A session from a typed code. A typo fails locally with `INVALID_CODE_CHECKSUM` or
 * `INVALID_CODE_FORMAT` before any request (the SDK parses the code first).
 */
export async function resume(
  code: string,
  onProgress: (step: SeekerProgress) => void,
  onWork?: PowProgress,
): Promise<SeekerSession> {
  const c = await getClient();
  return startSeeker(c, { code, onProgress, ...(onWork === undefined ? {} : { onWork }) });
}
