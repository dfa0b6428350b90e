/**
 * Chromium for the browser tests: Debian's `/usr/bin/chromium`, headless, driven by playwright-core.
 * One browser per test file; Playwright's `launch()` gives every run a new, empty temporary profile
 * (user-data-dir) and every context is a fresh incognito-like profile inside it.
 *
 * Every page gets watchers: console errors, page errors, CSP violations (a `securitypolicyviolation`
 * listener installed by an init script, before any app code runs) and every request with its URL,
 * headers and body, so a test can assert that nothing went wrong and that a secret never left.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import {
  type Browser,
  type BrowserContext,
  chromium,
  type Locator,
  type Page,
  type Request,
} from "playwright-core";
import { ROOT_DIR } from "../../support/api-world.js";

export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";
export const CHROMIUM_ARGS = [
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
  "--no-first-run",
];

export function chromiumAvailable(): boolean {
  return existsSync(CHROMIUM);
}

export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
}

/** One request as the page sent it. */
export interface SeenRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly body: string;
}

/** What went wrong on a page (should stay empty) and what it sent. */
export interface Watch {
  readonly consoleErrors: string[];
  readonly pageErrors: string[];
  readonly cspViolations: string[];
  readonly requests: SeenRequest[];
  /** Console errors, page errors and CSP violations together, for one `toEqual([])`. */
  problems(): string[];
}

/** Responses that the API documents as normal answers but Chromium logs as "Failed to load resource". */
export type ExpectedStatus = (url: string, status: number) => boolean;

/** `GET /api/drafts/:context` answers 404 when there is no draft (docs/API.md); nothing else is allowed. */
export const noDraftYet: ExpectedStatus = (url, status) =>
  status === 404 && new URL(url).pathname.startsWith("/api/drafts/");

const CSP_WATCH = `
  window.__cspViolations = [];
  document.addEventListener("securitypolicyviolation", (e) => {
    window.__cspViolations.push(
      e.violatedDirective + " " + e.blockedURI + " at " + e.sourceFile + ":" + e.lineNumber + ":" + e.columnNumber,
    );
  });
`;

/** Attaches the watchers to a context (every page in it, including pages opened later). */
export async function watchContext(
  context: BrowserContext,
  expected: ExpectedStatus = noDraftYet,
): Promise<Watch> {
  const watch: Watch = {
    consoleErrors: [],
    pageErrors: [],
    cspViolations: [],
    requests: [],
    problems() {
      return [
        ...this.consoleErrors.map((m) => `console: ${m}`),
        ...this.pageErrors.map((m) => `pageerror: ${m}`),
        ...this.cspViolations.map((m) => `csp: ${m}`),
      ];
    },
  };
  await context.addInitScript({ content: CSP_WATCH });
  const failedLoads = new Set<string>();
  context.on("response", (res) => {
    if (res.status() >= 400 && expected(res.url(), res.status())) failedLoads.add(res.url());
  });
  const attach = (page: Page) => {
    page.on("console", (msg) => {
      if (msg.type() !== "error") return;
      const url = msg.location().url;
      if (msg.text().startsWith("Failed to load resource") && failedLoads.has(url)) return;
      watch.consoleErrors.push(`${msg.text()} (${url})`);
    });
    page.on("pageerror", (err) => watch.pageErrors.push(err.message));
  };
  context.on("page", attach);
  for (const page of context.pages()) attach(page);
  context.on("request", (req: Request) => {
    watch.requests.push({
      method: req.method(),
      url: req.url(),
      headers: req.headers(),
      body: req.postData() ?? "",
    });
  });
  return watch;
}

/** The rendered text of an element (Playwright's `innerText`, as a person would read it). */
export function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: Playwright's Locator, not a DOM node; the layout-aware text is the point
  return locator.innerText();
}

/** CSP violations the page has seen so far (read before the page navigates away). */
export async function cspViolations(page: Page): Promise<string[]> {
  return page.evaluate(() => (window as unknown as { __cspViolations?: string[] }).__cspViolations ?? []);
}

/** Collects the page's CSP violations into the watch (call before leaving a page, and at the end). */
export async function collectCsp(page: Page, watch: Watch): Promise<void> {
  for (const v of await cspViolations(page))
    if (!watch.cspViolations.includes(v)) watch.cspViolations.push(v);
}

const AXE_SOURCE = readFileSync(join(ROOT_DIR, "node_modules", "axe-core", "axe.min.js"), "utf8");

/**
 * Runs axe-core on the page as it is now and returns its violations as readable lines. axe is
 * evaluated through the DevTools protocol (`page.evaluate`), which the page's CSP does not govern,
 * so the app's own CSP stays in force and is still watched.
 */
export async function axeViolations(page: Page): Promise<string[]> {
  const loaded = await page.evaluate(() => typeof (window as unknown as { axe?: unknown }).axe === "object");
  if (!loaded) await page.evaluate(AXE_SOURCE);
  const result = await page.evaluate(async () => {
    const axe = (window as unknown as { axe: { run: (ctx: unknown, opts: unknown) => Promise<unknown> } })
      .axe;
    return (await axe.run(document, {
      resultTypes: ["violations"],
      runOnly: {
        type: "tag",
        values: ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"],
      },
    })) as { violations: { id: string; impact: string; help: string; nodes: { target: string[] }[] }[] };
  });
  return result.violations.map(
    (v) => `${v.id} (${v.impact}): ${v.help} @ ${v.nodes.map((n) => n.target.join(" ")).join(", ")}`,
  );
}
