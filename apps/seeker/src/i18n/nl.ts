/**
 * Dutch, the default language and the source of truth for the keys: `en.ts` must have exactly the
 * same keys with the same shapes (`Messages`), or the type check fails.
 */
import { attachmentsNl } from "./attachments.js";
import { crisisNl } from "./crisis.js";
import { surveyNl } from "./survey.js";

export const nl = {
  locale: "nl-NL",
  otherLanguage: "English",
  otherLanguageLabel: "Switch to English",
  /** The tab title: neutral on purpose (a shared screen shows it). */
  tabTitle: "Notities",

  skipToContent: "Naar de inhoud",
  appName: "Briefgeheim",
  appTagline: "anoniem schrijven naar een hulplijn",
  footerSafety: "Veilig internetten",
  footerHome: "Begin",

  quickExit: "Snel weg",
  quickExitLong: "verlaat deze pagina",
  quickExitHint: "Of druk 2 keer op Esc, of 3 keer op Shift.",
  shiftCount: (left: number) =>
    left === 1
      ? "Druk nog 1 keer op Shift om de pagina te verlaten."
      : `Druk nog ${left} keer op Shift om de pagina te verlaten.`,
  escCount: "Druk nog 1 keer op Esc om de pagina te verlaten.",

  loading: "Even laden…",
  resumeConversation: "Terug naar je gesprek",
  justNow: "zojuist",
  back: "Terug",

  startTitle: "Schrijf anoniem naar een hulplijn",
  startIntro:
    "Je schrijft zonder naam, e-mailadres of telefoonnummer. Je bericht wordt in deze browser versleuteld: alleen de hulplijn kan het lezen, de beheerder van deze website niet.",
  startChoose: "Kies een hulplijn",
  startNoHelplines: "Er zijn hier nog geen hulplijnen.",
  startListError:
    "De lijst met hulplijnen kon niet worden geladen. Controleer je internetverbinding en probeer het opnieuw.",
  retry: "Opnieuw proberen",
  startReturnTitle: "Al eerder geschreven?",
  startReturnText: "Met je code kom je terug bij je gesprek, op elk apparaat.",
  startReturnLink: "Ik heb een code",
  writeTo: (name: string) => `Schrijf naar ${name}`,

  replyTime: (hours: number) => {
    if (hours % 24 === 0) {
      const days = hours / 24;
      return days === 1 ? "Antwoord binnen 1 dag" : `Antwoord binnen ${days} dagen`;
    }
    return hours === 1 ? "Antwoord binnen 1 uur" : `Antwoord binnen ${hours} uur`;
  },

  fingerprint: "Is dit echt de hulplijn?",
  fingerprintPending: "wordt gecontroleerd…",
  rootPinned: "De sleutel van de hulplijn zit vast in deze versie van de website.",
  rootFirstUse:
    "Let op: deze sleutel zit niet vast in deze versie van de website (testversie). Vergelijk de vingerafdruk met die op de website van de hulplijn voordat je schrijft.",
  rootUnpinned:
    "Deze hulplijn kun je hier nog niet gebruiken: de sleutel zit niet vast in deze versie van de website.",
  rootMismatch:
    "Waarschuwing: de sleutel van deze hulplijn is niet de sleutel die in deze website vastzit. Schrijf hier niet. Neem op een andere manier contact op met de hulplijn.",
  rootNotReady: "Deze hulplijn is nog niet klaar om berichten te ontvangen.",

  helplineNotFound: "Deze hulplijn bestaat niet (meer).",
  helplineToStart: "Naar de lijst met hulplijnen",
  helplineCompare:
    "Wil je het zelf controleren? Open ‘Technische gegevens’ en vergelijk de vingerafdruk met die op de website van de hulplijn. Zijn ze gelijk, dan kan alleen deze hulplijn je berichten lezen.",
  helplineRetention: (days: number) =>
    `Een gesprek wordt ${days} dagen na het laatste bericht voorgoed verwijderd.`,
  helplineLock: (minutes: number) =>
    `Ben je ${minutes} minuten niet actief, dan sluiten we je gesprek op dit apparaat af.`,
  helplineStart: "Begin met schrijven",
  helplineVerifying: "We controleren of dit echt de hulplijn is…",
  helplineVerifyFailed:
    "De sleutels van deze hulplijn konden niet worden gecontroleerd. Schrijf hier nu niet en probeer het later opnieuw.",

  writeTitle: (name: string) => `Je bericht aan ${name}`,
  writeMemoryNote:
    "Je bericht staat nu alleen in dit tabblad. Sluit je het tabblad, of ben je een tijd niet actief, dan is het weg. Zodra je code er is, bewaren we je concept versleuteld.",
  writeSavedNote: "Je concept wordt versleuteld bewaard. Met je code kun je later verder schrijven.",
  draftSaving: "Concept opslaan…",
  draftSaved: (time: string) => `Concept versleuteld opgeslagen om ${time}.`,
  draftSaveFailed: "Het concept kon niet worden opgeslagen. Je tekst staat nog hier.",
  draftRestored: "Je opgeslagen concept is teruggezet.",
  subject: "Onderwerp",
  subjectHint: "Een paar woorden. Ook het onderwerp wordt versleuteld.",
  body: "Je bericht",
  bodyHint:
    "Schrijf in je eigen tempo. Noem alleen namen, adressen of nummers als je dat zelf wilt. Schrijf je code nooit in een bericht.",
  writeNext: "Verder: maak mijn code",
  writeNextCode: "Verder naar mijn code",
  send: "Versturen",
  sending: "Versturen…",
  bodyRequired: "Schrijf eerst je bericht.",

  warningsTitle: "Kijk nog even naar je bericht",
  warnContainsCode:
    "Je bericht lijkt (een deel van) je code te bevatten. Wie je bericht ziet, kan dan je hele gesprek lezen. Haal de code uit je bericht.",
  warnEmail: "Je bericht lijkt een e-mailadres te bevatten. Dat is niet nodig: je antwoord komt hier.",
  warnPhone: "Je bericht lijkt een telefoonnummer te bevatten. Dat is niet nodig: je antwoord komt hier.",
  warnShort:
    "Je bericht is erg kort. Vertel gerust wat meer, dan kan de hulpverlener je beter helpen. Het mag ook kort blijven.",
  warnEdit: "Aanpassen",
  warnSendAnyway: "Toch versturen",
  warnContinueAnyway: "Toch verder",

  ceremonyTitle: "Jouw code",
  ceremonyMaking: "We maken je code. Dit duurt een paar seconden.",
  stepCheckingCode: "Code controleren",
  stepVerifyingHelpline: "Controleren of dit echt de hulplijn is",
  stepDerivingKeys: "Je code klaarmaken",
  stepSigningIn: "Veilig verbinden",
  stepsLabel: "Voortgang",
  stepDone: "klaar",
  stepBusy: "bezig",
  ceremonyOnlyWay:
    "Deze code is de enige manier om terug te komen bij je gesprek. Wij kunnen hem niet voor je opzoeken of opnieuw maken.",
  ceremonyBearer:
    "Wie je code heeft, kan je hele gesprek lezen en verwijderen. Geef hem aan niemand en schrijf hem nooit in een bericht.",
  ceremonyCodeLabel: "Je code, in groepjes van 4 tekens",
  ceremonyKeep:
    "Schrijf je code op, druk hem af of sla hem op als tekstbestand. Het briefje en het bestand zeggen niet waar de code voor is. Bewaar het ergens waar een ander het niet vindt.",
  print: "Afdrukken",
  download: "Opslaan als tekstbestand",
  downloadName: "notitie.txt",
  downloadText: (code: string) => `${code}\n`,
  printHeading: "Notitie",
  confirmTitle: "Controle: typ een deel van je code over",
  confirmIntro: (a: number, b: number) => `Typ groepje ${a} en groepje ${b} van je code over.`,
  confirmGroup: (n: number) => `Groepje ${n}`,
  confirmWrong:
    "Dit komt niet overeen met je code. Kijk nog eens goed: hoofdletters, spaties en streepjes maken niet uit.",
  confirmSend: "Klopt: verstuur mijn bericht",
  ceremonyEdit: "Terug naar mijn bericht",
  ceremonyFailed: "Je code kon niet worden gemaakt.",

  returnTitle: "Terug naar je gesprek",
  returnIntro: "Vul je code in. Je gesprek wordt in deze browser geopend en ontsleuteld.",
  codeLabel: "Je code",
  codeHint:
    "24 tekens in groepjes, bijvoorbeeld 07K2-MQX9-R4TB-ZD1E-H8PS-WN3C. Hoofdletters, spaties en streepjes maken niet uit.",
  openConversation: "Open mijn gesprek",
  opening: "Bezig met openen…",
  codeEmpty: "Vul eerst je code in.",
  codeFormat: (count: number) =>
    `Een code heeft 24 letters en cijfers; je hebt er ${count} ingevuld. Er is nog niets verstuurd.`,
  codeFormatChars:
    "Deze code bevat tekens die niet in een code voorkomen (zoals U of leestekens). Kijk nog eens goed; er is nog niets verstuurd.",
  codeChecksum:
    "Deze code klopt niet: er zit waarschijnlijk een typefout in. Let vooral op tekens die op elkaar lijken, zoals 5 en S, 2 en Z, 8 en B. Er is nog niets verstuurd.",
  noConversation:
    "Bij deze code hoort geen gesprek (meer). Misschien is het gesprek verwijderd of verlopen, of heb je een andere code. Je kunt ook een nieuw bericht schrijven.",
  writeNew: "Een nieuw bericht schrijven",

  threadsTitle: "Je gesprekken",
  threadsIntro: "Bij deze code horen meerdere gesprekken.",
  threadStarted: (helpline: string, date: string) => `Gesprek met ${helpline}, begonnen op ${date}`,
  threadOpen: "Openen",
  threadLast: (when: string) => `Laatste bericht ${when}`,

  conversationTitle: (name: string) => `Je gesprek met ${name}`,
  reload: "Nieuwe berichten ophalen",
  reloading: "Ophalen…",
  signOut: "Afsluiten",
  fromMe: "Jij",
  fromHelpline: (name: string) => name,
  fromCounsellor: (person: string, helpline: string) => `${person}, ${helpline}`,
  sentAt: (when: string) => `verstuurd ${when}`,
  verified: "Gecontroleerd",
  verifiedExplain: "Dit bericht is echt en onveranderd: de handtekening en de volgorde kloppen.",
  allVerified: "Alle berichten in dit gesprek zijn gecontroleerd.",
  problemsTitle: "Niet alles in dit gesprek kon worden gecontroleerd",
  problemsText: (n: number) =>
    `${n === 1 ? "Eén controle klopt" : `${n} controles kloppen`} niet. Bij het bericht zelf staat wat er mis is; een beschadigd bericht laten we niet zien. Dat kan een storing zijn, maar het kan ook betekenen dat iemand met het gesprek heeft geknoeid. Berichten met "Gecontroleerd" erbij zijn echt. Je kunt gewoon verder schrijven. Blijft deze melding, neem dan op een andere manier contact op met de hulplijn.`,
  tamperedTitle: "Dit gesprek kon niet worden gecontroleerd",
  tamperedText:
    "We konden niet controleren dat dit gesprek echt van jou en de hulplijn is. Daarom laten we het gesprek niet zien en kun je er nu niet in schrijven. Je code is veilig. Probeer het later opnieuw of neem op een andere manier contact op met de hulplijn.",
  unreadable: (n: number) =>
    n === 1 ? "Eén bericht kun je niet lezen." : `${n} berichten kun je niet lezen.`,
  notVerified: "Niet gecontroleerd",
  damagedMessage: "Beschadigd bericht: we laten het niet zien, omdat het niet klopt.",
  messageProblem: (reasons: string) => `Let op: ${reasons}.`,
  continuesPastDamaged: "Dit bericht gaat verder na een beschadigd bericht.",
  threadProblem: (reason: string) => `In dit gesprek: ${reason}.`,
  problemReason: (code: string) =>
    code === "MISSING"
      ? "een bericht dat al gezien was, is verdwenen"
      : code === "WITHHELD"
        ? "een bericht dat je eerder zag, wordt niet meer getoond"
        : code === "AFTER_EPOCH_CHANGE"
          ? "geschreven nadat het gesprek aan iemand anders was gegeven"
          : code === "SEQ_GAP"
            ? "er ontbreekt een bericht"
            : code === "BAD_SIGNATURE" || code === "DECRYPT_FAILED"
              ? "het bericht is beschadigd"
              : code === "REORDERED"
                ? "de volgorde is veranderd"
                : code === "DUPLICATE"
                  ? "een bericht staat er dubbel"
                  : code === "NOT_REKEYED"
                    ? "iemand die niet meer bij de hulplijn werkt, kan nieuwe berichten nog lezen tot de hulplijn de sleutels vernieuwt"
                    : code === "HISTORY_CHANGED"
                      ? "dit bericht is later tussen berichten gezet die je al had gelezen"
                      : "het bericht klopt niet",
  statusLabel: "Over dit gesprek",
  status: (s: string) => (s === "closed" ? "gesloten" : s === "waiting" ? "wacht op jou" : "open"),
  lastMessage: (when: string) => `Laatste bericht: ${when}.`,
  yourLastMessage: (when: string) => `Je laatste bericht is ${when} verstuurd.`,
  replyDue: (date: string) => `De hulplijn streeft ernaar vóór ${date} te antwoorden.`,
  expires: (date: string) =>
    `Dit gesprek wordt op ${date} voorgoed verwijderd, als er geen nieuw bericht bij komt.`,

  readersTitle: "Wie kan dit gesprek lezen?",
  readersYou: "Jij, met je code.",
  readersHelpline: (name: string) => `${name}:`,
  readersCounsellors: (names: string) => `je hulpverlener: ${names}`,
  readersIntake: (names: string) =>
    names === ""
      ? "nog geen vaste hulpverlener"
      : `nog geen vaste hulpverlener; nieuwe berichten lezen: ${names}`,
  readersSupervisors: "de coördinatoren van de hulplijn (als groep)",
  readersNotServer: "De beheerder van deze website kan je berichten niet lezen.",

  replyTitle: "Nog een bericht schrijven",
  replyLabel: "Je bericht",
  replySent: "Je bericht is verstuurd.",
  sentFirst: "Je bericht is verstuurd. De hulplijn leest het zo snel mogelijk.",

  deleteButton: "Gesprek verwijderen",
  deleteTitle: "Gesprek verwijderen?",
  deleteText:
    "Het hele gesprek wordt voorgoed verwijderd, ook bij de hulplijn. Dit kun je niet ongedaan maken.",
  deleteConfirm: "Ja, verwijder het gesprek",
  deleteCancel: "Nee, niet verwijderen",
  deleting: "Verwijderen…",

  noticeLocked: (minutes: number) =>
    `Je was ${minutes} minuten niet actief. Om je te beschermen hebben we alles op dit apparaat gesloten en gewist. Met je code kom je terug bij je gesprek.`,
  noticeSignedOut: "Je gesprek is gesloten en op dit apparaat gewist. Met je code kom je terug.",
  noticeDeleted: "Je gesprek is voorgoed verwijderd.",
  noticeExpired: "Je sessie is verlopen. Vul je code opnieuw in om verder te gaan.",
  lockSoon: "Je bent een tijd niet actief geweest. Over een minuut sluiten we je gesprek op dit apparaat af.",
  lockStay: "Ik ben er nog",

  errorNetwork:
    "Er is geen verbinding met de server. Controleer je internetverbinding en probeer het opnieuw.",
  errorRateLimited: "Het is even te druk. Wacht een minuut en probeer het opnieuw.",
  errorNoHelpline: "De hulplijn van deze code bestaat hier niet (meer).",
  errorNotPinned:
    "De hulplijn van deze code kun je in deze versie van de website niet gebruiken: de sleutel zit er niet in vast.",
  errorWrongRoot:
    "Waarschuwing: de sleutel van deze hulplijn is niet de sleutel die in deze website vastzit. We gaan niet verder. Neem op een andere manier contact op met de hulplijn.",
  errorRoster:
    "De sleutels van de hulplijn konden niet worden gecontroleerd. We gaan niet verder. Probeer het later opnieuw.",
  errorCrypto:
    "Deze browser kan de versleuteling niet uitvoeren. Probeer een recente versie van een andere browser.",
  errorNotFound: "Dit gesprek bestaat niet (meer).",
  errorUnknown: "Er ging iets mis. Probeer het opnieuw.",

  safetyTitle: "Veilig internetten",
  safetyIntro:
    "Deel je een computer, tablet of telefoon met anderen? Deze tips helpen om je bezoek privé te houden.",
  safetyPrivateTitle: "Gebruik een privévenster",
  safetyPrivate:
    "Open deze website in een privévenster (incognito). Als je het venster sluit, onthoudt de browser niet welke pagina's je hebt bezocht.",
  safetyHistoryTitle: "Wis je geschiedenis",
  safetyHistory:
    "Gebruik je geen privévenster, verwijder deze website dan na afloop uit je browsergeschiedenis en je cache. Snel weg verwijdert alleen deze pagina uit de terugknop, niet uit de geschiedenis.",
  safetyExitTitle: "Snel weg",
  safetyExit:
    "Komt er iemand aan? Klik op ‘Snel weg’ of druk 2 keer op Esc of 3 keer op Shift. Alles wordt uit het geheugen gewist en je komt op een gewone, andere website.",
  safetyCodeTitle: "Je code",
  safetyCode:
    "Laat je browser of wachtwoordmanager je code niet bewaren. Verwijder een opgeslagen codebestand uit je downloads als anderen daar kunnen kijken, en vergeet een afdruk niet bij de printer.",
  safetyLockTitle: "Automatisch afsluiten",
  safetyLock:
    "Ben je een tijd niet actief, dan sluiten we je gesprek vanzelf af. Deze website bewaart niets op je apparaat, behalve een cookie die verdwijnt als je de browser sluit.",
  safetyDeviceTitle: "Werk- of schoolapparaat",
  safetyDevice:
    "Op een apparaat van werk of school kan de beheerder soms meekijken. Gebruik liever een eigen apparaat.",

  // The signed helpline directory (docs/PROTOCOL.md §10).
  helplineChecking: "Deze hulplijn wordt gecontroleerd…",
  helplineUnusable: "Deze hulplijn kun je hier niet gebruiken",
  helplineNotOpen: "Nog niet open",
  helplineNotOpenText:
    "Deze hulplijn is nog niet open. Je kunt hier nog niet schrijven. Kijk later nog eens.",
  helplinesRefused: (n: number) =>
    n === 1
      ? "1 hulplijn wordt niet getoond: wat de server over die hulplijn stuurde, is niet door de hulplijn zelf ondertekend."
      : `${n} hulplijnen worden niet getoond: wat de server over die hulplijnen stuurde, is niet door de hulplijnen zelf ondertekend.`,
  errorProfile:
    "De gegevens van deze hulplijn zijn niet door de hulplijn zelf ondertekend. We gaan niet verder. Probeer het later opnieuw.",
  errorTagMismatch:
    "Waarschuwing: de server stuurt je code naar een andere hulplijn dan die van je code. We gaan niet verder en er is niets verstuurd. Probeer het later opnieuw.",
  // Issue 9: limits shown before sending, the proof of work, and every refusal in one plain sentence.
  charCount: (used: string, max: string) => `${used} van ${max} tekens`,
  charCountOver: (over: string, max: string) =>
    `${over === "1" ? "1 teken" : `${over} tekens`} te veel: een bericht mag hoogstens ${max} tekens hebben. Maak het korter.`,
  tooLong: (max: string) =>
    `Je bericht is te lang om te versturen. Maak het korter, tot hoogstens ${max} tekens.`,
  workProgress: (percent: number) =>
    `Even geduld: je browser doet een kleine rekenklus die misbruik van de hulplijn tegengaat (${percent}%).`,
  workLabel: "Rekenklus tegen misbruik",
  powFailed: "De controle tegen misbruik is niet gelukt. Er is niets verstuurd. Probeer het nog een keer.",
  quotaExceeded: (wait: string) =>
    `Er is vandaag al veel verstuurd vanaf deze verbinding of in dit gesprek. Er is niets verstuurd. Je kunt weer schrijven ${wait}.`,
  rateLimitedWait: (wait: string) =>
    `Het is even te druk. Er is niets verstuurd. Probeer het opnieuw ${wait}.`,
  storageFull:
    "De hulplijn kan op dit moment geen nieuwe berichten aannemen. Er is niets verstuurd. Probeer het later opnieuw.",
  waitSeconds: (n: number) => (n === 1 ? "over 1 seconde" : `over ${n} seconden`),
  waitMinutes: (n: number) => (n === 1 ? "over 1 minuut" : `over ${n} minuten`),
  waitHours: (n: number) => (n === 1 ? "over ongeveer 1 uur" : `over ongeveer ${n} uur`),
  // Slice E (issue 10): nothing unsent is lost, quick exit by tap, the sent state, plain words.
  resumeWriting: "Terug naar je bericht",
  noticeLeftText:
    "De pagina is opnieuw geopend. Je bericht was nog niet verstuurd. Had je nog geen code? Dan is de tekst weg: die stond alleen in dit tabblad. Had je al een code? Dan kun je met je code verder schrijven.",
  noticeLeftCode:
    "De pagina is opnieuw geopend terwijl je code op het scherm stond. Je bericht is nog niet verstuurd. Heb je je code opgeschreven of bewaard? Dan kun je met die code verder. Anders kun je opnieuw beginnen.",
  quickExitTouchHint: "Tik op Snel weg en je bent meteen op een andere website.",
  sentTitle: "Verstuurd",
  sentWhen: (promise: string) => `${promise}.`,
  sentDue: (date: string) => `Je krijgt uiterlijk ${date} een antwoord.`,
  sentComeBack:
    "Je krijgt geen melding. Kom later terug met je code om het antwoord te lezen. Je kunt hier ook nu nog iets toevoegen.",
  writeAnother: "Nog een bericht schrijven",
  technicalDetails: "Technische gegevens",
  fingerprintLabel: "Vingerafdruk van de sleutel",
  plainPinned: "Gecontroleerd: dit is echt deze hulplijn.",
  plainFirstUse:
    "Let op: dit is een testversie. We konden niet zelf controleren of dit echt deze hulplijn is.",
  plainUnpinned: "Deze hulplijn kun je hier nog niet gebruiken.",
  plainMismatch:
    "Waarschuwing: we kunnen niet controleren dat dit echt deze hulplijn is. Schrijf hier niet. Neem op een andere manier contact op met de hulplijn.",
  plainNotReady: "Deze hulplijn kan nog geen berichten ontvangen.",
  // Slice F (handover event, PROTOCOL.md §5.1): shown in the conversation where it happened.
  handoverTo: (name: string) => `Je gesprek is overgedragen aan ${name}.`,
  handoverTaken: (name: string) => `${name} heeft je gesprek overgenomen.`,
  statusSentence: (s: string) =>
    s === "closed"
      ? "Dit gesprek is afgesloten."
      : s === "waiting"
        ? "De hulplijn heeft geantwoord. Je kunt weer schrijven."
        : "De hulplijn heeft je bericht en antwoordt zo snel mogelijk.",
  // Issue 12: attachments (attachments.ts).
  ...attachmentsNl,
  // Slice G (issue 13): the optional questions after a first message (survey.ts).
  ...surveyNl,
  // Slice D (issue 10 item 5): the crisis block on every screen (crisis.ts).
  ...crisisNl,
};

type Shape<T> = {
  readonly [K in keyof T]: T[K] extends (...args: infer A) => string ? (...args: A) => string : string;
};

/** Every message key with its shape: a string, or a function that makes one. */
export type Messages = Shape<typeof nl>;
