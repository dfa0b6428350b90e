/**
 * What the server applies itself for a helpline (issue 11 item 3): retention and idle-lock minutes.
 * Not signed (the server enforces them either way); every change is in the audit log. What
 * help-seekers are shown changes only with a signed profile (helpline-profile.ts).
 */
import type { HelplineSettingsRequest, HelplineSettingsResponse } from "@briefgeheim/protocol";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { readJson } from "./transport.js";

export type HelplineSettings = HelplineSettingsResponse;

/**
 * Changes retention (1-3650 days after the last message) and/or the idle lock (1-240 minutes).
 * A shorter retention also shortens the expiry of every existing conversation.
 *
 * @example
 * await updateHelplineSettings(ctx, { retentionDays: 180 });
 */
export async function updateHelplineSettings(
  ctx: StaffContext,
  change: HelplineSettingsRequest,
): Promise<HelplineSettings> {
  requireSupervisor(ctx);
  const applied = await readJson(
    await ctx.client.api.helplines[":helplineId"].settings.$post({
      param: { helplineId: ctx.helplineId },
      json: change,
    }),
  );
  await ctx.client.helplines.list(); // the listing carries them (the staff app's lock reads it)
  return applied;
}
