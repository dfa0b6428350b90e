/**
 * Admission against a lying server, in Chromium through the staff app (issue 8 item 1; the Node run is
 * tests/malicious-server/admission.test.ts). Vera admits a pending counsellor in the staff app by the
 * safety code the invitee reads from their own screen (a second browser profile). The hostile layer
 * lists the server's own keys for the pending member: the team screen shows the code of those keys,
 * the code from the invitee's screen is refused with the SAFETY_CODE_MISMATCH text (and without a code
 * Vera's own invite binding refuses: INVITE_KEY_MISMATCH), and no roster is published.
 */
import {
  deriveAccountKeys,
  generateAccountKey,
  loadSodium,
  memberSafetyCode,
  type Sodium,
  systemRandom,
  toBase64,
} from "@briefgeheim/crypto";
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { nl } from "../../apps/staff/src/i18n/nl.js";
import {
  chromiumAvailable,
  collectCsp,
  launchChromium,
  type Watch,
  watchContext,
} from "./support/browser.js";
import { alertWith, endAttack, type HostileWorld, startHostileWorld, VERA } from "./support/hostile-world.js";
import { acceptInviteInPage, leaveSheet, menu, type Person, signInInPage } from "./support/staff-pages.js";

const CORA: Person = { username: "cora", displayName: "Cora", passphrase: "cora drinkt thee met honing 12" };
const EVA: Person = { username: "eva", displayName: "Eva", passphrase: "eva tekent vogels in het park 8" };

const run = chromiumAvailable() ? describe : describe.skip;

run("staff app against a lying server: admission by the safety code", () => {
  let world: HostileWorld;
  let browser: Browser;
  let sodium: Sodium;
  let sup: Page;
  const contexts: BrowserContext[] = [];
  const watches: Watch[] = [];

  async function newPage(): Promise<Page> {
    const context = await browser.newContext({ locale: "nl-NL" });
    contexts.push(context);
    watches.push(await watchContext(context));
    return context.newPage();
  }

  /** The roster version as the honest API serves it. */
  const rosterVersion = async () =>
    (await (await world.honest(VERA)).client.helplines.latestRoster(world.helplineId)).version;

  /** Vera makes an invite in the team screen; the invitee accepts it in their own browser. */
  async function invited(who: Person): Promise<{ page: Page; code: string }> {
    await sup.getByRole("button", { name: "Uitnodiging maken" }).click();
    const link = await sup.locator("#invite-link").inputValue();
    await sup.getByRole("button", { name: "Link verbergen" }).click();
    expect(link.startsWith(`${world.origin}/staff/#/invite/`)).toBe(true);
    const page = await newPage();
    await acceptInviteInPage(page, link, who);
    await leaveSheet(page);
    await page.getByRole("heading", { name: "Bijna klaar" }).waitFor();
    const code = (await page.getByTestId("own-safety-code").textContent()) ?? "";
    expect(code).toMatch(/^[0-9]{5}( [0-9]{5}){5}$/);
    return { page, code };
  }

  /** Fills Vera's admission form for `username` (intake: no) and submits it. */
  async function admit(username: string, code: string): Promise<void> {
    const form = sup.locator("li.pending-member").filter({ hasText: username });
    await form.getByRole("radio", { name: "nee" }).check();
    await form.getByLabel(`Code die ${username} op het eigen scherm ziet`).fill(code);
    await form.getByRole("button", { name: "Toelaten" }).click();
  }

  beforeAll(async () => {
    [world, browser, sodium] = await Promise.all([startHostileWorld(), launchChromium(), loadSodium()]);
    await world.serveApps({ staff: true });
    sup = await newPage();
    await sup.goto(`${world.origin}/staff/`);
    await signInInPage(sup, VERA);
    await sup.getByRole("heading", { name: "Postvak" }).waitFor({ timeout: 60_000 });
    await menu(sup, "Team");
  }, 180_000);
  afterEach(() => endAttack(world));
  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  it("without an attack the code Cora reads from her own screen admits her", async () => {
    const before = await rosterVersion();
    const cora = await invited(CORA);
    await sup.getByRole("button", { name: "Vernieuwen" }).click();
    await expect.poll(() => sup.getByTestId("listed-code-cora").textContent()).toBe(cora.code);
    await admit("cora", cora.code);
    await sup.getByRole("status").getByText(nl.teamAdmitted("Cora")).waitFor();
    expect(await rosterVersion()).toBe(before + 1);
    // Her own screen was right: she signs in on the new roster.
    await signInInPage(cora.page, CORA);
    await cora.page.getByRole("heading", { name: "Postvak" }).waitFor();
  });

  it("the server lists its own keys for Eva; the code from Eva's screen is refused (SAFETY_CODE_MISMATCH), nothing is published", async () => {
    const before = await rosterVersion();
    const eva = await invited(EVA);
    // The server's own key pair, swapped in for Eva's keys wherever the staff listing names her.
    const keys = deriveAccountKeys(sodium, generateAccountKey(sodium, systemRandom(sodium)));
    const evaId = (await (await world.honest(VERA)).listStaff()).find((m) => m.username === "eva")!.id;
    world.server.onResponse("GET /api/staff", (page) => ({
      ...page,
      members: page.members.map((m) =>
        m.id === evaId
          ? {
              ...m,
              signPk: toBase64(sodium, keys.signing.publicKey),
              boxPk: toBase64(sodium, keys.box.publicKey),
            }
          : m,
      ),
    }));
    const serversCode = memberSafetyCode(sodium, {
      helplineId: world.helplineId,
      memberId: evaId,
      role: "counsellor",
      signPk: keys.signing.publicKey,
      boxPk: keys.box.publicKey,
    });
    await sup.getByRole("button", { name: "Vernieuwen" }).click();
    // What Vera can see: the code of the keys the server lists is not the one on Eva's screen.
    await expect.poll(() => sup.getByTestId("listed-code-eva").textContent()).toBe(serversCode);
    expect(serversCode).not.toBe(eva.code);
    const posts = world.server.log.length;

    // Without a code, Vera's own invite binding does not cover the swapped keys.
    await admit("eva", "");
    expect(await alertWith(sup, nl.errors.INVITE_KEY_MISMATCH)).toBe(nl.errors.INVITE_KEY_MISMATCH);
    // With the code Eva reads out: the person is told the code does not match the listed keys.
    await admit("eva", eva.code);
    expect(await alertWith(sup, nl.errors.SAFETY_CODE_MISMATCH)).toBe(nl.errors.SAFETY_CODE_MISMATCH);
    expect(await sup.locator("li.pending-member").filter({ hasText: "eva" }).count()).toBe(1);

    // Nothing was published: no roster posted, the honest API still serves the same version.
    expect(world.server.log.slice(posts).filter((l) => l.startsWith("POST"))).toEqual([]);
    expect(world.server.rewritten).toContain("GET /api/staff");
    world.server.reset();
    expect(await rosterVersion()).toBe(before);
    // Eva is still not admitted: her own app refuses to sign her in.
    await signInInPage(eva.page, EVA);
    await alertWith(eva.page, nl.errors.NOT_ON_ROSTER);
  });

  it("no page error or CSP violation on any page", async () => {
    for (const context of contexts) {
      for (const page of context.pages()) await collectCsp(page, watches[contexts.indexOf(context)]!);
    }
    expect(watches.flatMap((w) => [...w.pageErrors, ...w.cspViolations])).toEqual([]);
  });
});
