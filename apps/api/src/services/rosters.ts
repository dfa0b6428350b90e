import { and, eq } from "drizzle-orm";
import type { Roster } from "../crypto/index.js";
import type { Queryable } from "../db/client.js";
import { rosters } from "../db/schema.js";
import type { Deps } from "../deps.js";

/**
 * Parsed rosters by helpline and version. Stored rosters never change, so a parsed copy can be kept;
 * only committed rows are cached.
 */
export class RosterCache {
  readonly #byKey = new Map<string, Roster>();
  constructor(private readonly deps: Deps) {}

  async get(
    helplineId: string,
    version: number,
    db: Queryable = this.deps.db.read,
  ): Promise<Roster | undefined> {
    if (version < 1) return undefined;
    const key = `${helplineId}:${version}`;
    const hit = this.#byKey.get(key);
    if (hit) return hit;
    const rows = await db
      .select({ bytes: rosters.bytes })
      .from(rosters)
      .where(and(eq(rosters.helplineId, helplineId), eq(rosters.version, version)));
    const row = rows[0];
    if (row === undefined) return undefined;
    const crypto = await this.deps.crypto();
    const roster = crypto.parseRoster(new Uint8Array(row.bytes));
    if (this.#byKey.size > 1000) this.#byKey.clear();
    this.#byKey.set(key, roster);
    return roster;
  }

  /** Remember a roster that was just committed. */
  put(helplineId: string, roster: Roster): void {
    this.#byKey.set(`${helplineId}:${roster.version}`, roster);
  }
}

/** Member ids on a roster, and who was added or removed relative to the previous one. */
export function rosterDiff(
  previous: Roster | undefined,
  next: Roster,
): { added: string[]; removed: string[] } {
  const before = new Set(previous?.members.map((m) => m.memberId as string) ?? []);
  const after = new Set(next.members.map((m) => m.memberId as string));
  return {
    added: [...after].filter((id) => !before.has(id)).sort(),
    removed: [...before].filter((id) => !after.has(id)).sort(),
  };
}
