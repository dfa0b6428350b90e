import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { auditLog, helplines } from "./db/schema.js";
import { createHelpline, OperatorInputError } from "./operator.js";
import { parseCrisisArg } from "./operator-settings.js";
import { runAdmin } from "./testing/admin-cli.js";
import { tempDatabase } from "./testing/temp-db.js";

let db: Awaited<ReturnType<typeof tempDatabase>>;
beforeEach(async () => {
  db = await tempDatabase();
});
afterEach(() => {
  db.cleanup();
});

/** Runs the CLI against the temporary database; returns what it printed. */
async function cli(args: string[]): Promise<string> {
  return (await runAdmin(args, { DATABASE_URL: `file:${db.file}` })).lines.join("\n");
}

describe("operator: helpline set (CLI)", () => {
  it("parses --crisis as kind|label nl|label en|target", () => {
    expect(parseCrisisArg("phone| Direct gevaar | Danger |112")).toEqual({
      kind: "phone",
      labelNl: "Direct gevaar",
      labelEn: "Danger",
      target: "112",
    });
    expect(() => parseCrisisArg("fax|a|b|112")).toThrow(OperatorInputError);
    expect(() => parseCrisisArg("phone|a|112")).toThrow(OperatorInputError);
  });

  it("applies retention and lock, proposes the rest, and audits both; refuses bad input changing nothing", async () => {
    await createHelpline(db, { slug: "nacht", name: "Nacht", tag: 3, replyTimeHours: 72, description: "nl" });
    const out = await cli([
      "helpline",
      "set",
      "nacht",
      "--retention-days",
      "30",
      "--description-en",
      "At night",
      "--crisis",
      "phone|Direct gevaar? Bel 112|Danger? Call 112|112",
      "--crisis",
      "url|Chat met 113|Chat with 113|https://www.113.nl/",
      "--exit-url",
      "https://www.nu.nl/",
    ]);
    expect(out).toMatch(/^nacht: retentionDays changed/m);
    expect(out).toMatch(/^nacht: descriptionEn, crisisOptions, exitUrl proposed: .*supervisor signs/m);
    const [row] = await db.read.select().from(helplines).where(eq(helplines.slug, "nacht"));
    expect(row).toMatchObject({
      retentionDays: 30,
      descriptionEn: "At night",
      exitUrl: "https://www.nu.nl/",
    });
    expect(JSON.parse(row!.crisisOptions)).toHaveLength(2);
    const actions = (await db.read.select().from(auditLog)).map((e) => [e.action, e.actorKind]);
    expect(actions.filter(([a]) => a === "settings-changed")).toEqual([
      ["settings-changed", "operator"],
      ["settings-changed", "operator"],
    ]);

    for (const bad of [
      ["helpline", "set", "nacht", "--exit-url", "javascript:alert(1)"],
      ["helpline", "set", "nacht", "--crisis", "phone|a|b|tel:112"],
      ["helpline", "set", "nacht", "--lock-minutes", "x"],
      ["helpline", "set", "nacht", "--no-crisis", "--crisis", "phone|a|b|112"],
      ["helpline", "set", "nacht"],
      ["helpline", "set"],
    ]) {
      await expect(cli(bad), bad.join(" ")).rejects.toBeInstanceOf(OperatorInputError);
    }
    const [after] = await db.read.select().from(helplines).where(eq(helplines.slug, "nacht"));
    expect(after).toEqual(row);
    await cli(["helpline", "set", "nacht", "--no-crisis", "--exit-url", ""]);
    const [cleared] = await db.read.select().from(helplines).where(eq(helplines.slug, "nacht"));
    expect([cleared!.crisisOptions, cleared!.exitUrl]).toEqual(["[]", ""]);
  });
});
