/** Dutch texts, the inbox and one thread. */
export const inbox = {
  inboxTitle: "Postvak",
  inboxLoading: "Gesprekken laden…",
  inboxRefresh: "Vernieuwen",
  inboxUpdated: (at: string) => `Bijgewerkt om ${at}.`,
  inboxSearch: "Zoeken in gesprekken",
  inboxSearchHint:
    "Er wordt alleen in deze browser gezocht, in onderwerpen en berichten die hier zijn ontsleuteld. Er gaat niets naar de server.",
  inboxSearchResults: (n: number, done: number, total: number) =>
    n === 1
      ? `${n} gesprek gevonden (doorzocht: ${done} van ${total}).`
      : `${n} gesprekken gevonden (doorzocht: ${done} van ${total}).`,
  inboxNoHits: "Geen gesprekken gevonden.",
  inboxIntake: "Intake",
  inboxIntakeHint: "Nieuwe gesprekken van het team. Pak er een op om te antwoorden.",
  inboxIntakeHintSupervisor: "Nieuwe gesprekken die nog niemand heeft opgepakt.",
  inboxIntakeEmpty: "Geen nieuwe gesprekken.",
  inboxMine: "Mijn gesprekken",
  inboxMineEmpty: "Je hebt nog geen gesprekken.",
  inboxAll: "Alle gesprekken",
  inboxAllEmpty: "Er zijn geen gesprekken buiten de intake.",
  inboxDecrypting: (id: string) => `Gesprek ${id} (wordt ontsleuteld…)`,
  inboxUnreadable: (id: string) => `Gesprek ${id}: kon niet worden geverifieerd`,
  inboxNoSubject: "(geen onderwerp)",
  inboxUnread: "Nieuw",
  inboxWaiting: (time: string) => `wacht ${time}`,
  inboxLastActivity: (ago: string) => `laatste bericht ${ago} geleden`,
  inboxFlagged: "coördinator gevraagd",
  inboxInIntake: "in de intake",
  inboxNoCounsellor: "geen hulpverlener",
  threadBack: "← Terug naar het postvak",
  threadLoading: "Gesprek laden en verifiëren…",
  threadUnavailableTitle: "Gesprek niet beschikbaar",
  threadNoAccess: "Dit gesprek bestaat niet, of je hebt er (niet langer) toegang toe.",
  threadTamperedTitle: "Waarschuwing: dit gesprek kon niet worden geverifieerd",
  threadTampered:
    "De sleutels of de volgorde van dit gesprek kloppen niet met wat de hulplijn heeft ondertekend. Daarom wordt er niets van getoond. Meld dit aan je coördinator en de beheerder.",
  threadNotVerifiedTitle: "Waarschuwing: niet alle berichten zijn geverifieerd",
  threadNotVerified: (n: number) =>
    n === 1
      ? `${n} controle klopt niet (een bericht vervalst, beschadigd, verplaatst, dubbel of weggelaten). Wat wel klopt, lees je gewoon; het probleem staat bij het bericht zelf. Meld dit aan je coördinator.`
      : `${n} controles kloppen niet (berichten vervalst, beschadigd, verplaatst, dubbel of weggelaten). Wat wel klopt, lees je gewoon; elk probleem staat bij het bericht zelf. Meld dit aan je coördinator.`,
  threadProblemAt: (n: number, reason: string) => `Bericht ${n}: ${reason}`,
  threadVerified: (n: number) =>
    n === 1
      ? `${n} bericht, ondertekend en in de juiste volgorde: geverifieerd.`
      : `Alle ${n} berichten zijn ondertekend en in de juiste volgorde: geverifieerd.`,
  threadVerifiedMark: "geverifieerd",
  threadVerifiedMarkLong: "Handtekening en volgorde van dit bericht zijn gecontroleerd.",
  threadUnreadableCount: (n: number) =>
    n === 1
      ? `${n} ouder bericht kun je niet lezen (van voor je toegang).`
      : `${n} oudere berichten kun je niet lezen (van voor je toegang).`,
  threadStatus: "Status",
  threadPromise: "Antwoordtermijn",
  threadDueAt: (at: string) => `antwoord uiterlijk ${at}`,
  threadAssigned: "Toegewezen aan",
  threadReaders: "Wie kan meelezen",
  threadReadersText: (helpline: string, counsellors: string) =>
    `${helpline} (coördinatoren) en ${counsellors}`,
  threadNoCounsellors: "geen hulpverlener",
  threadExpires: "Wordt verwijderd op",
  threadConversation: "Gesprek",
  threadFromMe: "Jij",
  threadFromSeeker: "Hulpvrager",
  threadFromHelpline: "Hulplijn",
  threadFromStaff: (name: string) => `${name} (hulplijn)`,
  threadStatusChanged: (status: string) => `Status gewijzigd in: ${status}`,
  threadClaimHint: "Dit gesprek staat in de intake. Pak het op om te antwoorden en notities te schrijven.",
  threadClaim: "Oppakken",
  threadClaimed: "Je hebt het gesprek opgepakt.",
  threadReply: "Antwoord aan de hulpvrager",
  threadReplyHint: "Je concept wordt versleuteld bewaard terwijl je typt.",
  threadReplyEmpty: "Schrijf eerst een antwoord.",
  threadSend: "Versturen",
  threadReplySent: "Je antwoord is versleuteld verstuurd.",
  threadDraftPending: "Concept wordt zo bewaard…",
  threadDraftSaved: (at: string) => `Concept versleuteld bewaard om ${at}.`,
  threadDraftRestored: (at: string) => `Je concept van ${at} is teruggezet.`,
  threadDraftFailed: (reason: string) => `Concept kon niet worden bewaard: ${reason}`,
  threadDraftUnavailable: (reason: string) => `Concept kon niet worden geladen: ${reason}`,
  threadReadOnly: "Je kunt dit gesprek lezen, maar niet (meer) antwoorden.",
  threadNotes: "Interne notities",
  threadNotesHint: "Alleen voor de hulplijn. De hulpvrager ziet deze notities nooit.",
  threadNoNotes: "Nog geen notities.",
  threadNotesAfterClaim: "Notities kunnen pas als het gesprek is opgepakt.",
  threadNotesReadOnly: "Je kunt hier geen notities toevoegen.",
  threadNote: "Nieuwe notitie",
  threadAddNote: "Notitie toevoegen",
  threadNoteEmpty: "Schrijf eerst een notitie.",
  threadNoteSaved: "Notitie versleuteld opgeslagen.",
  threadManage: "Beheer",
  threadSetStatus: "Status opslaan",
  threadStatusSaved: "Status opgeslagen.",
  threadAskSupervisor: "Coördinator om hulp vragen",
  threadFlagSupervisor: "Markeren voor coördinatoren",
  threadFlaggedYes: "Een coördinator is om hulp gevraagd.",
  threadFlaggedNo: "Niet gemarkeerd.",
  threadFlagSet: "De coördinatoren zien dat je om hulp vraagt.",
  threadFlagCleared: "De vraag aan de coördinator is ingetrokken.",
  threadAssignTo: "Toewijzen aan",
  threadChoose: "Kies…",
  threadAssign: "Toewijzen",
  threadAssignedDone: "Gesprek toegewezen. De sleutels zijn opnieuw toegekend.",
  threadId: (id: string) => `Gesprek ${id}`,
  problemUnknown: "klopt niet",
  statusNames: {
    open: "open",
    waiting: "wacht op hulpvrager",
    closed: "gesloten",
  },
  problems: {
    BAD_SIGNATURE: "handtekening klopt niet",
    UNKNOWN_SENDER: "onbekende afzender",
    WRONG_THREAD: "hoort bij een ander gesprek",
    UNKNOWN_EPOCH: "onbekende sleutelperiode",
    SEQ_GAP: "er ontbreekt een bericht",
    DUPLICATE: "dubbel bericht",
    BROKEN_LINK: "schakel in de keten klopt niet",
    REORDERED: "volgorde veranderd",
    SENDER_FORK: "afzender heeft twee versies",
    STALE_EPOCH: "verouderde sleutelperiode",
    DECRYPT_FAILED: "kon niet worden ontsleuteld",
    MISSING: "een bericht dat iemand al had gezien, is verdwenen",
    WITHHELD: "een bericht dat dit apparaat eerder zag, wordt niet meer getoond",
    NOT_REKEYED:
      "iemand die het team heeft verlaten, kan dit gesprek nog lezen tot een supervisor de sleutels vernieuwt (teamscherm)",
    AFTER_EPOCH_CHANGE: "geschreven nadat het gesprek was overgedragen (door iemand die niet meer meeleest)",
    EVENT_NOT_A_READER: "overdracht aan iemand die dit gesprek niet kan lezen",
    EVENT_SIGNER_NOT_ALLOWED: "overdracht gemeld door iemand die dat niet mag",
  },
  threadProblemInThread: (reason: string) => `In het gesprek: ${reason}`,
  threadDamagedMessage: "Beschadigd bericht: het is niet getoond, omdat het niet klopt.",
  threadMessageProblem: (reasons: string) => `Let op: ${reasons}`,
  threadContinuesPastDamaged: "Gaat verder na een beschadigd bericht.",
  threadNotVerifiedMark: "niet geverifieerd",
  charCount: (used: string, max: string) => `${used} van ${max} tekens`,
  charCountOver: (over: string, max: string) =>
    `${over} tekens te veel: een bericht mag hoogstens ${max} tekens hebben. Maak het korter of verdeel het over twee berichten.`,
  retryInSeconds: (seconds: number) =>
    `Probeer het over ${
      seconds < 90
        ? seconds === 1
          ? "1 seconde"
          : `${seconds} seconden`
        : `${Math.ceil(seconds / 60)} minuten`
    } opnieuw.`,
};
