/**
 * A tiny in-memory cookie jar for Node (and tests): one client talks to one server, so cookies are
 * kept by name only. It honours deletion (`Max-Age=0` or an `Expires` in the past, as Hono's
 * `deleteCookie` sends) and ignores `Secure`, `HttpOnly`, `SameSite`, `Path` and `Domain`: tests run
 * over plain http on 127.0.0.1. Nothing is ever written to disk.
 *
 * @example
 * const jar = new CookieJar();
 * jar.store(["__Host-bg_session=abc; Path=/; HttpOnly; Secure; SameSite=Strict"]);
 * jar.header(); // "__Host-bg_session=abc"
 */
export class CookieJar {
  readonly #cookies = new Map<string, string>();

  constructor(private readonly now: () => number = Date.now) {}

  /** Takes the `Set-Cookie` header lines of one response. */
  store(setCookieLines: readonly string[]): void {
    for (const line of setCookieLines) this.#storeOne(line);
  }

  /** The `Cookie` request header, or undefined when the jar is empty. */
  header(): string | undefined {
    if (this.#cookies.size === 0) return undefined;
    return [...this.#cookies].map(([name, value]) => `${name}=${value}`).join("; ");
  }

  /** The value of one cookie (tests). */
  get(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** Forgets every cookie (sign-out, wipe). */
  clear(): void {
    this.#cookies.clear();
  }

  get size(): number {
    return this.#cookies.size;
  }

  #storeOne(line: string): void {
    const [pair, ...attributes] = line.split(";");
    const eq = pair?.indexOf("=") ?? -1;
    if (pair === undefined || eq <= 0) return;
    const name = pair.slice(0, eq).trim();
    const value = pair.slice(eq + 1).trim();
    if (name === "") return;
    let expired = false;
    for (const attribute of attributes) {
      const [rawKey, ...rest] = attribute.split("=");
      const key = rawKey?.trim().toLowerCase();
      const attrValue = rest.join("=").trim();
      if (key === "max-age") {
        const seconds = Number(attrValue);
        if (Number.isFinite(seconds) && seconds <= 0) expired = true;
      } else if (key === "expires") {
        const at = Date.parse(attrValue);
        if (Number.isFinite(at) && at <= this.now()) expired = true;
      }
    }
    if (expired || value === "") this.#cookies.delete(name);
    else this.#cookies.set(name, value);
  }
}
