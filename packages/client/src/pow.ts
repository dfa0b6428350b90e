import { findPowNumber } from "@briefgeheim/crypto";
import type { BriefgeheimClient } from "./client.js";
import { ClientError, isClientError } from "./errors.js";
import { readJson } from "./transport.js";

/** The header that carries a solved proof of work (API.md, "Proof of work"). */
export const POW_HEADER = "Briefgeheim-Pow";

/** What the work is for: a help-seeker's sign-in, or a new conversation. */
export type PowPurpose = "seeker-sign-in" | "open-thread";

/** Progress of a proof of work: numbers tried so far, and the most there can be. */
export type PowProgress = (tried: number, most: number) => void;

export interface PowChallenge {
  readonly algorithm: "SHA-256";
  readonly challenge: string;
  readonly maxnumber: number;
  readonly salt: string;
  readonly signature: string;
}

/** How long the solver runs before it lets the page paint and reports progress (ms). */
const SLICE_MS = 12;

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length / 2);
  for (let i = 0; i < out.length; i++) out[i] = Number.parseInt(hex.slice(2 * i, 2 * i + 2), 16);
  return out;
}

/**
 * Solves an ALTCHA-style challenge: the number n in [0, maxnumber] with SHA-256(salt + n) equal to
 * `challenge` (libsodium's SHA-256, on the calling thread in slices of about 12 ms, so a page stays
 * responsive and can show `onProgress`). Returns the header value (base64 of the JSON solution).
 *
 * @example
 * const header = await solvePowChallenge(client, challenge, (n, most) => show(n / most));
 */
export async function solvePowChallenge(
  client: Pick<BriefgeheimClient, "sodium">,
  c: PowChallenge,
  onProgress?: PowProgress,
): Promise<string> {
  const target = hexToBytes(c.challenge);
  const salt = new TextEncoder().encode(c.salt);
  let step = 2048;
  for (let from = 0, to = 0; from <= c.maxnumber; from = to + 1) {
    const started = Date.now();
    to = Math.min(c.maxnumber, from + step - 1);
    const n = findPowNumber(client.sodium, salt, target, from, to);
    if (n !== undefined) {
      const solution = {
        algorithm: c.algorithm,
        challenge: c.challenge,
        number: n,
        salt: c.salt,
        signature: c.signature,
      };
      return btoa(JSON.stringify(solution));
    }
    // Slices of about SLICE_MS whatever the device's speed; then let the page paint.
    const took = Date.now() - started;
    step = Math.max(256, Math.min(1 << 16, Math.round((step * SLICE_MS) / Math.max(1, took))));
    onProgress?.(to + 1, c.maxnumber);
    await new Promise((resolve) => setTimeout(resolve, 0));
  }
  throw new ClientError("POW_INVALID", "the proof-of-work challenge has no solution");
}

/**
 * Fetches a challenge for `purpose` and solves it; returns the headers to send with the request.
 *
 * @example
 * const headers = await proofOfWork(client, "open-thread");
 * await client.api.threads.$post({ json }, { headers });
 */
export async function proofOfWork(
  client: BriefgeheimClient,
  purpose: PowPurpose,
  onProgress?: PowProgress,
): Promise<Record<string, string>> {
  const challenge = (await readJson(
    await client.api.pow.challenge.$get({ query: { purpose } }),
  )) as PowChallenge;
  return { [POW_HEADER]: await solvePowChallenge(client, challenge, onProgress) };
}

/**
 * Runs `send` with a fresh proof of work; a challenge that expired meanwhile (a slow device, a paused
 * tab) is solved once more.
 *
 * @example
 * const res = await withProofOfWork(client, "seeker-sign-in", (headers) => post(headers));
 */
export async function withProofOfWork<T>(
  client: BriefgeheimClient,
  purpose: PowPurpose,
  send: (headers: Record<string, string>) => Promise<T>,
  onProgress?: PowProgress,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    const headers = await proofOfWork(client, purpose, onProgress);
    try {
      return await send(headers);
    } catch (e) {
      if (!isClientError(e, "POW_EXPIRED") || attempt >= 2) throw e;
    }
  }
}
