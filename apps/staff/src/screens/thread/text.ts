import type { ThreadMessage } from "@briefgeheim/client";
import { lookup, t } from "../../i18n/index.js";

/** A verification problem's reason in words. */
export function problemText(reason: string): string {
  return lookup(t().problems, reason) ?? t().problemUnknown;
}

/** Who wrote a message, in words. */
export function author(m: ThreadMessage): string {
  if (m.from === "me") return t().threadFromMe;
  if (m.from === "help-seeker") return t().threadFromSeeker;
  return m.displayName === undefined ? t().threadFromHelpline : t().threadFromStaff(m.displayName);
}

/** The problems of one message in words, joined. */
export function messageProblems(m: ThreadMessage): string {
  return m.problems.map(problemText).join("; ");
}
