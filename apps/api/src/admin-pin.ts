/**
 * `npm run admin -- helpline pin <slug>`: the operator pins a helpline in one step (docs/DEPLOY.md,
 * "Opening a helpline"). It reads the root the first supervisor's browser created (roster version 1 and
 * the chain after it, verified from that root), prints the root's fingerprint for the operator to compare
 * with what the supervisor reads out from their screen, writes the pin entry with the current roster head
 * into the pins file (`BRIEFGEHEIM_PINS_FILE`, default `config/pins.json`), and rebuilds the apps.
 *
 * The database is not trusted for the pin: the comparison with the supervisor's screen is what makes it
 * right (a server that swapped the root shows another fingerprint than the supervisor's browser made).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import {
  fingerprintsEqual,
  type HelplineId,
  loadSodium,
  parseRoster,
  type RootPublicKey,
  type RosterBytes,
  rootFingerprint,
  toBase64,
  verifyRosterChain,
} from "@briefgeheim/crypto";
import { asc, eq } from "drizzle-orm";
import type { Database } from "./db/client.js";
import { helplines, rosters } from "./db/schema.js";

/** The repository root (the pins file and the app builds live there). */
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");

/** Why a pin was not written; the message says what to do. */
export class PinError extends Error {
  override readonly name = "PinError";
  constructor(
    readonly code:
      | "NO_SUCH_HELPLINE"
      | "NOT_SET_UP"
      | "ROSTER_INVALID"
      | "FINGERPRINT_MISMATCH"
      | "PINS_FILE",
    message: string,
  ) {
    super(message);
  }
}

/** One helpline's entry in the pins file (scripts/vite-shared.ts reads it). */
export interface PinEntry {
  readonly root: string;
  readonly roster: { readonly version: number; readonly hash: string };
  readonly slug: string;
}

export interface HelplinePin {
  readonly helplineId: string;
  readonly fingerprint: string;
  readonly entry: PinEntry;
}

/**
 * The pin of a helpline as its database holds it: the root of roster version 1, the whole roster chain
 * verified from it, the fingerprint of that root, and the newest roster as the build's checkpoint.
 */
export async function readHelplinePin(db: Database, slug: string): Promise<HelplinePin> {
  const [h] = await db.read.select().from(helplines).where(eq(helplines.slug, slug));
  if (h === undefined)
    throw new PinError("NO_SUCH_HELPLINE", `no helpline ${slug} (npm run admin -- helpline list)`);
  const chain = await db.read
    .select({ bytes: rosters.bytes })
    .from(rosters)
    .where(eq(rosters.helplineId, h.id))
    .orderBy(asc(rosters.version));
  if (h.rootPk === null || chain.length === 0) {
    throw new PinError(
      "NOT_SET_UP",
      `${slug} is not set up yet: its first supervisor has not accepted the invite (npm run admin -- invite --helpline ${slug} --role supervisor makes a new one)`,
    );
  }
  const sodium = await loadSodium();
  const bytes = chain.map((r) => new Uint8Array(r.bytes) as RosterBytes);
  let newest: ReturnType<typeof parseRoster>;
  let root: RootPublicKey;
  try {
    root = parseRoster(sodium, bytes[0]!).rootPk;
    newest = verifyRosterChain(sodium, bytes, {
      pinnedRoot: root,
      helplineId: h.id as HelplineId,
    }).at(-1)!;
  } catch (e) {
    throw new PinError(
      "ROSTER_INVALID",
      `the rosters of ${slug} in this database do not verify (${e instanceof Error ? e.message : String(e)}); do not pin it`,
    );
  }
  if (toBase64(sodium, root) !== h.rootPk) {
    throw new PinError(
      "ROSTER_INVALID",
      `the root listed for ${slug} is not the root of its first roster; do not pin it`,
    );
  }
  const fingerprint = rootFingerprint(sodium, root);
  return {
    helplineId: h.id,
    fingerprint,
    entry: {
      root: fingerprint,
      roster: { version: newest.version, hash: toBase64(sodium, newest.hash) },
      slug: h.slug,
    },
  };
}

/** Whether what the supervisor read out is this fingerprint (case, spaces, dashes, O/0, I/L/1 do not count). */
export function confirmFingerprint(pin: HelplinePin, readOut: string): void {
  if (!fingerprintsEqual(readOut, pin.fingerprint)) {
    throw new PinError(
      "FINGERPRINT_MISMATCH",
      `the fingerprint read out (${readOut.trim()}) is not this helpline's root (${pin.fingerprint}): nothing was pinned. Check with the supervisor; if their screen shows another fingerprint than this database, do not open the helpline and find out why.`,
    );
  }
}

/** The pins file: `BRIEFGEHEIM_PINS_FILE`, else `config/pins.json` in the repository. */
export function pinsFilePath(env: NodeJS.ProcessEnv = process.env): string {
  return env.BRIEFGEHEIM_PINS_FILE
    ? resolve(env.BRIEFGEHEIM_PINS_FILE)
    : join(REPO_ROOT, "config", "pins.json");
}

/**
 * Writes (or replaces) the helpline's entry in the pins file, keeping every other entry and comment.
 * Returns true when the file changed. Written through a temporary file and a rename, so a build never
 * reads half a file.
 */
export function writePin(file: string, pin: HelplinePin): boolean {
  let pins: Record<string, unknown> = {
    $comment: "Pinned helpline roots (docs/DEPLOY.md). Written by npm run admin -- helpline pin <slug>.",
  };
  if (existsSync(file)) {
    const text = readFileSync(file, "utf8");
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch {
      throw new PinError("PINS_FILE", `${file} is not valid JSON; fix or remove it first`);
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      throw new PinError("PINS_FILE", `${file} must hold one JSON object`);
    }
    pins = parsed as Record<string, unknown>;
  }
  const before = JSON.stringify(pins[pin.helplineId]);
  pins[pin.helplineId] = pin.entry;
  if (before === JSON.stringify(pin.entry)) return false;
  mkdirSync(dirname(file), { recursive: true });
  const tmp = `${file}.writing`;
  writeFileSync(tmp, `${JSON.stringify(pins, null, 2)}\n`);
  renameSync(tmp, file);
  return true;
}

/**
 * Builds both apps with the pins file, quietly; the build's output is printed only when it fails.
 * Returns whether it succeeded.
 */
export function buildApps(file: string): boolean {
  const built = spawnSync("npm", ["run", "--silent", "build"], {
    cwd: REPO_ROOT,
    env: { ...process.env, BRIEFGEHEIM_PINS_FILE: file },
    encoding: "utf8",
  });
  if (built.status === 0) return true;
  process.stderr.write(`${built.stdout ?? ""}${built.stderr ?? ""}`);
  return false;
}

/** Asks on the terminal; undefined when there is none (a script must pass --fingerprint). */
async function ask(question: string): Promise<string | undefined> {
  if (!process.stdin.isTTY) return undefined;
  const { createInterface } = await import("node:readline/promises");
  const rl = createInterface({ input: process.stdin, output: process.stdout });
  try {
    return await rl.question(question);
  } finally {
    rl.close();
  }
}

export interface PinCommandOptions {
  /** What the supervisor read out; asked for on the terminal when absent. */
  readonly fingerprint?: string | undefined;
  /** Leave the build to the operator (`npm run build`). */
  readonly build?: boolean;
  readonly pinsFile?: string;
}

/**
 * The whole command: read, show, compare, write, build. Throws `PinError` (exit 2 in admin.ts) when
 * nothing may be pinned; prints each step for the operator.
 */
export async function pinCommand(db: Database, slug: string, options: PinCommandOptions): Promise<void> {
  const pin = await readHelplinePin(db, slug);
  console.log(`${slug}: root fingerprint in this database:  ${pin.fingerprint}`);
  console.log(`  roster head: version ${pin.entry.roster.version} (the build's checkpoint)`);
  const readOut =
    options.fingerprint ??
    (await ask(
      "Ask the first supervisor to read out the fingerprint their screen shows (staff app, Hulplijn).\nType it here: ",
    ));
  if (readOut === undefined) {
    throw new PinError(
      "FINGERPRINT_MISMATCH",
      'no terminal to ask on: pass what the supervisor read out with --fingerprint "XXXX XXXX ..."',
    );
  }
  confirmFingerprint(pin, readOut);
  const file = options.pinsFile ?? pinsFilePath();
  const changed = writePin(file, pin);
  console.log(`  the same: ${changed ? "pinned in" : "already pinned in"} ${file}`);
  if (options.build === false) {
    console.log("  not built (--no-build): run npm run build, then restart the server");
    return;
  }
  console.log("  building the apps with the new pins (about a minute)...");
  if (!buildApps(file))
    throw new PinError("PINS_FILE", "the build failed (output above); the pin is written");
  console.log(
    "  built. Restart the server (sudo systemctl restart briefgeheim, or npm start) and publish the fingerprint on the helpline's own website.",
  );
}
