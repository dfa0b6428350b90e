/**
 * A deployment for the Chromium runs of the malicious-server suite (tests/malicious-server): the real
 * API (`createApp`) on a temporary libSQL file behind the hostile layer (`HostileServer`), served as a
 * real HTTP server on 127.0.0.1 (`startHostileProxy`), so that every request of a browser and of the
 * Node clients passes the layer. The apps are pinned builds of the current sources served by that API
 * (the staff app at `/staff/`, the help-seeker app at `/`), exactly what a deployment ships. The helpline
 * is set up in Node as in tests/malicious-server/world.ts: Vera (first supervisor, holds the root),
 * Anna (counsellor and intake reader); `honest` is a client that bypasses the layer, for checks.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, dirname, join } from "node:path";
import {
  createApp,
  createHelpline,
  createWriter,
  memoryLogger,
  openDatabase,
  runMigrations,
  scaleRateLimits,
} from "@briefgeheim/api";
import {
  acceptInvite,
  type BriefgeheimClient,
  type ClientOptions,
  createClient,
  inviteLink,
  type StaffSession,
  signInStaff,
} from "@briefgeheim/client";
import type { HelplineId, MemberId } from "@briefgeheim/crypto";
import type { Page } from "playwright-core";
import { expect } from "vitest";
import { HostileServer } from "../../malicious-server/hostile.js";
import { startHostileProxy } from "../../malicious-server/proxy.js";
import { buildSeeker, removeBuild } from "./build.js";
import type { Person } from "./staff-pages.js";
import { buildStaff } from "./staff-world.js";

const person = (username: string, passphrase: string): Person => ({
  username,
  displayName: username[0]!.toUpperCase() + username.slice(1),
  passphrase,
});

export const VERA = person("vera", "vera schrijft elke ochtend in haar dagboek 31");
export const ANNA = person("anna", "anna leest graag lange brieven 1984");
export const SAM = person("sam", "sam zeilt op zondag over het IJsselmeer 5");

export interface HostileWorld {
  /** The layer every browser and Node client talks to; a test adds rules and `reset()`s. */
  readonly server: HostileServer;
  /** `http://127.0.0.1:<port>` of the proxy: the origin of the API and the apps. */
  readonly origin: string;
  readonly helplineId: HelplineId;
  readonly pins: Record<string, string>;
  readonly annaId: MemberId;
  /** A pinned Node client through the layer. */
  client(options?: Partial<ClientOptions>): Promise<BriefgeheimClient>;
  /** Signs someone in from Node through the layer. */
  staff(who: Person, options?: Partial<ClientOptions>): Promise<StaffSession>;
  /** Signs someone in from Node straight at the API, past the layer: the honest view, for checks. */
  honest(who: Person): Promise<StaffSession>;
  /** Vera invites, `who` accepts in Node and Vera admits by her invite binding. */
  addMember(role: "counsellor" | "supervisor", who: Person, intakeReader?: boolean): Promise<MemberId>;
  /** Runs SQL on the server's database (what a server can do to its own rows). */
  sql(
    sql: string,
    args: (string | number)[],
  ): Promise<{ rows: Record<string, unknown>[]; rowsAffected: number }>;
  /** Builds the apps pinned to this helpline and serves them. */
  serveApps(apps: { staff?: boolean; seeker?: boolean }): Promise<void>;
  close(): Promise<void>;
}

export async function startHostileWorld(): Promise<HostileWorld> {
  const dir = mkdtempSync(join(tmpdir(), "bg-hostile-world-"));
  const db = await openDatabase({ url: `file:${join(dir, "hostile.db")}` });
  await runMigrations(db.write);
  const writer = createWriter(db);
  let app: ReturnType<typeof createApp> | undefined;
  const inner = (input: RequestInfo | URL, init?: RequestInit) =>
    app === undefined
      ? Promise.resolve(new Response("starting", { status: 503 }))
      : Promise.resolve(app.fetch(new Request(input, init)));
  const server = new HostileServer(inner);
  const proxy = await startHostileProxy(server.fetch);
  const origin = proxy.url;
  const staticApps: { prefix: string; root: string }[] = [];
  const makeApp = () =>
    createApp({ db, writer, origin, logger: memoryLogger(), rateLimits: scaleRateLimits(100), staticApps });
  app = makeApp();

  const client = (options: Partial<ClientOptions> = {}) =>
    createClient({ baseUrl: origin, origin, fetch: server.fetch, cookieMode: "jar", ...options });
  const made = await createHelpline(
    db,
    { slug: "hulplijn", name: "Hulplijn", tag: 31, replyTimeHours: 48 },
    { origin, writer },
  );
  const helplineId = made.helplineId as HelplineId;
  const first = await acceptInvite(await client({ trustOnFirstUse: true }), made.inviteLink, VERA);
  const pins = { [helplineId]: first.fingerprint! };
  const staff = async (who: Person, options: Partial<ClientOptions> = {}) =>
    signInStaff(await client({ pins, ...options }), who);

  const addMember = async (role: "counsellor" | "supervisor", who: Person, intakeReader = false) => {
    const vera = await staff(VERA);
    const invite = await vera.invite(role);
    await acceptInvite(await client({ pins }), inviteLink(origin, invite.token, invite.secret), who);
    const memberId = invite.memberId as MemberId;
    await vera.admitPending({ only: [memberId], intakeReaders: intakeReader ? [memberId] : [] });
    return memberId;
  };
  const annaId = await addMember("counsellor", ANNA, true);
  const builds: string[] = [];

  return {
    server,
    origin,
    helplineId,
    pins,
    annaId,
    client: (options = {}) => client({ pins, ...options }),
    staff,
    honest: async (who) =>
      signInStaff(
        await createClient({
          baseUrl: origin,
          origin,
          cookieMode: "jar",
          pins,
          fetch: (input, init) => inner(input, init),
        }),
        who,
      ),
    addMember,
    async sql(sql, args) {
      const rs = await db.writeClient.execute({ sql, args });
      const rows = rs.rows.map((row) => Object.fromEntries(rs.columns.map((c, i) => [c, row[i]])));
      return { rows, rowsAffected: rs.rowsAffected };
    },
    async serveApps(apps) {
      const [staffDist, seekerDist] = await Promise.all([
        apps.staff ? buildStaff({ pins }) : undefined,
        apps.seeker ? buildSeeker({ pins }) : undefined,
      ]);
      if (staffDist !== undefined) staticApps.push({ prefix: "/staff/", root: staffDist });
      if (seekerDist !== undefined) staticApps.push({ prefix: "/", root: seekerDist });
      builds.push(...[staffDist, seekerDist].filter((d) => d !== undefined));
      app = makeApp();
    },
    async close() {
      await proxy.close();
      await writer.close();
      db.close();
      rmSync(dir, { recursive: true, force: true });
      for (const dist of builds) {
        if (basename(dirname(dist)).startsWith("bg-staff-build-")) rmSync(dirname(dist), { recursive: true });
        else removeBuild(dist);
      }
    },
  };
}

/**
 * After each test: no rule of the attack threw (the browser would have seen a 502 from the proxy, and
 * the test might pass for the wrong reason), and the server is honest again.
 */
export function endAttack(world: HostileWorld | undefined): void {
  if (world === undefined) return;
  const errors = world.server.ruleErrors.map(String);
  world.server.reset();
  expect(errors).toEqual([]);
}

/** Waits for an alert on the page with exactly `text` (the reason the person is shown) and returns it. */
export async function alertWith(page: Page, text: string): Promise<string> {
  const alert = page.getByRole("alert").filter({ hasText: text });
  await alert.waitFor();
  return ((await alert.first().textContent()) ?? "").trim();
}
