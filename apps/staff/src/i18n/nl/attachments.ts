/** Dutch texts, attachments (issue 12): files with a reply and the files of a message. */
export const attachments = {
  attachTitle: "Bestanden",
  attachAdd: "Bestand toevoegen",
  attachHint: (files: number, size: string) =>
    `Hoogstens ${files} bestanden per bericht, elk hoogstens ${size}. Uit foto's (JPG, PNG, WebP) halen we eerst de verborgen gegevens: plaats, datum, toestel.`,
  attachPhotoWarning:
    "Let op: op een foto kunnen nog steeds gezichten, adressen, namen of schermen te zien zijn.",
  attachCleaned: "Verborgen gegevens weggehaald",
  attachRemove: "Weghalen",
  attachRemoveLabel: (name: string) => `${name} weghalen`,
  attachListLabel: "Bestanden bij je antwoord",
  attachTooBig: (name: string, max: string) =>
    `${name} is te groot: een bestand mag hoogstens ${max} zijn. Het is niet toegevoegd.`,
  attachTooMany: (max: number) => `Hoogstens ${max} bestanden per bericht. Haal eerst een bestand weg.`,
  attachEmpty: (name: string) => `${name} is leeg. Het is niet toegevoegd.`,
  attachImageUnsupported: (name: string) =>
    `De verborgen gegevens van ${name} kunnen niet worden weggehaald (alleen JPG, PNG en WebP). De afbeelding is niet toegevoegd.`,
  attachImageBroken: (name: string) => `${name} lijkt beschadigd. De afbeelding is niet toegevoegd.`,
  attachNameInvalid: (name: string) =>
    `De naam van ${name} bevat onzichtbare tekens, waardoor de naam anders kan lezen dan hij is. Het bestand is niet toegevoegd. Geef het een andere naam.`,
  attachPickAgain: "Kies het bestand opnieuw",
  attachPickAgainLabel: (name: string) => `Kies ${name} opnieuw om het versturen af te maken`,
  attachNeedsFile:
    "Dit bestand was half verstuurd toen de pagina sloot. Kies hetzelfde bestand opnieuw; het versturen gaat verder waar het stopte.",
  attachPhases: {
    preparing: "voorbereiden",
    encrypting: "versleutelen",
    uploading: "versturen",
    downloading: "ophalen",
    decrypting: "ontsleutelen",
  },
  attachProgress: (name: string, phase: string, percent: number) => `${name}: ${phase}, ${percent}%`,
  attachDone: "klaar",
  attachInMessage: "Bestanden",
  attachDownload: "Downloaden",
  attachDownloadLabel: (name: string) => `${name} downloaden`,
  attachShow: "Bekijken",
  attachShowLabel: (name: string) => `${name} bekijken`,
  attachHide: "Verbergen",
  attachImageAlt: (name: string) => `Afbeelding: ${name}`,
  attachTampered: (name: string) =>
    `${name} is onderweg veranderd of beschadigd (de controle faalde). Het bestand wordt niet geopend.`,
  attachFetchFailed: (name: string, reason: string) => `${name} kon niet worden opgehaald. ${reason}`,
  errorAttachTooLarge: "Een bestand is groter dan de hulplijn toestaat. Er is niets verstuurd.",
  errorAttachTooMany: "Er gaan meer bestanden mee dan de hulplijn toestaat. Er is niets verstuurd.",
  errorAttachQuota: "De bestanden voor dit gesprek zijn voor vandaag op. Er is niets verstuurd.",
  errorAttachInterrupted:
    "Het versturen van een bestand is onderbroken. Het antwoord is nog niet verstuurd. Probeer opnieuw: het gaat verder waar het stopte.",
  errorAttachGone:
    "Een bestand staat niet meer klaar op de server, of is niet hetzelfde bestand. Haal het weg en voeg het opnieuw toe. Er is niets verstuurd.",
};
