import type { StaffSession } from "@briefgeheim/client";

export interface RosterPerson {
  readonly memberId: string;
  readonly displayName: string;
  readonly role: "counsellor" | "supervisor";
  readonly intakeReader: boolean;
}

/** The members of the newest roster this tab has verified (no request). */
export function rosterPeople(staff: StaffSession): RosterPerson[] {
  const roster = staff.client.helplines.cachedRoster(staff.helplineId);
  return (roster?.members ?? []).map((m) => ({
    memberId: m.memberId,
    displayName: m.displayName,
    role: m.role,
    intakeReader: m.intakeReader,
  }));
}

/** The newest verified roster's version (0 before any). */
export function rosterVersion(staff: StaffSession): number {
  return staff.client.helplines.cachedRoster(staff.helplineId)?.version ?? 0;
}

/** A member's display name from the verified rosters (newest first), else a short id. */
export function nameOf(staff: StaffSession, memberId: string | null, fallback?: string): string {
  if (memberId === null) return fallback ?? "";
  const { helplines } = staff.client;
  const newest = helplines.cachedRoster(staff.helplineId);
  for (let v = newest?.version ?? 0; v >= 1; v--) {
    const m = helplines.roster(staff.helplineId, v)?.members.find((x) => x.memberId === memberId);
    if (m !== undefined) return m.displayName;
  }
  return fallback ?? shortId(memberId);
}

/** The first characters of an id, for when nothing better is known. */
export function shortId(id: string): string {
  return `#${id.slice(0, 6)}`;
}
