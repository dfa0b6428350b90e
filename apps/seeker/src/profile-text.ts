/**
 * What the app shows of a helpline comes from its signed profile (docs/PROTOCOL.md §10), in the
 * language the help-seeker reads: the Dutch or the English description the helpline signed.
 */
import { lang } from "./i18n/index.js";
import type { ProfileCheck } from "./sdk/types.js";
import { profiles } from "./state.js";

export type OpenProfile = Extract<ProfileCheck, { status: "open" }>;

/** The profile if it verified, else `undefined` (checking, not open yet, or refused). */
export function openProfile(check: ProfileCheck | undefined): OpenProfile | undefined {
  return check?.status === "open" ? check : undefined;
}

/** The helpline's verified profile by id. */
export function profileOf(helplineId: string | undefined): OpenProfile | undefined {
  return helplineId === undefined ? undefined : openProfile(profiles()[helplineId]);
}

/** The description in the app's language (the other one when the helpline left this one empty). */
export function description(p: OpenProfile): string {
  const [first, second] =
    lang() === "nl" ? [p.descriptionNl, p.descriptionEn] : [p.descriptionEn, p.descriptionNl];
  return first !== "" ? first : second;
}

/** The helpline's name as it signed it ("" while unknown: the server's unsigned name is never shown). */
export function signedName(helplineId: string | undefined): string {
  return profileOf(helplineId)?.name ?? "";
}
