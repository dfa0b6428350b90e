/**
 * The crisis options of the demo and the help-seeker app's fallback (issue 10 item 5): 112 for
 * immediate danger, 113 Zelfmoordpreventie and Veilig Thuis. A helpline signs its own list in its
 * profile (PROTOCOL.md §10, type 0x0b); the staff settings screen offers these as a start. The
 * help-seeker app carries the same list in its entry chunk (apps/seeker/src/crisis-defaults.ts; a test
 * keeps the two equal).
 */
import type { CrisisOption } from "@briefgeheim/crypto";

export const DEFAULT_CRISIS_OPTIONS: readonly CrisisOption[] = [
  {
    kind: "phone",
    labelNl: "Direct gevaar? Bel 112",
    labelEn: "Immediate danger? Call 112",
    target: "112",
  },
  {
    kind: "phone",
    labelNl: "113 Zelfmoordpreventie (gratis, dag en nacht)",
    labelEn: "113 Suicide prevention (free, day and night)",
    target: "0800-0113",
  },
  {
    kind: "phone",
    labelNl: "Veilig Thuis: huiselijk geweld en kindermishandeling (gratis)",
    labelEn: "Veilig Thuis: domestic violence and child abuse (free)",
    target: "0800-2000",
  },
];
