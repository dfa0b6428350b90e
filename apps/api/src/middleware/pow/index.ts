/**
 * Proof of work for anonymous work (help-seeker sign-in, a new conversation): the ALTCHA scheme
 * (https://altcha.org/docs/proof-of-work), implemented on node:crypto so that the API needs no new
 * dependency and the browser solves it with the SDK's own SHA-256 (no widget, no worker, no third party).
 *
 * A challenge is `{ algorithm: "SHA-256", challenge, maxnumber, salt, signature }`: the server picks a
 * random `number` in [0, maxnumber], `challenge = hex(SHA-256(salt + number))`, `signature =
 * hex(HMAC-SHA-256(key, challenge))`. The salt carries `?expires=<unix s>&purpose=<purpose>`; both are
 * covered by the signature through the challenge hash, so a client cannot change them. The client tries
 * numbers 0, 1, 2 ... until the hash matches (maxnumber / 2 hashes on average) and sends the solution
 * base64(JSON `{ algorithm, challenge, number, salt, signature }`) in the header `Briefgeheim-Pow`.
 *
 * Verification needs no database: the signature, the purpose, the expiry, the hash, and a memory of used
 * signatures until their expiry (single use; each instance remembers its own, see THREAT-MODEL R20).
 * The difficulty (maxnumber) doubles for every `loadPerDoubling` solutions accepted in the last minute:
 * only solved work counts, so raising everyone's difficulty costs the one who does it the same work.
 */
import { createHash, createHmac, randomBytes, randomInt, timingSafeEqual } from "node:crypto";
import type { MiddlewareHandler } from "hono";
import { AppError } from "../../errors.js";

export const POW_HEADER = "Briefgeheim-Pow";
export type PowPurpose = "seeker-sign-in" | "open-thread";
export const POW_PURPOSES: readonly PowPurpose[] = ["seeker-sign-in", "open-thread"];

export interface PowChallenge {
  algorithm: "SHA-256";
  challenge: string;
  maxnumber: number;
  salt: string;
  signature: string;
}

export interface PowConfig {
  /** maxnumber on an idle server (POW_DIFFICULTY): half of it is the mean number of hashes to solve. */
  baseMaxNumber: number;
  /** The highest maxnumber under any load. */
  maxMaxNumber: number;
  /** Solutions accepted in the last minute that double the difficulty. */
  loadPerDoubling: number;
  /** How long a challenge can be used (ms). */
  ttlMs: number;
  /**
   * The load signal (solutions accepted in the last minute by default). Tests drive it directly; an
   * operator could feed it the writer's queue depth.
   */
  load?: () => number;
  /**
   * Picks the secret number in [0, maxnumber] (default: uniformly at random). Browser tests that must
   * see the work take a while pick the top of the range; production never sets it.
   */
  pickNumber?: (maxnumber: number) => number;
}

export const DEFAULT_POW: PowConfig = {
  baseMaxNumber: 20_000,
  maxMaxNumber: 5_000_000,
  loadPerDoubling: 300,
  ttlMs: 120_000,
};

const SLOT_MS = 5_000;
const WINDOW_SLOTS = 12;
const SWEEP_MS = 1_000;

/** Issues and verifies proof-of-work challenges (one per process; `createApp` makes it). */
export class ProofOfWork {
  readonly config: PowConfig;
  readonly #key: () => Promise<Buffer>;
  readonly #now: () => number;
  /** Used solutions: signature -> expiry (ms). */
  readonly #used = new Map<string, number>();
  /** Solutions accepted per 5 s slot over the last minute (ring). */
  readonly #slots = new Array<number>(WINDOW_SLOTS).fill(0);
  #slotAt = 0;
  #nextSweep = 0;

  constructor(key: () => Promise<Buffer>, config: Partial<PowConfig> = {}, now: () => number = Date.now) {
    this.config = { ...DEFAULT_POW, ...config };
    this.#key = key;
    this.#now = now;
  }

  /** Solutions accepted in the last minute. */
  acceptedLastMinute(): number {
    this.#advance();
    return this.#slots.reduce((a, b) => a + b, 0);
  }

  /** The current load signal. */
  load(): number {
    return this.config.load ? this.config.load() : this.acceptedLastMinute();
  }

  /** maxnumber for the current load: base x 2^(load / loadPerDoubling), capped. */
  difficulty(): number {
    const { baseMaxNumber, maxMaxNumber, loadPerDoubling } = this.config;
    const scaled = baseMaxNumber * 2 ** (Math.max(0, this.load()) / loadPerDoubling);
    return Math.round(Math.min(maxMaxNumber, Math.max(1, scaled)));
  }

  async issue(purpose: PowPurpose): Promise<PowChallenge> {
    const key = await this.#key();
    const maxnumber = this.difficulty();
    const expires = Math.floor((this.#now() + this.config.ttlMs) / 1000);
    const salt = `${randomBytes(12).toString("hex")}?expires=${expires}&purpose=${purpose}`;
    const number = this.config.pickNumber?.(maxnumber) ?? randomInt(0, maxnumber + 1);
    const challenge = sha256Hex(salt + String(number));
    return { algorithm: "SHA-256", challenge, maxnumber, salt, signature: hmacHex(key, challenge) };
  }

  /**
   * Checks a solution; on success it is used up. Throws `POW_REQUIRED` (428), `POW_INVALID` or
   * `POW_EXPIRED` (403).
   */
  async verify(header: string | undefined, purpose: PowPurpose): Promise<void> {
    if (header === undefined || header.length === 0) {
      throw new AppError("POW_REQUIRED", "this request needs a proof of work (GET /api/pow/challenge)");
    }
    const s = parseSolution(header);
    if (s === undefined) throw new AppError("POW_INVALID", "the proof of work is malformed");
    const key = await this.#key();
    const expected = Buffer.from(hmacHex(key, s.challenge));
    const given = Buffer.from(s.signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) {
      throw new AppError("POW_INVALID", "the proof of work was not issued here");
    }
    const params = new URLSearchParams(s.salt.slice(s.salt.indexOf("?") + 1));
    if (params.get("purpose") !== purpose) {
      throw new AppError("POW_INVALID", "the proof of work is for another request");
    }
    const expiresMs = Number(params.get("expires")) * 1000;
    if (!Number.isFinite(expiresMs) || this.#now() >= expiresMs) {
      throw new AppError("POW_EXPIRED", "the proof-of-work challenge expired; fetch a new one");
    }
    if (sha256Hex(s.salt + String(s.number)) !== s.challenge) {
      throw new AppError("POW_INVALID", "the proof of work is wrong");
    }
    this.#sweep();
    if (this.#used.has(s.signature)) throw new AppError("POW_INVALID", "the proof of work was used already");
    this.#used.set(s.signature, expiresMs);
    this.#advance();
    this.#slots[Math.floor(this.#now() / SLOT_MS) % WINDOW_SLOTS]! += 1;
  }

  /** Used solutions remembered now (bounded by the challenges issued within one lifetime). */
  get remembered(): number {
    return this.#used.size;
  }

  /**
   * Forgets expired solutions, at most once per second: sweeping on every verification made each one
   * cost as much as the solutions remembered (112 µs a request in a compressed year's flood). An
   * expired solution kept a second longer changes nothing: `verify` refuses it as expired first.
   */
  #sweep(): void {
    const now = this.#now();
    if (now < this.#nextSweep) return;
    this.#nextSweep = now + SWEEP_MS;
    for (const [sig, exp] of this.#used) if (exp <= now) this.#used.delete(sig);
  }

  #advance(): void {
    const slot = Math.floor(this.#now() / SLOT_MS);
    if (slot - this.#slotAt >= WINDOW_SLOTS) this.#slots.fill(0);
    else for (let s = this.#slotAt + 1; s <= slot; s++) this.#slots[s % WINDOW_SLOTS] = 0;
    this.#slotAt = slot;
  }
}

/**
 * Requires a solved challenge of `purpose` before anything else of the route runs (no database work for
 * a request without one).
 *
 * @example
 * .post("/seeker", bodyLimit(LIMITS.body.small), requirePow(deps.pow, "seeker-sign-in"), ...)
 */
export function requirePow(pow: ProofOfWork, purpose: PowPurpose): MiddlewareHandler {
  return async (c, next) => {
    await pow.verify(c.req.header(POW_HEADER), purpose);
    await next();
  };
}

interface Solution {
  challenge: string;
  number: number;
  salt: string;
  signature: string;
}

function parseSolution(header: string): Solution | undefined {
  if (header.length > 1024) return undefined;
  try {
    const v = JSON.parse(Buffer.from(header, "base64").toString("utf8")) as Record<string, unknown>;
    const { algorithm, challenge, number, salt, signature } = v;
    if (
      algorithm !== "SHA-256" ||
      typeof challenge !== "string" ||
      !/^[0-9a-f]{64}$/.test(challenge) ||
      typeof signature !== "string" ||
      !/^[0-9a-f]{64}$/.test(signature) ||
      typeof salt !== "string" ||
      !salt.includes("?") ||
      typeof number !== "number" ||
      !Number.isSafeInteger(number) ||
      number < 0
    ) {
      return undefined;
    }
    return { challenge, number, salt, signature };
  } catch {
    return undefined;
  }
}

function sha256Hex(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}

function hmacHex(key: Buffer, text: string): string {
  return createHmac("sha256", key).update(text).digest("hex");
}

/**
 * Solves a challenge in Node (tests and benchmarks; the SDK has its own solver for browsers).
 *
 * @example
 * const header = solvePow(await (await fetch(`${base}/api/pow/challenge?purpose=open-thread`)).json());
 */
export function solvePow(c: PowChallenge): string {
  for (let n = 0; n <= c.maxnumber; n++) {
    if (sha256Hex(c.salt + String(n)) === c.challenge) {
      const payload = {
        algorithm: c.algorithm,
        challenge: c.challenge,
        number: n,
        salt: c.salt,
        signature: c.signature,
      };
      return Buffer.from(JSON.stringify(payload)).toString("base64");
    }
  }
  throw new Error("no solution: the challenge is not from this scheme");
}
