/**
 * The world of the attachments browser test (attachments.test.ts): the real API with both apps, the
 * staff app from a second instance on the same database (as two servers behind one name), the files
 * the test sends, and what it uses to look behind an <img>'s blob: URL.
 */
import { once } from "node:events";
import { mkdtempSync, readFileSync, rmSync, truncateSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createApp, memoryLogger, scaleRateLimits } from "@briefgeheim/api";
import { serve } from "@hono/node-server";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, expect } from "vitest";
import { ROOT_DIR } from "../../support/api-world.js";
import { chromiumAvailable, launchChromium } from "./browser.js";
import { removeBuild } from "./build.js";
import { signInInPage } from "./staff-pages.js";
import { buildStaff } from "./staff-world.js";
import { COUNSELLOR, startWorld, type World } from "./world.js";

export const PHOTO = readFileSync(join(ROOT_DIR, "packages/media/fixtures/gps.jpg"));
/** A small but real PDF whose bytes carry a marker (the PDF must arrive byte for byte). */
export const PDF = Buffer.from(
  "%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n" +
    "3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n% MARKER-PDF-71c3 schoolrapport\n" +
    "trailer<</Root 1 0 R>>\n%%EOF\n",
);
/** Where the help-seeker app's quick exit goes (the build's default); the test serves a stand-in. */
export const EXIT_URL = "https://www.buienradar.nl/";
/** Shows as "factuurexe.pdf" and saves as "factuur\u202Efdp.exe": the SDK refuses it (ATTACHMENT_NAME_INVALID). */
export const BIDI_NAME = "factuur\u202Efdp.exe";
/** The counsellor's leaflet: 300 KB (5 chunks), so an upload can be cut in the middle. */
export const LEAFLET = Buffer.alloc(300_000, 0);
for (let i = 0; i < LEAFLET.length; i++) LEAFLET[i] = (i * 31 + 7) % 251;

/**
 * Keeps each Blob the page turns into a blob: URL, so the test can read the bytes behind an <img>
 * (a fetch of a blob: URL is connect-src, which the CSP rightly does not open).
 */
export const KEEP_BLOBS = `
  window.__blobs = new Map();
  const create = URL.createObjectURL.bind(URL);
  URL.createObjectURL = (blob) => { const url = create(blob); window.__blobs.set(url, blob); return url; };
`;

/** The bytes behind an <img>'s blob: URL, and its decoded size. */
export async function imageBytes(page: Page, selector: string): Promise<Buffer> {
  const seen = await page.evaluate(async (sel) => {
    const img = document.querySelector<HTMLImageElement>(sel);
    if (img === null) throw new Error("no image");
    await img.decode();
    const blob = (window as unknown as { __blobs: Map<string, Blob> }).__blobs.get(img.src);
    if (blob === undefined) throw new Error("not a blob: URL of this page");
    return {
      src: img.src,
      bytes: [...new Uint8Array(await blob.arrayBuffer())],
      w: img.naturalWidth,
      h: img.naturalHeight,
    };
  }, selector);
  expect(seen.src.startsWith("blob:")).toBe(true);
  // Orientation 6 kept: the 48 x 32 picture stands upright as 32 x 48.
  expect([seen.w, seen.h]).toEqual([32, 48]);
  return Buffer.from(seen.bytes);
}

/** "loads" or "fails": whether an image can still be drawn from a (possibly revoked) blob: URL. */
export function loadsFrom(page: Page, url: string): Promise<string> {
  return page.evaluate(
    (u) =>
      new Promise<string>((resolve) => {
        const img = new Image();
        img.onload = () => resolve("loads");
        img.onerror = () => resolve("fails");
        img.src = u;
      }),
    url,
  );
}

export interface AttachmentsWorld {
  readonly world: World;
  readonly browser: Browser;
  /** The second instance that serves the staff app. */
  readonly staffOrigin: string;
  /** Signs the counsellor in at the inbox. */
  signInStaff(page: Page): Promise<void>;
  /** Signs the counsellor in and opens the test's conversation. */
  openThreadInStaff(page: Page, threadId: string): Promise<void>;
  /** The server alters a stored chunk: one bit of byte `at` of chunk `idx`. */
  flipStoredBit(attachmentId: string, idx: number, at: number): Promise<void>;
  /** The helpline's largest file, set by the operator (`undefined`: back to the default limits). */
  setMaxFileBytes(bytes: number | undefined): Promise<void>;
  /** How many chunks the server stores, of every attachment. */
  storedChunks(): Promise<number>;
}

/**
 * Files on disk, which Chromium reads itself (a 10 MB buffer over the protocol is slow): a file just
 * over 10 MB under any name, and a GIF (a picture type whose hidden details the app cannot remove).
 */
export function filesOnDisk(): { bigFile(name: string): string; gif: string; removeFiles(): void } {
  const dir = mkdtempSync(join(tmpdir(), "bg-attach-"));
  const gif = join(dir, "foto.gif");
  writeFileSync(gif, Buffer.from("GIF89a\x01\x00\x01\x00\x00\x00\x00;", "latin1"));
  return {
    bigFile(name) {
      const path = join(dir, name);
      writeFileSync(path, "");
      truncateSync(path, 10_000_001);
      return path;
    },
    gif,
    removeFiles: () => rmSync(dir, { recursive: true, force: true }),
  };
}

/** Registers the world's `beforeAll`/`afterAll` (at the top level of the test file). */
export function useAttachmentsWorld(): AttachmentsWorld {
  let world: World | undefined;
  let browser: Browser | undefined;
  let staffOrigin: string;
  let closeStaff: () => void = () => undefined;

  beforeAll(async () => {
    if (!chromiumAvailable()) return;
    [world, browser] = await Promise.all([startWorld(), launchChromium()]);
    // The staff app from a second instance on the same database (as two servers behind one name).
    const staffDist = await buildStaff({ pins: world.pins });
    const server = serve({
      fetch: (req, env) => app.fetch(req, env),
      port: 0,
      hostname: "127.0.0.1",
    });
    await once(server, "listening");
    staffOrigin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const app = createApp({
      db: world.h.db,
      writer: world.h.writer,
      origin: staffOrigin,
      logger: memoryLogger(),
      rateLimits: scaleRateLimits(100),
      staticApps: [{ prefix: "/staff/", root: staffDist }],
    });
    closeStaff = () => {
      removeBuild(staffDist);
      server.close();
      (server as { closeAllConnections?: () => void }).closeAllConnections?.();
    };
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    closeStaff();
    await world?.close();
  });

  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error("the attachments world is not set up (beforeAll failed?)");
    return value;
  };
  async function signInStaff(page: Page): Promise<void> {
    await page.goto(`${staffOrigin}/staff/`);
    await signInInPage(page, COUNSELLOR);
    await page.getByRole("heading", { name: "Postvak" }).waitFor({ timeout: 60_000 });
  }
  return {
    get world() {
      return ready(world);
    },
    get browser() {
      return ready(browser);
    },
    get staffOrigin() {
      return staffOrigin;
    },
    signInStaff,
    async flipStoredBit(attachmentId, idx, at) {
      const sql = ready(world).h.db.writeClient;
      const where = "WHERE attachment_id = ? AND idx = ?";
      const row = await sql.execute({
        sql: `SELECT bytes FROM attachment_chunks ${where}`,
        args: [attachmentId, idx],
      });
      const bytes = new Uint8Array(row.rows[0]?.bytes as ArrayBuffer).slice();
      bytes[at] = (bytes[at] ?? 0) ^ 0x01;
      await sql.execute({
        sql: `UPDATE attachment_chunks SET bytes = ? ${where}`,
        args: [bytes, attachmentId, idx],
      });
    },
    async setMaxFileBytes(bytes) {
      const w = ready(world);
      await w.h.db.writeClient.execute({
        sql: "DELETE FROM attachment_limits WHERE helpline_id = ?",
        args: [w.helplineId],
      });
      if (bytes === undefined) return;
      await w.h.db.writeClient.execute({
        sql: "INSERT INTO attachment_limits (helpline_id, max_file_bytes, max_files_per_message, daily_bytes_per_conversation) VALUES (?, ?, 3, 52428800)",
        args: [w.helplineId, bytes],
      });
    },
    async storedChunks() {
      const rows = await ready(world).h.db.writeClient.execute("SELECT count(*) AS n FROM attachment_chunks");
      return Number(rows.rows[0]?.n);
    },
    async openThreadInStaff(page, threadId) {
      await signInStaff(page);
      await page.locator(`li[data-thread-id="${threadId}"]`).first().getByRole("button").first().click();
      await page.getByRole("heading", { name: "Rapport en foto" }).waitFor();
    },
  };
}
