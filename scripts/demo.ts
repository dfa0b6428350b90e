/**
 * The first-run demo of `npm start` (scripts/start.mjs runs this before it builds the apps and starts
 * the server; BRIEFGEHEIM_DEMO=off skips it). On a database without helplines it creates, through the
 * operator's `createHelpline` and then `packages/client` exactly as a browser would:
 *
 * - the helpline "Demo-hulplijn" and its root key (made by the first supervisor's client, roster v1),
 * - the demo supervisor (from the operator's invite) and a demo counsellor (from the supervisor's
 *   invite with its key-binding secret), admitted to the roster as an intake reader.
 *
 * The SDK talks to the API in this process (`createApp` with the server's ORIGIN), so sign-in
 * signatures bind the same origin the browser will use. The demo root's fingerprint is written to
 * `<data>/demo-pins.json` (beside the database, never committed); every run then writes the pins the
 * apps are built with, config/pins.json (the operator's) plus the demo pin, to `--pins-out`.
 *
 * The demo passphrases are printed and are for the demo only.
 *
 * Usage: node --import tsx scripts/demo.ts --pins-out data/pins.build.json
 */
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import {
  createApp,
  createHelpline,
  createWriter,
  type Database,
  openDatabase,
  ProtocolOneDatabaseError,
  runMigrations,
  scaleRateLimits,
  silentLogger,
} from "@briefgeheim/api";
import {
  acceptInvite,
  createClient,
  DEFAULT_CRISIS_OPTIONS,
  type FetchLike,
  signInStaff,
} from "@briefgeheim/client";
import type { MemberId } from "@briefgeheim/crypto";
import { readConfig } from "../apps/api/src/config.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "..");

/** The demo's accounts. The passphrases are printed on every start: never use them for real. */
export const DEMO = {
  helpline: {
    slug: "demo",
    name: "Demo-hulplijn",
    tag: 1,
    replyTimeHours: 72,
    description: "Een demonstratie van Briefgeheim.",
    descriptionEn: "A Briefgeheim demonstration.",
  },
  /** The signed helpline profile (docs/PROTOCOL.md §10): a description per language. */
  profile: {
    name: "Demo-hulplijn",
    descriptionNl: "Een demonstratie van Briefgeheim. Schrijf gerust: er leest niemand echt mee.",
    descriptionEn: "A Briefgeheim demonstration. Feel free to write: nobody real reads it.",
    replyWithinHours: 72,
    /** The demo defaults (issue 10 item 5): 112, 113 Zelfmoordpreventie, Veilig Thuis; signed. */
    crisisOptions: DEFAULT_CRISIS_OPTIONS,
    /** "": the build's BRIEFGEHEIM_EXIT_URL. */
    exitUrl: "",
  },
  supervisor: {
    username: "demo-coordinator",
    displayName: "Demo-coördinator",
    passphrase: "demo-coordinator-2026",
  },
  counsellor: {
    username: "demo-hulpverlener",
    displayName: "Demo-hulpverlener",
    passphrase: "demo-hulpverlener-2026",
  },
} as const;

/** Where the database's own files live (the demo pin belongs to that database). */
export function dataDir(databaseUrl: string): string {
  if (databaseUrl.startsWith("file:")) {
    const path = decodeURIComponent(databaseUrl.slice("file:".length).replace(/^\/\/(localhost)?(?=\/)/, ""));
    return dirname(resolve(ROOT, path));
  }
  return join(ROOT, "data");
}

/** A pins file: each value a root (string) or `{ root, roster }` (passed through as it is). */
function readJsonObject(file: string): Record<string, unknown> {
  if (!existsSync(file)) return {};
  const parsed: unknown = JSON.parse(readFileSync(file, "utf8"));
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new Error(`${file}: expected an object { "<helplineId>": "<fingerprint>" }`);
  }
  return parsed as Record<string, unknown>;
}

/**
 * Opens and migrates the database. A database made by protocol 1 that holds only the demo helpline is
 * demo data: its files are deleted and a new demo is made. Any other protocol-1 database is refused
 * with the server's message (what happened, what to do), unchanged.
 */
async function openMigratedDemoDatabase(config: ReturnType<typeof readConfig>): Promise<Database> {
  const open = () => openDatabase({ url: config.databaseUrl, authToken: config.databaseAuthToken });
  let db = await open();
  try {
    await runMigrations(db.write);
    return db;
  } catch (e) {
    db.close();
    if (!(e instanceof ProtocolOneDatabaseError)) throw e;
    const onlyDemo = e.contents.slugs.length === 1 && e.contents.slugs[0] === DEMO.helpline.slug;
    if (!onlyDemo || db.path === null) {
      console.error(`Briefgeheim did not start. ${e.message}`);
      process.exit(1);
    }
    for (const file of [db.path, `${db.path}-wal`, `${db.path}-shm`]) rmSync(file, { force: true });
    rmSync(join(dataDir(config.databaseUrl), "demo-pins.json"), { force: true });
    console.log("The demo database was made by protocol 1, which this version no longer reads: made anew.");
    db = await open();
    await runMigrations(db.write);
    return db;
  }
}

interface DemoResult {
  readonly created: boolean;
  readonly helplineId?: string;
  readonly fingerprint?: string;
}

async function setUpDemo(): Promise<DemoResult> {
  const config = readConfig();
  const origin = config.origin;
  const db = await openMigratedDemoDatabase(config);
  const writer = createWriter(db, { logger: silentLogger });
  try {
    const app = createApp({
      db,
      writer,
      origin,
      logger: silentLogger,
      rateLimits: scaleRateLimits(100),
      staticApps: [],
    });
    const fetch: FetchLike = (input, init) => Promise.resolve(app.fetch(new Request(input, init)));
    const client = (extra: { pins?: Record<string, string>; trustOnFirstUse?: boolean }) =>
      createClient({ baseUrl: origin, origin, fetch, cookieMode: "jar", ...extra });

    const existing = await (await fetch(`${origin}/api/helplines`)).json();
    if ((existing as { helplines: unknown[] }).helplines.length > 0) return { created: false };

    const made = await createHelpline(db, DEMO.helpline, { origin, writer });
    // The first supervisor's client makes the root key and roster v1 (as the browser does).
    const first = await acceptInvite(await client({ trustOnFirstUse: true }), made.inviteToken, {
      ...DEMO.supervisor,
      // Profile v1 (what help-seekers are shown), signed by the first supervisor with the acceptance.
      profile: DEMO.profile,
    });
    const fingerprint = first.fingerprint!;
    const pins = { [made.helplineId]: fingerprint };
    const supervisor = await signInStaff(await client({ pins }), DEMO.supervisor);
    const invite = await supervisor.invite("counsellor");
    await acceptInvite(await client({ pins }), invite.token, {
      inviteSecret: invite.secret,
      ...DEMO.counsellor,
    });
    // The supervisor made this invite, so its key binding admits the counsellor (no safety code to
    // compare); the intake-reader choice is explicit, as on the team screen.
    await supervisor.admitPending({
      admit: [{ memberId: invite.memberId as MemberId, intakeReader: true }],
    });
    await supervisor.signOut();
    return { created: true, helplineId: made.helplineId, fingerprint };
  } finally {
    await writer.close();
    db.close();
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { "pins-out": { type: "string" } } });
  const config = readConfig();
  const data = dataDir(config.databaseUrl);
  const demoPinsFile = join(data, "demo-pins.json");

  const result = await setUpDemo();
  if (result.created) {
    mkdirSync(data, { recursive: true });
    writeFileSync(
      demoPinsFile,
      `${JSON.stringify(
        {
          $comment: "The demo helpline's root, pinned by npm start. Delete with the database.",
          [result.helplineId!]: result.fingerprint,
        },
        null,
        2,
      )}\n`,
    );
  }
  const demoPins = readJsonObject(demoPinsFile);
  const operatorPins = readJsonObject(join(ROOT, "config", "pins.json"));
  if (values["pins-out"] !== undefined) {
    const merged: Record<string, unknown> = {};
    for (const [id, pin] of Object.entries({ ...operatorPins, ...demoPins }))
      if (!id.startsWith("$")) merged[id] = pin;
    const out = resolve(ROOT, values["pins-out"]);
    const text = `${JSON.stringify(merged, null, 2)}\n`;
    mkdirSync(dirname(out), { recursive: true });
    // Rewritten only when it changes, so its time tells start.mjs whether the apps need a new build.
    if (!existsSync(out) || readFileSync(out, "utf8") !== text) writeFileSync(out, text);
  }

  const demoIds = Object.keys(demoPins).filter((k) => !k.startsWith("$"));
  if (demoIds.length === 0) {
    console.log("No demo: the database already has helplines (the demo is made only on an empty database).");
    return;
  }
  console.log(result.created ? "Demo helpline created (Demo-hulplijn)." : "Demo helpline (Demo-hulplijn):");
  console.log(`  root fingerprint, pinned in the app builds: ${demoPins[demoIds[0]!]}`);
  console.log("  Demo sign-ins for the staff app. FOR THE DEMO ONLY: never use these passphrases for real.");
  console.log(`    supervisor:  ${DEMO.supervisor.username}  /  ${DEMO.supervisor.passphrase}`);
  console.log(`    counsellor:  ${DEMO.counsellor.username}  /  ${DEMO.counsellor.passphrase}`);
}

await main();
