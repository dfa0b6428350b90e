/**
 * Which helpline's signed safety settings apply on the current screen (slice D): the crisis options
 * shown on every screen and the quick-exit destination come from that helpline's VERIFIED profile
 * (PROTOCOL.md §10, type 0x0b), else from this build (the built-in crisis options, the operator's
 * BRIEFGEHEIM_EXIT_URL). Nothing the server sends unsigned is ever used here.
 */
import { BUILD } from "../build-config.js";
import { BUILT_IN_CRISIS_OPTIONS, type CrisisLink } from "../crisis-defaults.js";
import { helplineBySlug } from "../pinned-slug.js";
import { type OpenProfile, openProfile, profileOf } from "../profile-text.js";
import { current, helplines, profiles, screen } from "../state.js";

/**
 * The helpline page on screen, else the helpline being written to or read, else the only helpline
 * open in this build (a deployment with one helpline shows its options on the start screen too).
 */
export function profileInView(): OpenProfile | undefined {
  const s = screen();
  if (s.name === "helpline") {
    return profileOf(helplineBySlug(helplines(), s.slug, BUILD.pins)?.id);
  }
  const chosen = profileOf(current()?.id);
  if (chosen !== undefined) return chosen;
  const open = Object.values(profiles())
    .map(openProfile)
    .filter((p) => p !== undefined);
  return open.length === 1 ? open[0] : undefined;
}

/** The signed crisis options in view, or the built-in ones (none signed, or nothing verified yet). */
export function crisisOptionsInView(): readonly CrisisLink[] {
  const signed = profileInView()?.crisisOptions ?? [];
  return signed.length > 0 ? signed : BUILT_IN_CRISIS_OPTIONS;
}

/** Where the quick exit goes: the signed destination in view, or the build's. */
export function exitDestination(): string {
  try {
    const signed = profileInView()?.exitUrl ?? "";
    return signed !== "" ? signed : BUILD.exitUrl;
  } catch {
    return BUILD.exitUrl; // the quick exit must leave whatever went wrong here
  }
}
