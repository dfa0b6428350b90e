/**
 * The crisis options shown before a helpline's signed ones are verified, on screens that belong to
 * no helpline, and for a helpline that signed none (a type 0x07 profile, or an empty list). Part of
 * the app's own code (the entry chunk), so the server cannot change them. Equal to the SDK's
 * `DEFAULT_CRISIS_OPTIONS` (crisis-defaults.test.ts).
 */
export interface CrisisLink {
  readonly kind: "phone" | "url";
  readonly labelNl: string;
  readonly labelEn: string;
  readonly target: string;
}

export const BUILT_IN_CRISIS_OPTIONS: readonly CrisisLink[] = [
  { kind: "phone", labelNl: "Direct gevaar? Bel 112", labelEn: "Immediate danger? Call 112", target: "112" },
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

/** `tel:` link of a phone target (digits and a leading plus only). */
export function telHref(target: string): string {
  return `tel:${target.replace(/[ -]/g, "")}`;
}
