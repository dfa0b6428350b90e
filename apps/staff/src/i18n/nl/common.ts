import { plural } from "../plural.js";
/** Dutch texts, shared by every screen: app frame, navigation, common words, durations, errors and code maps. */
export const common = {
  locale: "nl-NL",
  otherLanguage: "English",
  otherLanguageLabel: "Switch to English",
  appTitle: "Briefgeheim – medewerkers",
  appStaffApp: "medewerkers",
  appSignedOut: "Je bent afgemeld.",
  appLoading: "Even laden…",
  navSkip: "Naar de inhoud",
  navLabel: "Hoofdmenu",
  navInbox: "Postvak",
  navOverview: "Overzicht",
  navTeam: "Team",
  navReassign: "Herverdelen",
  navAudit: "Auditlog",
  navSignOut: "Afmelden",
  footerE2ee:
    "Berichten worden in deze browser versleuteld en ontsleuteld. De server ziet alleen versleutelde tekst.",
  footerLock: (minutes: number) =>
    `Na ${plural("nl", minutes, { one: `${minutes} minuut`, other: `${minutes} minuten` })} zonder activiteit wordt de app vergrendeld.`,
  footerFingerprint: (fingerprint: string) => `Vingerafdruk van de hulplijn: ${fingerprint}.`,
  commonYes: "ja",
  commonNo: "nee",
  commonClose: "Sluiten",
  tofuBuildWarning:
    "Deze versie van de app is gebouwd voor ontwikkeling of tests: ze accepteert ook hulplijnen waarvan de sleutel niet is vastgezet.",
  tofuSessionWarning: (fingerprint: string) =>
    `Let op: de sleutel van deze hulplijn is niet vastgezet in deze app. Vergelijk de vingerafdruk ${fingerprint} met de gepubliceerde vingerafdruk voordat je verdergaat.`,
  durationDh: (d: number, h: number) => `${d} d ${h} u`,
  durationHm: (h: number, m: number) => `${h} u ${m} min`,
  durationM: (m: number) => `${m} min`,
  errorUnknown: "Er ging iets mis. Probeer het opnieuw.",
  errorWithCode: (code: string) => `Er ging iets mis (${code}). Probeer het opnieuw.`,
  errors: {
    NETWORK: "Geen verbinding met de server. Controleer je internetverbinding en probeer het opnieuw.",
    INVALID_CREDENTIALS: "Gebruikersnaam of wachtwoordzin klopt niet.",
    UNWRAP_FAILED: "Gebruikersnaam of wachtwoordzin klopt niet.",
    ACCOUNT_REMOVED: "Dit account is uit het team verwijderd. Aanmelden kan niet meer.",
    NOT_ON_ROSTER:
      "Je account is nog niet toegelaten tot het team. Vraag een coördinator om je toe te laten.",
    ROSTER_KEY_MISMATCH:
      "De sleutels van dit account kloppen niet met de teamlijst. Meld je niet aan en waarschuw de beheerder.",
    ROOT_NOT_PINNED:
      "De sleutel van deze hulplijn is niet vastgezet in deze versie van de app. Vraag de beheerder de vingerafdruk vast te zetten.",
    ROSTER_WRONG_ROOT:
      "De hulplijn gebruikt een andere sleutel dan in deze app is vastgezet. Gebruik de app niet en waarschuw de beheerder.",
    ROSTER_ROLLBACK: "De server bood een oudere teamlijst aan. Waarschuw de beheerder.",
    ROSTER_CHAIN_BROKEN: "De teamlijst van de hulplijn is niet compleet. Waarschuw de beheerder.",
    ROSTER_INVALID: "De teamlijst klopt niet.",
    BAD_SIGNATURE: "Een handtekening klopt niet.",
    THREAD_TAMPERED: "Dit gesprek kon niet worden geverifieerd en wordt niet getoond.",
    WORKER_LOST: "Het tellen is onderbroken omdat een rekenproces van de app stopte. Probeer het opnieuw.",
    HELPLINE_NOT_READY: "Deze hulplijn is nog niet ingericht.",
    RATE_LIMITED: "Te veel pogingen. Wacht even en probeer het opnieuw.",
    INVITE_USED: "Deze uitnodiging is al gebruikt. Vraag om een nieuwe.",
    INVITE_EXPIRED: "Deze uitnodiging is verlopen. Vraag om een nieuwe.",
    NOT_FOUND: "Niet gevonden, of je hebt er geen toegang toe.",
    USERNAME_TAKEN: "Deze gebruikersnaam is al in gebruik. Kies een andere.",
    SESSION_EXPIRED: "Je sessie is verlopen. Meld je opnieuw aan.",
    UNAUTHENTICATED: "Je bent niet (meer) aangemeld.",
    FORBIDDEN: "Dat mag je met je rol niet doen.",
    WIPED: "De app is vergrendeld; meld je opnieuw aan.",
    INVALID_RECOVERY_KEY: "Deze herstelsleutel bevat een tikfout. Controleer hem op je herstelblad.",
    WEAK_KDF_PARAMS: "De server vroeg een te zwakke sleutelafleiding. Meld dit aan de beheerder.",
    NO_ROOT_KEY: "Je hebt geen kopie van de hoofdsleutel. Vraag een andere coördinator die te delen.",
    NOT_A_SUPERVISOR: "Dit kan alleen een coördinator.",
    NOT_A_READER: "Je hebt geen sleutel voor dit gesprek.",
    EPOCH_CONFLICT: "Het gesprek is intussen veranderd. Probeer het opnieuw.",
    SEQUENCE_CONFLICT: "Het gesprek is intussen veranderd. Probeer het opnieuw.",
    ROSTER_CONFLICT: "De teamlijst is intussen veranderd. Probeer het opnieuw.",
    CONFLICT: "Dit botst met een eerdere wijziging. Probeer het opnieuw.",
    VALIDATION_FAILED: "De invoer klopt niet.",
    PAYLOAD_TOO_LARGE: "Het bericht is te groot.",
    SODIUM_UNAVAILABLE: "De versleuteling kon niet worden geladen in deze browser.",
    SELF_CHECK_FAILED: "De versleuteling in deze browser werkt niet goed. Gebruik een andere browser.",
    UNAVAILABLE: "De server is even druk. Probeer het zo opnieuw.",
    INTERNAL: "Fout op de server. Probeer het later opnieuw.",
    UNEXPECTED_RESPONSE: "De server gaf een onverwacht antwoord.",
    WRONG_CONTEXT: "Dat kan in dit gesprek (nog) niet.",
    INVITE_KEY_MISMATCH:
      "De sleutels van dit account zijn niet gebonden aan een uitnodiging die jij maakte. Niets is gewijzigd. Vergelijk de veiligheidscode met de persoon, of nodig de persoon opnieuw uit.",
    SAFETY_CODE_MISMATCH:
      "De veiligheidscode klopt niet met de sleutels die de server toont. Niemand is toegelaten. Controleer de code nog eens; klopt hij echt niet, laat de persoon dan niet toe en waarschuw de beheerder.",
    ROSTER_FORK:
      "De server toont een andere teamlijst dan dit apparaat eerder controleerde (of dan de lijst waarmee deze app gebouwd is). Gebruik de app niet en waarschuw de beheerder.",
    PROFILE_ROLLBACK:
      "De server toont een oudere of geen hulplijnbeschrijving, terwijl dit apparaat een nieuwere controleerde. Er is niets ondertekend. Waarschuw de beheerder.",
    PROFILE_TAG_MISMATCH:
      "De server stelt een codenummer voor dat al bij een andere hulplijn hoort. Er is niets ondertekend. Waarschuw de beheerder.",
    ROSTER_SIGNER_NOT_ALLOWED:
      "De teamlijst is ondertekend door iemand die dat niet mag (bijvoorbeeld een verwijderde coördinator). Gebruik de app niet en waarschuw de beheerder.",
    MALFORMED: "De link of invoer is beschadigd. Controleer of je de hele link hebt gekopieerd.",
  },
  dueNames: {
    late: "te laat",
    "due-soon": "bijna te laat",
    "on-time": "op tijd",
    answered: "beantwoord",
  },
  roles: {
    counsellor: "hulpverlener",
    supervisor: "coördinator",
  },
};
