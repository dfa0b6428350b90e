import { createHmac } from "node:crypto";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { main as adminMain } from "./admin.js";
import { auditLog, helplines, invites, serverSecrets } from "./db/schema.js";
import { sha256 } from "./deps.js";
import { createHelpline, createOperatorInvite, inviteLink, OperatorInputError } from "./operator.js";
import { tempDatabase } from "./testing/temp-db.js";

let db: Awaited<ReturnType<typeof tempDatabase>>;
beforeEach(async () => {
  db = await tempDatabase();
});
afterEach(() => {
  db.cleanup();
});

const ORIGIN = "https://hulp.example";
const base = { slug: "hulplijn-een", name: "Hulplijn Een", tag: 7, replyTimeHours: 72 };

describe("operator: createHelpline", () => {
  it("creates the helpline and a first-supervisor invite, and returns its token and link", async () => {
    const created = await createHelpline(db, { ...base, description: "Voor iedereen" }, { origin: ORIGIN });
    expect(created).toMatchObject({ slug: "hulplijn-een", tag: 7, firstSupervisor: true });
    expect(created.helplineId).toMatch(/^[A-Za-z0-9_-]{22}$/);
    expect(created.inviteToken).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(created.inviteLink).toBe(`${ORIGIN}/staff/#/invite/${created.inviteToken}`);
    const [row] = await db.read.select().from(helplines);
    expect(row).toMatchObject({
      id: created.helplineId,
      description: "Voor iedereen",
      retentionDays: 365,
      lockAfterMinutes: 15,
      rootPk: null,
      rosterVersion: 0,
    });
    const [invite] = await db.read.select().from(invites);
    expect(invite).toMatchObject({ id: created.inviteId, firstSupervisor: true, createdBy: null });
    // Only the token's hash is stored.
    expect(Buffer.from(invite!.tokenHash).equals(sha256(created.inviteToken))).toBe(true);
    // A database thief holds every table: nothing in it is, or derives, the token of the link (the
    // token is random, made here, not an HMAC of the id under a secret kept in the same database).
    const secrets = await db.read.select().from(serverSecrets);
    const dump = JSON.stringify([invite, ...secrets], (_k, v: unknown) =>
      v instanceof Uint8Array
        ? `${Buffer.from(v).toString("base64url")}|${Buffer.from(v).toString("hex")}`
        : v,
    );
    expect(dump).not.toContain(created.inviteToken);
    for (const secret of secrets) {
      // The protocol-1 derivation (HMAC of the invite id under the stored server secret) is no longer it.
      const hmac = createHmac("sha256", Buffer.from(secret.value)).update(`invite-token\0${invite!.id}`);
      expect(hmac.digest().toString("base64url")).not.toBe(created.inviteToken);
    }
    const audit = await db.read.select().from(auditLog);
    expect(audit.map((e) => [e.action, e.actorKind])).toEqual([["invite-created", "operator"]]);
    const again = await createHelpline(db, { ...base, slug: "hulplijn-twee", tag: 8 }, { origin: ORIGIN });
    expect(again.inviteToken).not.toBe(created.inviteToken);
  });

  it("refuses bad input and taken slugs or tags, creating nothing", async () => {
    await createHelpline(db, base, { origin: ORIGIN });
    const bad: [Partial<typeof base> & Record<string, unknown>, RegExp][] = [
      [{ slug: "X" }, /slug/],
      [{ slug: "hulplijn-een" }, /slug hulplijn-een is taken/],
      [{ slug: "twee", tag: 7 }, /tag 7 is taken/],
      [{ slug: "twee", tag: 1024 }, /tag/],
      [{ slug: "twee", tag: 8, name: "  " }, /name/],
      [{ slug: "twee", tag: 8, replyTimeHours: 0 }, /reply time/],
      [{ slug: "twee", tag: 8, retentionDays: 1.5 }, /retention/],
    ];
    for (const [change, message] of bad) {
      await expect(createHelpline(db, { ...base, ...change }, { origin: ORIGIN })).rejects.toThrow(message);
      await expect(createHelpline(db, { ...base, ...change }, { origin: ORIGIN })).rejects.toBeInstanceOf(
        OperatorInputError,
      );
    }
    expect(await db.read.select().from(helplines)).toHaveLength(1);
    expect(await db.read.select().from(invites)).toHaveLength(1);
  });

  it("operator invites: the first supervisor's while there is no root, never a counsellor's first", async () => {
    await createHelpline(db, base, { origin: ORIGIN });
    await expect(
      createOperatorInvite(db, { slug: "hulplijn-een", role: "counsellor" }, { origin: ORIGIN }),
    ).rejects.toThrow(/first invite of a helpline is for a supervisor/);
    const again = await createOperatorInvite(
      db,
      { slug: "hulplijn-een", role: "supervisor" },
      { origin: ORIGIN },
    );
    expect(again.firstSupervisor).toBe(true);
    expect(again.inviteLink).toBe(inviteLink(ORIGIN, again.inviteToken));
    await expect(
      createOperatorInvite(db, { slug: "nope", role: "supervisor" }, { origin: ORIGIN }),
    ).rejects.toThrow(/no helpline/);
  });

  it("the CLI prints the same link, and its errors are usage errors (exit code 2)", async () => {
    const lines: string[] = [];
    const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
      lines.push(a.map(String).join(" "));
    });
    const err = vi.spyOn(console, "error").mockImplementation(() => {});
    const env = { DATABASE_URL: process.env.DATABASE_URL, ORIGIN: process.env.ORIGIN };
    process.env.DATABASE_URL = `file:${db.file}`;
    process.env.ORIGIN = ORIGIN;
    try {
      await adminMain([
        "helpline",
        "create",
        "--slug",
        "cli",
        "--name",
        "CLI",
        "--tag",
        "9",
        "--reply-hours",
        "24",
      ]);
      await expect(
        adminMain([
          "helpline",
          "create",
          "--slug",
          "cli2",
          "--name",
          "CLI",
          "--tag",
          "x",
          "--reply-hours",
          "24",
        ]),
      ).rejects.toBeInstanceOf(OperatorInputError);
    } finally {
      log.mockRestore();
      err.mockRestore();
      for (const [k, v] of Object.entries(env)) {
        if (v === undefined) delete process.env[k];
        else process.env[k] = v;
      }
    }
    const out = lines.join("\n");
    expect(out).toMatch(/^helpline cli created \(id [A-Za-z0-9_-]{22}, tag 9\)$/m);
    expect(out).toMatch(new RegExp(`^${ORIGIN}/staff/#/invite/[A-Za-z0-9_-]{43}$`, "m"));
    expect(out).toMatch(/only a hash of its token is stored/);
  });
});
