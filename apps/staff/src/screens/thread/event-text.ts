import type { ThreadMessage } from "@briefgeheim/client";
import type { ThreadStatus } from "@briefgeheim/protocol";
import { t } from "../../i18n/index.js";

/**
 * The line shown for a status change or a verified handover event (PROTOCOL.md §5.1): "handed over
 * to Bram" when a supervisor signed it, "Bram took over" when Bram did. A damaged event has no line.
 */
export function changeText(m: ThreadMessage): string {
  if (m.kind === "event") {
    if (m.handover === undefined) return "";
    return m.handover.self
      ? t().handoverSelf(m.handover.displayName)
      : t().handoverBySupervisor(m.handover.displayName);
  }
  return t().threadStatusChanged(t().statusNames[m.body as ThreadStatus]);
}
