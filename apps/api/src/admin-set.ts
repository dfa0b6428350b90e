/**
 * `npm run admin -- helpline set <slug> ...` (see operator-settings.ts for what applies at once and
 * what is only proposed for the next signed profile).
 */
import { parseArgs } from "node:util";
import type { Database } from "./db/client.js";
import { OperatorInputError } from "./operator.js";
import { type HelplineSettingsInput, parseCrisisArg, setHelplineSettings } from "./operator-settings.js";

/** A number option as given (the operator functions check the ranges); NaN for non-numbers. */
function num(value: string | undefined): number | undefined {
  return value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : Number.NaN;
}

export async function helplineSetCommand(
  args: readonly string[],
  withDatabase: <T>(fn: (db: Database) => Promise<T>) => Promise<T>,
): Promise<void> {
  const { values, positionals } = parseArgs({
    args: [...args],
    allowPositionals: true,
    options: {
      name: { type: "string" },
      "description-nl": { type: "string" },
      "description-en": { type: "string" },
      "reply-hours": { type: "string" },
      "retention-days": { type: "string" },
      "lock-minutes": { type: "string" },
      crisis: { type: "string", multiple: true },
      "no-crisis": { type: "boolean" },
      "exit-url": { type: "string" },
      "attachment-file-mb": { type: "string" },
      "attachment-files": { type: "string" },
      "attachment-daily-mb": { type: "string" },
    },
  });
  const slug = positionals[0];
  if (slug === undefined || positionals.length > 1) {
    throw new OperatorInputError("helpline set needs exactly one slug");
  }
  if (values.crisis !== undefined && values["no-crisis"] === true) {
    throw new OperatorInputError("--crisis and --no-crisis exclude each other");
  }
  const crisisOptions =
    values["no-crisis"] === true
      ? []
      : values.crisis === undefined
        ? undefined
        : values.crisis.map(parseCrisisArg);
  const attachments = {
    ...(values["attachment-file-mb"] === undefined
      ? {}
      : { fileMb: num(values["attachment-file-mb"]) as number }),
    ...(values["attachment-files"] === undefined ? {} : { files: num(values["attachment-files"]) as number }),
    ...(values["attachment-daily-mb"] === undefined
      ? {}
      : { dailyMb: num(values["attachment-daily-mb"]) as number }),
  };
  const input: HelplineSettingsInput = {
    ...(values.name === undefined ? {} : { name: values.name.trim() }),
    ...(values["description-nl"] === undefined ? {} : { descriptionNl: values["description-nl"] }),
    ...(values["description-en"] === undefined ? {} : { descriptionEn: values["description-en"] }),
    ...(values["reply-hours"] === undefined ? {} : { replyTimeHours: num(values["reply-hours"]) as number }),
    ...(values["retention-days"] === undefined
      ? {}
      : { retentionDays: num(values["retention-days"]) as number }),
    ...(values["lock-minutes"] === undefined
      ? {}
      : { lockAfterMinutes: num(values["lock-minutes"]) as number }),
    ...(crisisOptions === undefined ? {} : { crisisOptions }),
    ...(values["exit-url"] === undefined ? {} : { exitUrl: values["exit-url"].trim() }),
    ...(Object.keys(attachments).length === 0 ? {} : { attachments }),
  };
  if (Object.keys(input).length === 0) throw new OperatorInputError("helpline set: nothing to change");
  const { applied, proposed } = await withDatabase((db) => setHelplineSettings(db, slug, input));
  if (applied.length > 0)
    console.log(`${slug}: ${applied.join(", ")} changed (in force now; in the audit log)`);
  if (proposed.length > 0) {
    console.log(
      `${slug}: ${proposed.join(", ")} proposed: help-seekers see them once a supervisor signs them (staff app, Hulplijn)`,
    );
  }
}
