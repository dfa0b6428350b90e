/**
 * Slice D (issue 10 item 5): the crisis block on every screen, Dutch (B1) and English. Spread into
 * nl.ts and en.ts. The options themselves (labels per language, numbers) come from the helpline's
 * signed profile or the app's built-in list (crisis-defaults.ts), not from here.
 */
export const crisisNl = {
  crisisTitle: "Direct hulp nodig?",
  crisisLead: "Kun je niet wachten op een antwoord? Bel of chat nu:",
  crisisNewTab: "(opent in een nieuw tabblad)",
};

export const crisisEn: typeof crisisNl = {
  crisisTitle: "Need help right now?",
  crisisLead: "Can't wait for a reply? Call or chat now:",
  crisisNewTab: "(opens in a new tab)",
};
