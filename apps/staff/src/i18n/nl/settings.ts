/** Dutch texts, helpline settings: crisis options, quick exit, retention and lock (slice D). */
export const settings = {
  crisisTitle: "Crisishulp",
  crisisLead:
    "Deze nummers en websites ziet een hulpvrager op elk scherm, voor als wachten op een antwoord niet kan. Ze worden ondertekend met het profiel.",
  crisisEmpty: "Geen eigen crisishulp: de app toont dan 112, 113 Zelfmoordpreventie en Veilig Thuis.",
  crisisOption: (n: number) => `Crisishulp ${n}`,
  crisisKind: "Soort",
  crisisKindPhone: "Telefoonnummer",
  crisisKindUrl: "Website",
  crisisLabelNl: "Tekst (Nederlands)",
  crisisLabelEn: "Tekst (Engels)",
  crisisTargetPhone: "Telefoonnummer (cijfers, spaties, streepjes)",
  crisisTargetUrl: "Adres (begint met https://)",
  crisisRemove: (n: number) => `Crisishulp ${n} verwijderen`,
  crisisAdd: "Crisishulp toevoegen",
  crisisDefaults: "112, 113 en Veilig Thuis invullen",
  crisisMax: (n: number) => `Hoogstens ${n} mogelijkheden.`,
  exitLabel: "Snel weg: naar deze website",
  exitHint: "Een gewone, onopvallende website (https://). Leeg: de website die de beheerder heeft ingesteld.",
  proposalTitle: "Voorstel van de beheerder",
  proposalLead:
    "De beheerder stelt andere gegevens voor dan het ondertekende profiel. Hulpvragers zien ze pas als een coördinator ze ondertekent.",
  proposalFields: (fields: string) => `Anders: ${fields}.`,
  proposalAdopt: "Voorstel in het formulier zetten",
  proposalAdopted:
    "Het voorstel staat in het formulier. Controleer het en onderteken het om het te publiceren.",
  proposalFieldNames: {
    name: "naam",
    descriptionNl: "beschrijving (Nederlands)",
    descriptionEn: "beschrijving (Engels)",
    replyWithinHours: "antwoordtijd",
    crisisOptions: "crisishulp",
    exitUrl: "snel-weg-website",
  },
  serverTitle: "Bewaren en vergrendelen",
  serverLead:
    "Deze instellingen past de server zelf toe; ze worden niet ondertekend. Elke wijziging komt in het auditlog.",
  serverRetention: "Gesprekken bewaren na het laatste bericht (dagen)",
  serverRetentionHint:
    "Korter maken geldt ook voor bestaande gesprekken: wat daardoor te oud is, wordt bij de volgende opruimronde verwijderd.",
  serverLock: "Automatisch vergrendelen na (minuten zonder activiteit)",
  serverSave: "Instellingen opslaan",
  serverSaved: "De instellingen zijn opgeslagen en staan in het auditlog.",
};
