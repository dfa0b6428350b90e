import type { TeamMember } from "@briefgeheim/client";

/** The name a team member is shown by: the display name, else the username. */
export function nameOf(m: TeamMember): string {
  return m.displayName ?? m.username;
}
