import { createHmac, randomBytes } from "node:crypto";
import { isIP } from "node:net";
import type { Context, MiddlewareHandler } from "hono";
import type { AppEnv } from "../../deps.js";

/** How often the key under which addresses are counted is replaced by a new random one. */
export const ADDRESS_KEY_ROTATION_MS = 6 * 60 * 60_000;

/** Finds the client's network address for a request (undefined when there is none: in-process calls). */
export type AddressResolver = (c: Context) => string | undefined;

/**
 * The address of the TCP peer, or, when that peer is one of `trustedProxies` (the operator named them
 * in `TRUSTED_PROXIES`), the address that proxy put in `X-Forwarded-For`: the right-most entry that is
 * not itself a trusted proxy (entries to its left were written by the client and prove nothing).
 * Without trusted proxies, `X-Forwarded-For` is ignored.
 *
 * @example
 * const resolve = socketAddress(["10.0.0.5"]);
 */
export function socketAddress(trustedProxies: readonly string[] = []): AddressResolver {
  const trusted = new Set(trustedProxies.map(canonical).filter((a): a is string => a !== undefined));
  return (c) => {
    const env = c.env as { incoming?: { socket?: { remoteAddress?: string } } } | undefined;
    const peer = canonical(env?.incoming?.socket?.remoteAddress);
    if (peer === undefined || !trusted.has(peer)) return peer;
    const forwarded = (c.req.header("X-Forwarded-For") ?? "")
      .split(",")
      .map((s) => canonical(s.trim()))
      .reverse();
    for (const hop of forwarded) {
      if (hop === undefined) return peer; // a malformed entry: count the proxy itself
      if (!trusted.has(hop)) return hop;
    }
    return peer;
  };
}

/** An IP address in one spelling (IPv4-mapped IPv6 as IPv4, IPv6 lower-case); undefined if not one. */
export function canonical(address: string | undefined): string | undefined {
  if (address === undefined) return undefined;
  const lower = address.toLowerCase();
  const a = lower.startsWith("::ffff:") && isIP(lower.slice(7)) === 4 ? lower.slice(7) : lower;
  const kind = isIP(a);
  if (kind === 4) return a;
  if (kind === 6) return a;
  return undefined;
}

/**
 * The part of an address that one client controls: an IPv4 address, or the /64 prefix of an IPv6
 * address (one subscriber usually gets a whole /64, so counting single IPv6 addresses would let one
 * client be millions of clients).
 */
export function addressGroup(address: string): string {
  if (isIP(address) !== 6) return address;
  return expandV6(address).slice(0, 4).join(":");
}

function expandV6(address: string): string[] {
  const [head, tail] = address.includes("::") ? address.split("::") : [address, undefined];
  const h = head === "" || head === undefined ? [] : head.split(":");
  const t = tail === undefined || tail === "" ? [] : tail.split(":");
  // An embedded IPv4 tail (::1.2.3.4) counts as two groups.
  const groups = [...h, ...t];
  const last = groups.at(-1);
  const extra = last?.includes(".") ? 1 : 0;
  const missing = 8 - groups.length - extra;
  const full = tail === undefined ? h : [...h, ...Array<string>(Math.max(0, missing)).fill("0"), ...t];
  return full.map((g) => (g.includes(".") ? g : g.replace(/^0+(?=.)/, "")));
}

/**
 * Turns addresses into the keys rate limits count under: HMAC-SHA-256 of the address group under a
 * random key that lives only in this process's memory and is replaced every `rotationMs`. The address
 * itself is never kept, logged or stored; a key cannot be turned back into an address once its
 * rotation key is gone (a count under an old key simply ends with its window).
 */
export class AddressKeys {
  #key = randomBytes(32);
  #rotatedAt: number;
  constructor(
    readonly rotationMs: number = ADDRESS_KEY_ROTATION_MS,
    readonly now: () => number = Date.now,
  ) {
    this.#rotatedAt = now();
  }

  key(address: string): string {
    const t = this.now();
    if (t - this.#rotatedAt >= this.rotationMs) {
      this.#key = randomBytes(32);
      this.#rotatedAt = t;
    }
    return createHmac("sha256", this.#key).update(addressGroup(address)).digest("base64url").slice(0, 22);
  }
}

/**
 * Sets `c.var.clientKey`: the rotating keyed hash of the client's address (see `AddressKeys`), or
 * undefined when the request came without one (in-process requests in tests).
 *
 * @example
 * app.use("/api/*", clientAddress(socketAddress(config.trustedProxies), new AddressKeys()));
 */
export function clientAddress(resolve: AddressResolver, keys: AddressKeys): MiddlewareHandler<AppEnv> {
  return async (c, next) => {
    const address = resolve(c);
    c.set("clientKey", address === undefined ? undefined : keys.key(address));
    await next();
  };
}
