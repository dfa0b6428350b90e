/**
 * docs/DEPLOY.md, followed: Debian's Caddy with the shipped deploy/Caddyfile in front of the server,
 * over real HTTPS in Chromium. The Caddyfile is adapted only as a machine without a public domain
 * needs: `tls internal` (Caddy's own CA, trusted in a throwaway NSS database of Chromium's), loopback
 * ports, and its state in a temporary folder; the domain and the upstream come through the Caddyfile's
 * own placeholders. The server runs as production configures it: ORIGIN https://..., HOST 127.0.0.1,
 * TRUSTED_PROXIES 127.0.0.1, both apps built with the helpline pinned.
 *
 * A help-seeker writes and sends; a counsellor signs in to the staff app, claims and replies; the
 * help-seeker sees the reply. Checked on the way: the __Host- session cookie (Secure, HttpOnly,
 * SameSite=Strict, host-only), HSTS (Chromium upgrades an http:// address of the host by itself),
 * Caddy's redirect to https, the server's CSP and headers unchanged through the proxy, no CSP
 * violation or console error, and a write from another origin refused through the proxy.
 *
 * Skipped, saying why, where `caddy` or `certutil` is missing (`.ci/run` installs both).
 */
import { type ChildProcess, execFileSync, spawn } from "node:child_process";
import { once } from "node:events";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { request as httpRequest } from "node:http";
import { request as httpsRequest } from "node:https";
import type { AddressInfo } from "node:net";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createApp,
  createHelpline,
  createWriter,
  type Database,
  memoryLogger,
  openDatabase,
  runMigrations,
  scaleRateLimits,
  type Writer,
} from "@briefgeheim/api";
import { acceptInvite, createClient, signInStaff } from "@briefgeheim/client";
import type { MemberId } from "@briefgeheim/crypto";
import { serve } from "@hono/node-server";
import { type Browser, chromium, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CONTENT_SECURITY_POLICY } from "../../apps/api/src/middleware/security-headers/index.js";
import { ROOT_DIR } from "../support/api-world.js";
import {
  CHROMIUM,
  CHROMIUM_ARGS,
  chromiumAvailable,
  collectCsp,
  type Watch,
  watchContext,
} from "./support/browser.js";
import { buildSeeker, removeBuild } from "./support/build.js";
import { beginWriting, confirmCodeAndSend } from "./support/seeker-pages.js";
import { signInInPage } from "./support/staff-pages.js";
import { buildStaff } from "./support/staff-world.js";

const CADDY = process.env.CADDY_PATH ?? "/usr/bin/caddy";
const CERTUTIL = "/usr/bin/certutil";
const missing = [
  ...(existsSync(CADDY) ? [] : ["caddy (apt-get install caddy)"]),
  ...(existsSync(CERTUTIL) ? [] : ["certutil (apt-get install libnss3-tools)"]),
  ...(chromiumAvailable() ? [] : ["chromium"]),
];
if (missing.length > 0) {
  console.warn(
    `deploy-https.test.ts SKIPPED: ${missing.join(", ")} not installed here; .ci/run installs them.`,
  );
}

/** A name, not an IP address or localhost: Chromium keeps HSTS for neither. Mapped to 127.0.0.1. */
const HOST = "hulp.briefgeheim.test";
const HELPLINE = { slug: "https-hulplijn", name: "Hulplijn over HTTPS", tag: 12, replyHours: 48 };
const SUPERVISOR = { username: "sanne", displayName: "Sanne", passphrase: "correct horse battery staple" };
const COUNSELLOR = { username: "anna", displayName: "Anna", passphrase: "anna's lange wachtzin 42" };
const MARK = {
  subject: "MARKER-TLS-SUBJ",
  body: "MARKER-TLS-BODY Ik schrijf jullie omdat het thuis al een tijd niet goed gaat en ik niet weet wat ik moet doen.",
  reply: "MARKER-TLS-REPLY Fijn dat je schrijft. Wat gebeurt er thuis?",
};

let dir: string;
let db: Database;
let writer: Writer;
let server: ReturnType<typeof serve>;
let caddy: ChildProcess | undefined;
let caddyLog = "";
let browser: Browser;
let origin: string;
let httpPort: number;
let httpsPort: number;
let caRoot: string;
const builds: string[] = [];

async function freePort(): Promise<number> {
  const s = createServer();
  s.listen(0, "127.0.0.1");
  await once(s, "listening");
  const port = (s.address() as AddressInfo).port;
  s.close();
  return port;
}

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** One request to Caddy on loopback, as `HOST`, trusting only Caddy's CA (https) or plain (http). */
function viaCaddy(
  scheme: "https" | "http",
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const port = scheme === "https" ? httpsPort : httpPort;
    const common = {
      host: "127.0.0.1",
      port,
      path,
      method: options.method ?? "GET",
      headers: { Host: `${HOST}:${port}`, ...options.headers },
    };
    const done = (res: import("node:http").IncomingMessage) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => {
        body += c;
      });
      res.on("end", () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
    };
    const req =
      scheme === "https"
        ? httpsRequest({ ...common, servername: HOST, ca: readFileSync(caRoot) }, done)
        : httpRequest(common, done);
    req.on("error", reject);
    req.end(options.body);
  });
}

/** The shipped Caddyfile, adapted for a machine without a public domain (and nothing else). */
function adaptedCaddyfile(data: string): string {
  const shipped = readFileSync(join(ROOT_DIR, "deploy", "Caddyfile"), "utf8");
  const site = "{$BRIEFGEHEIM_DOMAIN:hulp.example.nl} {";
  expect(shipped).toContain(site);
  const global = [
    "{",
    "\tadmin off",
    "\tskip_install_trust",
    `\thttp_port ${httpPort}`,
    `\thttps_port ${httpsPort}`,
    `\tstorage file_system ${data}`,
    "}",
    "",
  ].join("\n");
  return global + shipped.replace(site, `${site}\n\ttls internal`);
}

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, ms = 60_000): Promise<T> {
  const end = Date.now() + ms;
  for (;;) {
    try {
      const v = await probe();
      if (v !== undefined) return v;
    } catch {
      // not yet
    }
    if (Date.now() > end) throw new Error(`${what} did not happen in time. Caddy said:\n${caddyLog}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

beforeAll(async () => {
  if (missing.length > 0) return;
  dir = mkdtempSync(join(tmpdir(), "bg-deploy-https-"));
  [httpPort, httpsPort] = [await freePort(), await freePort()];
  origin = `https://${HOST}:${httpsPort}`;

  // The server, configured as deploy/briefgeheim.env says.
  db = await openDatabase({ url: `file:${join(dir, "briefgeheim.db")}` });
  await runMigrations(db.write);
  writer = createWriter(db);
  let app: ReturnType<typeof createApp> | undefined;
  const makeApp = (staticApps: { prefix: string; root: string }[]) =>
    createApp({
      db,
      writer,
      origin,
      logger: memoryLogger(),
      trustedProxies: ["127.0.0.1"],
      // Every request of this file comes from one address (Caddy forwards 127.0.0.1).
      rateLimits: scaleRateLimits(100),
      staticApps,
    });
  app = makeApp([]);
  server = serve({ fetch: (req, env) => app!.fetch(req, env), port: 0, hostname: "127.0.0.1" });
  await once(server, "listening");
  const upstream = `127.0.0.1:${(server.address() as AddressInfo).port}`;

  // The operator creates the helpline; its first supervisor and a counsellor set up from Node.
  const made = await createHelpline(
    db,
    { slug: HELPLINE.slug, name: HELPLINE.name, tag: HELPLINE.tag, replyTimeHours: HELPLINE.replyHours },
    { origin, writer },
  );
  const client = (extra: { trustOnFirstUse?: boolean; pins?: Record<string, string> }) =>
    createClient({ baseUrl: `http://${upstream}`, origin, cookieMode: "jar", ...extra });
  const first = await acceptInvite(await client({ trustOnFirstUse: true }), made.inviteToken, SUPERVISOR);
  const pins = { [made.helplineId]: first.fingerprint ?? "" };
  const sup = await signInStaff(await client({ pins }), SUPERVISOR);
  const invite = await sup.invite("counsellor");
  await acceptInvite(await client({ pins }), invite.token, { inviteSecret: invite.secret, ...COUNSELLOR });
  await sup.admitPending({
    intakeReaders: [invite.memberId as MemberId],
    displayNames: { [invite.memberId]: COUNSELLOR.displayName },
  });
  await sup.signOut();

  // Both apps built with the helpline pinned, as `npm run admin -- helpline pin` leaves them.
  const [seekerDist, staffDist] = await Promise.all([buildSeeker({ pins }), buildStaff({ pins })]);
  builds.push(seekerDist, staffDist);
  app = makeApp([
    { prefix: "/staff/", root: staffDist },
    { prefix: "/", root: seekerDist },
  ]);

  // Caddy with the shipped Caddyfile.
  const data = join(dir, "caddy");
  mkdirSync(data);
  const caddyfile = join(dir, "Caddyfile");
  writeFileSync(caddyfile, adaptedCaddyfile(data));
  caddy = spawn(CADDY, ["run", "--config", caddyfile, "--adapter", "caddyfile"], {
    env: {
      PATH: process.env.PATH,
      HOME: dir,
      XDG_DATA_HOME: data,
      XDG_CONFIG_HOME: data,
      BRIEFGEHEIM_DOMAIN: HOST,
      BRIEFGEHEIM_UPSTREAM: upstream,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  caddy.stdout?.on("data", (c) => {
    caddyLog += c;
  });
  caddy.stderr?.on("data", (c) => {
    caddyLog += c;
  });
  caRoot = join(data, "pki", "authorities", "local", "root.crt");
  await waitFor("Caddy's CA", async () => (existsSync(caRoot) ? true : undefined));
  await waitFor("Caddy serving HTTPS", async () =>
    (await viaCaddy("https", "/api/health")).status === 200 ? true : undefined,
  );

  // Chromium trusts Caddy's CA through an NSS database in its own HOME, as a device trusts a public CA.
  const home = join(dir, "home");
  const nss = join(home, ".pki", "nssdb");
  mkdirSync(nss, { recursive: true });
  execFileSync(CERTUTIL, ["-d", `sql:${nss}`, "-N", "--empty-password"]);
  execFileSync(CERTUTIL, ["-d", `sql:${nss}`, "-A", "-t", "C,,", "-n", "Caddy test CA", "-i", caRoot]);
  browser = await chromium.launch({
    executablePath: CHROMIUM,
    headless: true,
    args: [...CHROMIUM_ARGS, `--host-resolver-rules=MAP ${HOST} 127.0.0.1`],
    env: { ...process.env, HOME: home },
  });
}, 600_000);

afterAll(async () => {
  await browser?.close();
  if (caddy && caddy.exitCode === null) {
    caddy.kill("SIGTERM");
    await once(caddy, "exit");
  }
  if (server) {
    server.close();
    (server as { closeAllConnections?: () => void }).closeAllConnections?.();
  }
  await writer?.close();
  db?.close();
  for (const b of builds) removeBuild(b);
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function expectNoProblems(page: Page, watch: Watch) {
  await collectCsp(page, watch);
  expect(watch.problems()).toEqual([]);
}

describe.skipIf(missing.length > 0)("deployed behind Caddy over HTTPS (docs/DEPLOY.md)", () => {
  it("Caddy redirects http:// to https:// and passes the server's headers through unchanged", async () => {
    const plain = await viaCaddy("http", "/staff/");
    expect(plain.status).toBe(308);
    // To https on the same host and path (Caddy leaves out the test's non-standard port; in production
    // it is 443 and there is none to leave out).
    expect(plain.headers.location).toMatch(
      new RegExp(`^https://${HOST.replaceAll(".", "\\.")}(:${httpsPort})?/staff/$`),
    );
    const page = await viaCaddy("https", "/");
    expect(page.status).toBe(200);
    expect(page.headers["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(page.headers["strict-transport-security"]).toBe("max-age=63072000; includeSubDomains");
    expect(page.headers["x-frame-options"]).toBe("DENY");
    expect(page.headers.server).toBeUndefined();
    expect(page.body).toContain('<script type="module" crossorigin');
    // The origin binding reaches through the proxy: a write from another origin is refused.
    const cross = await viaCaddy("https", "/api/auth/sign-out", {
      method: "POST",
      headers: { Origin: "https://elders.example", "Content-Type": "application/json" },
      body: "{}",
    });
    expect(cross.status).toBe(403);
    expect(JSON.parse(cross.body).error.code).toBe("CROSS_ORIGIN");
  });

  it("a help-seeker writes over HTTPS, a counsellor answers in the staff app, the help-seeker reads it", async () => {
    const seekerContext = await browser.newContext({ acceptDownloads: true });
    const seekerWatch = await watchContext(seekerContext);
    const page = await seekerContext.newPage();
    const first = await page.goto(`${origin}/`);
    expect(first?.headers()["content-security-policy"]).toBe(CONTENT_SECURITY_POLICY);
    expect(await page.evaluate(() => window.isSecureContext)).toBe(true);
    await page.getByRole("link", { name: `Schrijf naar ${HELPLINE.name}` }).click();
    await beginWriting(page);
    await page.getByLabel("Onderwerp").fill(MARK.subject);
    await page.getByLabel("Je bericht").fill(MARK.body);
    await page.getByRole("button", { name: "Verder: maak mijn code" }).click();
    await confirmCodeAndSend(page, { timeout: 60_000 });
    await page.getByText(MARK.body).waitFor({ timeout: 120_000 });

    // The session cookie as production sets it.
    const cookies = await seekerContext.cookies(origin);
    const session = cookies.find((c) => c.name === "__Host-bg_session");
    expect(session).toMatchObject({
      domain: HOST,
      path: "/",
      secure: true,
      httpOnly: true,
      sameSite: "Strict",
    });
    expect(session?.expires).toBe(-1); // ends with the browser session
    expect(cookies.map((c) => c.name)).toEqual(["__Host-bg_session"]);
    await expectNoProblems(page, seekerWatch);

    // The counsellor, in the staff app.
    const staffContext = await browser.newContext();
    const staffWatch = await watchContext(staffContext);
    const anna = await staffContext.newPage();
    await anna.goto(`${origin}/staff/`);
    await signInInPage(anna, COUNSELLOR);
    await anna.getByRole("heading", { name: "Postvak" }).waitFor({ timeout: 60_000 });
    await anna
      .getByRole("list", { name: "Intake" })
      .getByRole("button", { name: new RegExp(MARK.subject) })
      .click();
    await anna.getByRole("heading", { name: MARK.subject }).waitFor();
    await anna.getByRole("button", { name: "Oppakken" }).click();
    await anna.getByLabel("Antwoord aan de hulpvrager").fill(MARK.reply);
    await anna.getByRole("button", { name: "Versturen" }).click();
    await anna.getByText(MARK.reply).first().waitFor();
    const staffSession = (await staffContext.cookies(origin)).find((c) => c.name === "__Host-bg_session");
    expect(staffSession).toMatchObject({ secure: true, httpOnly: true, sameSite: "Strict" });
    await expectNoProblems(anna, staffWatch);

    // Back to the help-seeker: the reply arrives, verified.
    await page.getByRole("button", { name: "Nieuwe berichten ophalen" }).click();
    await page.getByText(MARK.reply).waitFor({ timeout: 60_000 });
    await expectNoProblems(page, seekerWatch);

    // HSTS: having seen the header over HTTPS, Chromium upgrades an http:// address of this host by
    // itself (an http:// request to Caddy's TLS port would otherwise fail).
    await page.goto(`http://${HOST}:${httpsPort}/#/`);
    expect(page.url()).toBe(`${origin}/#/`);
    await seekerContext.close();
    await staffContext.close();
  });
});
