/**
 * Roster rollback and fork against a staff device in Chromium (issue 8 item 3; the Node run is
 * tests/malicious-server/roster-heads.test.ts). The staff app keeps the newest roster it verified in
 * localStorage (`briefgeheim:roster-head:<helpline>`). The server hides Vera's newest roster from her
 * device (ROSTER_ROLLBACK text at sign-in), and then makes Sam, the second supervisor, sign another
 * roster of the version Vera's device verified, keeps it and serves it (ROSTER_FORK text). A browser
 * profile that remembers nothing accepts either chain: that limit is asserted too.
 */
import type { MemberId } from "@briefgeheim/crypto";
import { loadSodium, parseRoster, type RosterBytes, type Sodium } from "@briefgeheim/crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { nl } from "../../apps/staff/src/i18n/nl.js";
import { decode } from "../malicious-server/mutations.js";
import {
  chromiumAvailable,
  collectCsp,
  launchChromium,
  type Watch,
  watchContext,
} from "./support/browser.js";
import {
  alertWith,
  endAttack,
  type HostileWorld,
  SAM,
  startHostileWorld,
  VERA,
} from "./support/hostile-world.js";
import { menu, signInInPage } from "./support/staff-pages.js";

const run = chromiumAvailable() ? describe : describe.skip;

run("staff app against a lying server: the remembered roster head", () => {
  let world: HostileWorld;
  let browser: Browser;
  let sodium: Sodium;
  let samId: MemberId;
  /** Vera's work browser: its localStorage outlives every tab. */
  let device: BrowserContext;
  const watches: Watch[] = [];
  const pages: Page[] = [];

  const versionOf = (text: string) => parseRoster(sodium, decode(text) as RosterBytes).version;
  const honestLatest = async () => (await world.honest(VERA)).client.helplines.latestRoster(world.helplineId);

  async function watched(context: BrowserContext): Promise<BrowserContext> {
    watches.push(await watchContext(context));
    return context;
  }

  /** A new tab of `context` on the staff app, where Vera signs in. */
  async function signIn(context: BrowserContext): Promise<Page> {
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${world.origin}/staff/`);
    await signInInPage(page, VERA);
    return page;
  }

  const signedIn = (page: Page) =>
    page.getByRole("heading", { name: "Postvak" }).waitFor({ timeout: 60_000 });

  /** The roster head this browser profile remembers. */
  async function rememberedHead(page: Page): Promise<{ version: number; hash: string }> {
    const key = `briefgeheim:roster-head:${world.helplineId}`;
    return JSON.parse((await page.evaluate((k) => localStorage.getItem(k), key)) ?? "null");
  }

  /** Vera turns "<name> reads intake" on or off in the team screen (a new roster). */
  async function setIntake(page: Page, name: string, on: boolean): Promise<void> {
    await menu(page, "Team");
    const box = page.getByRole("checkbox", { name: nl.teamIntakeFor(name) });
    await (on ? box.check() : box.uncheck());
    await page
      .getByRole("status")
      .getByText(on ? nl.teamIntakeOn(name) : nl.teamIntakeOff(name))
      .waitFor();
  }

  /** Serves the roster chain only up to `version` (the rest hidden), plus `extra` rosters after it. */
  function chainUpTo(version: number, extra: () => readonly string[] = () => []) {
    world.server.onResponse("GET /api/helplines/:helplineId/rosters", (page, ex) => {
      const after = Number(ex.query.get("after") ?? 0);
      const more = extra();
      return {
        ...page,
        rosters: [...page.rosters.filter((t) => versionOf(t) <= version), ...more].filter(
          (t) => versionOf(t) > after,
        ),
        latestVersion: version + more.length,
        nextAfter: null,
      };
    });
  }

  beforeAll(async () => {
    [world, browser, sodium] = await Promise.all([startHostileWorld(), launchChromium(), loadSodium()]);
    samId = await world.addMember("supervisor", SAM);
    await world.serveApps({ staff: true });
    device = await watched(await browser.newContext({ locale: "nl-NL" }));
  }, 180_000);
  afterEach(() => endAttack(world));
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it("without an attack the device remembers the newest roster, also the one it publishes", async () => {
    const page = await signIn(device);
    await signedIn(page);
    const newest = await honestLatest();
    expect((await rememberedHead(page)).version).toBe(newest.version);
    await setIntake(page, "Anna", false);
    expect((await rememberedHead(page)).version).toBe(newest.version + 1);
    expect((await honestLatest()).version).toBe(newest.version + 1);
    await page.close();
  });

  it("rollback: the newest roster hidden; Vera's device refuses to sign in (ROSTER_ROLLBACK), a fresh profile cannot tell", async () => {
    const newest = await honestLatest();
    chainUpTo(newest.version - 1);
    const page = await signIn(device);
    expect(await alertWith(page, nl.errors.ROSTER_ROLLBACK)).toBe(nl.errors.ROSTER_ROLLBACK);
    expect(await page.getByRole("heading", { name: "Postvak" }).count()).toBe(0);
    expect(world.server.rewritten).toContain(`GET /api/helplines/${world.helplineId}/rosters`);
    // The device still remembers the newest roster, not the one it was shown.
    expect((await rememberedHead(page)).version).toBe(newest.version);
    await page.close();

    // The limit: a browser profile that remembers nothing verifies the shorter chain.
    const fresh = await watched(await browser.newContext({ locale: "nl-NL" }));
    const other = await signIn(fresh);
    await signedIn(other);
    await menu(other, "Team");
    await expect
      .poll(() => other.getByTestId("roster-version").textContent())
      .toBe(String(newest.version - 1));
    await fresh.close();
  });

  it("fork: Sam, shown the chain without Vera's newest roster, signs another one of that version; Vera's device refuses it (ROSTER_FORK)", async () => {
    // Vera's device publishes base+1 (Anna reads intake again) and remembers it.
    const base = (await honestLatest()).version;
    const page = await signIn(device);
    await signedIn(page);
    await setIntake(page, "Anna", true);
    expect((await rememberedHead(page)).version).toBe(base + 1);
    await page.close();
    const honest = await honestLatest();

    // The server hides it from Sam, "accepts" Sam's roster of the same version and keeps it.
    let forged: string | undefined;
    chainUpTo(base, () => (forged === undefined ? [] : [forged]));
    world.server.intercept("POST /api/helplines/:helplineId/rosters", (body) => {
      forged = (body as { roster: string }).roster;
      return { status: 200, json: { version: base + 1, hash: "", added: [], removed: [] } };
    });
    const sam = await world.staff(SAM);
    expect((await sam.setIntakeReader(samId, true)).version).toBe(base + 1);
    const fork = parseRoster(sodium, decode(forged!) as RosterBytes);
    expect(fork.version).toBe(honest.version);
    expect(Buffer.from(fork.hash).equals(Buffer.from(honest.hash))).toBe(false);
    expect((await honestLatest()).version).toBe(base + 1); // the honest server never stored it

    // Vera's device verified the honest roster of that version: the fork is refused at sign-in.
    const refused = await signIn(device);
    expect(await alertWith(refused, nl.errors.ROSTER_FORK)).toBe(nl.errors.ROSTER_FORK);
    expect(await refused.getByRole("heading", { name: "Postvak" }).count()).toBe(0);
    expect(await rememberedHead(refused)).toEqual({
      version: honest.version,
      hash: expect.any(String),
    });
    await refused.close();

    // The limit: a profile that remembers nothing accepts the fork.
    const fresh = await watched(await browser.newContext({ locale: "nl-NL" }));
    const other = await signIn(fresh);
    await signedIn(other);
    await menu(other, "Team");
    await expect.poll(() => other.getByTestId("roster-version").textContent()).toBe(String(base + 1));
    await fresh.close();
  });

  it("no page error or CSP violation on any page", async () => {
    for (const page of pages.filter((p) => !p.isClosed())) await collectCsp(page, watches[0]!);
    expect(watches.flatMap((w) => [...w.pageErrors, ...w.cspViolations])).toEqual([]);
  });
});
