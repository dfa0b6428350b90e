/**
 * The world most staff-app browser tests share: the real API with the staff app built and pinned, a
 * helpline with a caseload of `threads` conversations claimed by counsellor A (staff-caseload.ts), and
 * one Chromium. Registers its own `beforeAll`/`afterAll`, so call it inside the `describe`.
 *
 * @example
 * const w = useStaffCaseloadWorld(1, { timeout: 300_000 });
 * it("...", async () => { const { page, done } = await w.signedIn("a"); ...; await done(); });
 */
import type { Browser, BrowserContext, Page } from "playwright-core";
import { afterAll, beforeAll } from "vitest";
import { collectCsp, launchChromium, type Watch, watchContext } from "./browser.js";
import { CASELOAD_PEOPLE, type Caseload, seedCaseload } from "./staff-caseload.js";
import { signInInPage } from "./staff-pages.js";
import { type StaffWorld, startStaffWorld } from "./staff-world.js";

export interface StaffCaseloadWorld {
  readonly world: StaffWorld;
  readonly browser: Browser;
  readonly caseload: Caseload;
  /**
   * A new Dutch context signed in as `who`, at the inbox. `done()` checks the page's CSP reports and
   * closes the context.
   */
  signedIn(who: keyof typeof CASELOAD_PEOPLE): Promise<SignedIn>;
}

export interface SignedIn {
  readonly page: Page;
  readonly context: BrowserContext;
  readonly watch: Watch;
  done(): Promise<void>;
}

export interface StaffCaseloadOptions {
  /** The `beforeAll` timeout: seeding takes minutes on a loaded two-core machine. */
  readonly timeout: number;
  /** More seeding in Node before the app is built and served (survey answers, extra conversations). */
  readonly seed?: (world: StaffWorld, caseload: Caseload) => Promise<void>;
}

export function useStaffCaseloadWorld(threads: number, options: StaffCaseloadOptions): StaffCaseloadWorld {
  let world: StaffWorld | undefined;
  let browser: Browser | undefined;
  let caseload: Caseload | undefined;
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the staff world is not set up (beforeAll failed?)");
    return value;
  };

  beforeAll(async () => {
    [world, browser] = await Promise.all([startStaffWorld(), launchChromium()]);
    caseload = await seedCaseload(world, threads);
    await options.seed?.(world, caseload);
    await world.serveApp({ pins: caseload.pins });
  }, options.timeout);

  afterAll(async () => {
    await browser?.close();
    await world?.close();
  });

  return {
    get world() {
      return ready(world);
    },
    get browser() {
      return ready(browser);
    },
    get caseload() {
      return ready(caseload);
    },
    async signedIn(who) {
      const context = await ready(browser).newContext({ locale: "nl-NL" });
      const watch = await watchContext(context);
      const page = await context.newPage();
      await page.goto(`${ready(world).origin}/staff/`);
      await signInInPage(page, CASELOAD_PEOPLE[who]);
      await page.getByRole("heading", { name: "Postvak" }).waitFor();
      return {
        page,
        context,
        watch,
        done: async () => {
          await collectCsp(page, watch);
          await context.close();
        },
      };
    },
  };
}
