/**
 * `npm run admin -- helpline pin <slug>` (admin-pin.ts): the fingerprint it prints is the root the first
 * supervisor's browser made, the pin is written only when what the supervisor read out matches, a
 * database whose root or rosters were changed is refused, and the build reads the file it writes.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { rootFingerprint } from "@briefgeheim/crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { readPins } from "../../../scripts/vite-shared.js";
import { main as adminMain } from "./admin.js";
import { confirmFingerprint, PinError, pinCommand, readHelplinePin, writePin } from "./admin-pin.js";
import { helplines, rosters } from "./db/schema.js";
import { createHelpline } from "./operator.js";
import { createWorld, type HelplineFixture, type World } from "./testing/harness.js";

let w: World;
let h: HelplineFixture;
let dir: string;

beforeAll(async () => {
  w = await createWorld();
  h = await w.setupHelpline("pinned", 3);
  await w.addStaff(h, "Ines", "counsellor", true); // roster version 2
  dir = mkdtempSync(join(tmpdir(), "bg-pin-"));
});
afterAll(async () => {
  await w.cleanup();
  rmSync(dir, { recursive: true, force: true });
});

/** Runs `fn` and returns the PinError code it threw (fails the test when it threw nothing). */
async function refusal(fn: () => Promise<unknown> | unknown): Promise<string> {
  try {
    await fn();
  } catch (e) {
    if (e instanceof PinError) return e.code;
    throw e;
  }
  throw new Error("expected a PinError");
}

const quiet = () => vi.spyOn(console, "log").mockImplementation(() => {});

describe("helpline pin", () => {
  it("reads the first supervisor's root, its fingerprint and the newest roster as the checkpoint", async () => {
    const pin = await readHelplinePin(w.db, "pinned");
    const expected = rootFingerprint(w.sodium, h.root.keyPair.publicKey);
    expect(pin.fingerprint).toBe(expected);
    expect(pin.helplineId).toBe(h.id);
    expect(pin.entry.root).toBe(expected);
    expect(pin.entry.slug).toBe("pinned");
    expect(pin.entry.roster.version).toBe(2);
    const [v2] = await w.db.read.select().from(rosters).where(eq(rosters.version, 2));
    expect(pin.entry.roster.hash).toBe(Buffer.from(v2!.hash).toString("base64url"));
  });

  it("accepts the fingerprint as a person reads it out (case, dashes, spaces) and writes a pin the build reads", async () => {
    const file = join(dir, "pins.json");
    const other = { root: "ABCD", roster: { version: 1, hash: "A".repeat(43) } };
    writeFileSync(file, JSON.stringify({ $comment: "keep me", OtherHelplineIdAAAAAAA: other }));
    const pin = await readHelplinePin(w.db, "pinned");
    const spoken = pin.fingerprint.toLowerCase().replaceAll(" ", "-");
    const log = quiet();
    try {
      await pinCommand(w.db, "pinned", { fingerprint: spoken, build: false, pinsFile: file });
    } finally {
      log.mockRestore();
    }
    const written = JSON.parse(readFileSync(file, "utf8"));
    expect(written.$comment).toBe("keep me");
    expect(written.OtherHelplineIdAAAAAAA).toEqual(other);
    expect(written[h.id]).toEqual(pin.entry);
    // The file is what the Vite builds read (scripts/vite-shared.ts).
    const previous = process.env.BRIEFGEHEIM_PINS_FILE;
    process.env.BRIEFGEHEIM_PINS_FILE = file;
    try {
      expect(readPins(dir)[h.id]).toEqual(pin.entry);
    } finally {
      if (previous === undefined) delete process.env.BRIEFGEHEIM_PINS_FILE;
      else process.env.BRIEFGEHEIM_PINS_FILE = previous;
    }
    // Pinning again changes nothing.
    expect(writePin(file, pin)).toBe(false);
  });

  it("writes nothing when the supervisor reads out another fingerprint", async () => {
    const file = join(dir, "mismatch.json");
    const pin = await readHelplinePin(w.db, "pinned");
    const other = rootFingerprint(w.sodium, w.sodium.crypto_sign_keypair().publicKey as never);
    expect(() => confirmFingerprint(pin, other)).toThrow(PinError);
    const log = quiet();
    try {
      expect(
        await refusal(() => pinCommand(w.db, "pinned", { fingerprint: other, build: false, pinsFile: file })),
      ).toBe("FINGERPRINT_MISMATCH");
      // Half a fingerprint, or nothing, is no confirmation either.
      expect(
        await refusal(() =>
          pinCommand(w.db, "pinned", {
            fingerprint: pin.fingerprint.slice(0, 14),
            build: false,
            pinsFile: file,
          }),
        ),
      ).toBe("FINGERPRINT_MISMATCH");
    } finally {
      log.mockRestore();
    }
    expect(() => readFileSync(file)).toThrow();
  });

  it("refuses a helpline that is unknown or not set up yet", async () => {
    expect(await refusal(() => readHelplinePin(w.db, "nope"))).toBe("NO_SUCH_HELPLINE");
    await createHelpline(
      w.db,
      { slug: "fresh", name: "Fresh", tag: 11, replyTimeHours: 24 },
      { origin: "https://hulp.example", writer: w.writer },
    );
    expect(await refusal(() => readHelplinePin(w.db, "fresh"))).toBe("NOT_SET_UP");
  });

  it("a database with another root listed, or a changed roster, is refused (nothing to compare against)", async () => {
    const [row] = await w.db.read.select().from(helplines).where(eq(helplines.id, h.id));
    const intruder = Buffer.from(w.sodium.crypto_sign_keypair().publicKey).toString("base64url");
    await w.writer.run((tx) => tx.update(helplines).set({ rootPk: intruder }).where(eq(helplines.id, h.id)));
    expect(await refusal(() => readHelplinePin(w.db, "pinned"))).toBe("ROSTER_INVALID");
    await w.writer.run((tx) =>
      tx.update(helplines).set({ rootPk: row!.rootPk }).where(eq(helplines.id, h.id)),
    );

    const [v2] = await w.db.read.select().from(rosters).where(eq(rosters.version, 2));
    const bent = new Uint8Array(v2!.bytes);
    bent[bent.length - 1]! ^= 1; // the signature
    await w.writer.run((tx) =>
      tx
        .update(rosters)
        .set({ bytes: Buffer.from(bent) })
        .where(eq(rosters.version, 2)),
    );
    try {
      expect(await refusal(() => readHelplinePin(w.db, "pinned"))).toBe("ROSTER_INVALID");
    } finally {
      await w.writer.run((tx) => tx.update(rosters).set({ bytes: v2!.bytes }).where(eq(rosters.version, 2)));
    }
    expect((await readHelplinePin(w.db, "pinned")).entry.roster.version).toBe(2);
  });

  it("through the CLI: npm run admin -- helpline pin <slug> --fingerprint ... --no-build", async () => {
    const file = join(dir, "cli.json");
    const pin = await readHelplinePin(w.db, "pinned");
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
      lines.push(a.map(String).join(" "));
    });
    const env = {
      DATABASE_URL: process.env.DATABASE_URL,
      BRIEFGEHEIM_PINS_FILE: process.env.BRIEFGEHEIM_PINS_FILE,
    };
    process.env.DATABASE_URL = `file:${w.db.path}`;
    process.env.BRIEFGEHEIM_PINS_FILE = file;
    try {
      await adminMain(["helpline", "pin", "pinned", "--fingerprint", pin.fingerprint, "--no-build"]);
    } finally {
      log.mockRestore();
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    expect(lines.join("\n")).toContain(pin.fingerprint);
    expect(JSON.parse(readFileSync(file, "utf8"))[h.id]).toEqual(pin.entry);
  });
});
