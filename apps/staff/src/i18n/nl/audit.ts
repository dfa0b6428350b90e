import { plural } from "../plural.js";
/** Dutch texts, the audit log. */
export const audit = {
  auditTitle: "Auditlog",
  auditLead:
    "Wie wat deed en wanneer: aanmelden, oppakken, toewijzen, herverdelen, teamwijzigingen. Geen inhoud.",
  auditLoading: "Auditlog laden en verifiëren…",
  auditVerified: (n: number) =>
    plural("nl", n, {
      one: `De keten is geverifieerd: ${n} regel, aaneengesloten vanaf de eerste.`,
      other: `De keten is geverifieerd: ${n} regels, aaneengesloten vanaf de eerste.`,
    }),
  auditPrunedThrough: (n: number) =>
    `Regels 1 t/m ${n} zijn na de bewaartermijn weggehaald; een controlepunt in de keten zegt waar ze eindigden.`,
  auditBrokenTitle: "Waarschuwing: het auditlog klopt niet",
  auditBroken:
    "De keten van het auditlog is onderbroken: er is een regel veranderd, weggehaald of ingevoegd. Meld dit aan de beheerder.",
  auditFilter: "Toon",
  auditAll: "alles",
  auditSeq: "Nr.",
  auditWhen: "Wanneer",
  auditWho: "Wie",
  auditWhat: "Wat",
  auditAbout: "Over",
  auditDetailsHeader: "Details",
  auditOperator: "beheerder",
  auditSeeker: "hulpvrager",
  auditThread: (id: string) => `gesprek ${id}`,
  auditActions: {
    "sign-in": "aangemeld",
    claim: "gesprek opgepakt",
    assign: "gesprek toegewezen",
    reassign: "gesprek herverdeeld",
    "remove-reader": "lezer verwijderd",
    "roster-change": "teamlijst gewijzigd",
    "invite-created": "uitnodiging gemaakt",
    "invite-accepted": "uitnodiging aangenomen",
    "thread-deleted": "gesprek verwijderd",
    "audit-pruned": "auditlog ingekort (bewaartermijn)",
    "profile-published": "hulplijnprofiel ondertekend",
    "settings-changed": "instellingen gewijzigd",
    "thread-exported": "gesprek afgedrukt of geëxporteerd",
  },
  auditDetails: {
    role: "rol",
    expiresAt: "geldig tot",
    firstSupervisor: "eerste coördinator",
    version: "versie",
    added: "erbij",
    removed: "eraf",
    epoch: "sleutelperiode",
    reason: "reden",
    readers: "lezers",
    prunedThrough: "weggehaald t/m nr.",
    prunedCount: "aantal weggehaald",
    prunedHeadHash: "laatste weggehaalde regel (hash)",
    before: "ouder dan",
  },
};
