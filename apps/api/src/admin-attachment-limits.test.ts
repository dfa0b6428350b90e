/**
 * `npm run admin -- helpline set <slug> --attachment-file-mb/--attachment-files/--attachment-daily-mb`:
 * the only writer of attachment_limits. Values outside their ranges, or a day that cannot hold one
 * largest file, are refused and change nothing; a change is audited; the API's limits follow it.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { attachmentLimits, auditLog } from "./db/schema.js";
import { createHelpline, OperatorInputError } from "./operator.js";
import { limitsOf } from "./services/attachments.js";
import { runAdmin } from "./testing/admin-cli.js";
import { tempDatabase } from "./testing/temp-db.js";

let db: Awaited<ReturnType<typeof tempDatabase>>;
let helplineId: string;
beforeEach(async () => {
  db = await tempDatabase();
  helplineId = (
    await createHelpline(db, { slug: "nacht", name: "Nacht", tag: 3, replyTimeHours: 72, description: "nl" })
  ).helplineId;
});
afterEach(() => {
  db.cleanup();
});

async function cli(args: string[]): Promise<string> {
  return (await runAdmin(args, { DATABASE_URL: `file:${db.file}` })).lines.join("\n");
}

const rows = () => db.read.select().from(attachmentLimits);
const audits = () => db.read.select().from(auditLog).where(eq(auditLog.helplineId, helplineId));

describe("operator: helpline set --attachment-*", () => {
  it("writes the helpline's limits at once, with one audit entry holding old and new values", async () => {
    const out = await cli([
      "helpline",
      "set",
      "nacht",
      "--attachment-file-mb",
      "5",
      "--attachment-files",
      "2",
      "--attachment-daily-mb",
      "20",
    ]);
    expect(out).toMatch(/attachment fileMb, attachment files, attachment dailyMb changed/);
    expect(await limitsOf(db.read, helplineId)).toEqual({
      maxFileBytes: 5_000_000,
      maxFilesPerMessage: 2,
      dailyBytesPerConversation: 20_000_000,
    });
    const entries = (await audits()).filter((a) => a.action === "settings-changed");
    expect(entries).toHaveLength(1);
    const details = JSON.parse(entries[0]!.details);
    expect(details).toMatchObject({
      attachmentMaxFileBytes: 5_000_000,
      previousAttachmentMaxFileBytes: 10_000_000,
      attachmentMaxFilesPerMessage: 2,
      previousAttachmentMaxFilesPerMessage: 3,
      attachmentDailyBytesPerConversation: 20_000_000,
      previousAttachmentDailyBytesPerConversation: 50 * 1024 * 1024,
    });
    // One field later: the others keep their values; the same value again is no change and no entry.
    await cli(["helpline", "set", "nacht", "--attachment-files", "1"]);
    expect((await limitsOf(db.read, helplineId)).maxFileBytes).toBe(5_000_000);
    await cli(["helpline", "set", "nacht", "--attachment-files", "1"]);
    expect((await audits()).filter((a) => a.action === "settings-changed")).toHaveLength(2);
  });

  it("refuses values out of range, non-numbers and a day smaller than one file, changing nothing", async () => {
    const bad = [
      ["--attachment-file-mb", "0"],
      ["--attachment-file-mb", "101"],
      ["--attachment-file-mb", "2.5"],
      ["--attachment-files", "17"],
      ["--attachment-files=-1"],
      ["--attachment-daily-mb", "0"],
      ["--attachment-daily-mb", "ten"],
      ["--attachment-daily-mb", "5"], // below the 10 MB largest file
      ["--attachment-file-mb", "60"], // above the 52.4 MB default day
    ];
    for (const flags of bad) {
      await expect(cli(["helpline", "set", "nacht", ...flags]), flags.join(" ")).rejects.toThrow(
        OperatorInputError,
      );
    }
    expect(await rows()).toEqual([]);
    expect((await audits()).filter((a) => a.action === "settings-changed")).toEqual([]);
  });
});
