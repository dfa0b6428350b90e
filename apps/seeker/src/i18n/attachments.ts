/**
 * Issue 12: attachments in the help-seeker app, Dutch (B1) and English. Spread into nl.ts and en.ts.
 */
export const attachmentsNl = {
  attachTitle: "Bestanden",
  attachAdd: "Bestand toevoegen",
  attachHint: (files: number, size: string) =>
    `Je kunt ${files} bestanden meesturen, elk hoogstens ${size}. Bijvoorbeeld een foto of een PDF.`,
  attachPhotoNote:
    "Uit foto's halen we eerst verborgen gegevens, zoals de plek waar de foto is gemaakt, de datum en het toestel.",
  attachPhotoWarning:
    "Let op: op een foto kun je nog steeds gezichten, adressen, namen of schermen zien. Kijk goed wat er op de foto staat.",
  attachCleaned: "Verborgen gegevens weggehaald",
  attachRemove: "Weghalen",
  attachRemoveLabel: (name: string) => `${name} weghalen`,
  attachListLabel: "Bestanden bij je bericht",
  attachTooBig: (name: string, max: string) =>
    `${name} is te groot. Een bestand mag hoogstens ${max} zijn. Het is niet toegevoegd.`,
  attachTooMany: (max: number) => `Je kunt hoogstens ${max} bestanden meesturen. Haal eerst een bestand weg.`,
  attachEmpty: (name: string) => `${name} is leeg. Het is niet toegevoegd.`,
  attachImageUnsupported: (name: string) =>
    `We kunnen de verborgen gegevens niet uit ${name} halen. Daarom is de foto niet toegevoegd. Maak er een schermafbeelding van, of kies een JPG- of PNG-foto.`,
  attachImageBroken: (name: string) => `${name} lijkt beschadigd. Daarom is de foto niet toegevoegd.`,
  attachNameInvalid: (name: string) =>
    `De naam van ${name} bevat verborgen tekens. Daarom is het bestand niet toegevoegd. Geef het bestand een andere naam en voeg het opnieuw toe.`,
  attachPhasePreparing: "voorbereiden",
  attachPhaseEncrypting: "versleutelen",
  attachPhaseUploading: "versturen",
  attachPhaseDownloading: "ophalen",
  attachPhaseDecrypting: "ontsleutelen",
  attachProgress: (name: string, phase: string, percent: number) => `${name}: ${phase}, ${percent}%`,
  attachDone: "klaar",
  attachInMessage: "Bestanden",
  attachDownload: "Downloaden",
  attachDownloadLabel: (name: string) => `${name} downloaden`,
  attachShow: "Bekijken",
  attachShowLabel: (name: string) => `${name} bekijken`,
  attachHide: "Verbergen",
  attachImageAlt: (name: string) => `Foto: ${name}`,
  attachDownloadNote:
    "Een bestand dat je downloadt, blijft op dit apparaat staan. Gooi het weg als iemand anders dit apparaat ook gebruikt.",
  attachTampered: (name: string) =>
    `${name} is onderweg veranderd of beschadigd. Daarom openen we het niet. Vraag de hulplijn om het opnieuw te sturen.`,
  attachFetchFailed: (name: string, reason: string) => `${name} kon niet worden opgehaald. ${reason}`,
  errorAttachTooLarge: "Een bestand is groter dan de hulplijn toestaat. Er is niets verstuurd.",
  errorAttachTooMany: "Je stuurt meer bestanden mee dan mag. Er is niets verstuurd.",
  errorAttachQuota: (wait: string) =>
    `In dit gesprek zijn vandaag al veel bestanden gestuurd. Je kunt weer bestanden sturen ${wait}. Er is niets verstuurd.`,
  errorAttachSessionQuota: (wait: string) =>
    `Je hebt vandaag al veel bestanden gestuurd. Je kunt weer bestanden sturen ${wait}. Er is niets verstuurd.`,
  errorAttachAddressQuota: (wait: string) =>
    `Via deze internetverbinding zijn vandaag al veel bestanden gestuurd. Je kunt weer bestanden sturen ${wait}. Er is niets verstuurd.`,
  errorAttachUnsentFull: (wait: string) =>
    `De hulplijn kan nu even geen bestanden aannemen. Probeer het ${wait} opnieuw. Er is niets verstuurd.`,
  errorAttachInterrupted:
    "Het versturen van een bestand is onderbroken. Je bericht is nog niet verstuurd. Probeer het opnieuw: we gaan verder waar het stopte.",
  errorAttachGone:
    "Een bestand is niet meer op de server. Haal het weg en voeg het opnieuw toe. Er is niets verstuurd.",
};

export const attachmentsEn: typeof attachmentsNl = {
  attachTitle: "Files",
  attachAdd: "Add a file",
  attachHint: (files: number, size: string) =>
    `You can send ${files} files, each at most ${size}. For example a photo or a PDF.`,
  attachPhotoNote:
    "From photos we first remove hidden details, such as where the photo was taken, the date and the device.",
  attachPhotoWarning:
    "Please note: a photo can still show faces, addresses, names or screens. Look carefully at what is in the photo.",
  attachCleaned: "Hidden details removed",
  attachRemove: "Remove",
  attachRemoveLabel: (name: string) => `Remove ${name}`,
  attachListLabel: "Files with your message",
  attachTooBig: (name: string, max: string) =>
    `${name} is too large. A file can be at most ${max}. It was not added.`,
  attachTooMany: (max: number) => `You can send at most ${max} files. Remove a file first.`,
  attachEmpty: (name: string) => `${name} is empty. It was not added.`,
  attachImageUnsupported: (name: string) =>
    `We cannot remove the hidden details from ${name}, so the photo was not added. Take a screenshot of it, or choose a JPG or PNG photo.`,
  attachImageBroken: (name: string) => `${name} seems to be damaged, so the photo was not added.`,
  attachNameInvalid: (name: string) =>
    `The name of ${name} has hidden characters, so the file was not added. Give the file another name and add it again.`,
  attachPhasePreparing: "preparing",
  attachPhaseEncrypting: "encrypting",
  attachPhaseUploading: "sending",
  attachPhaseDownloading: "fetching",
  attachPhaseDecrypting: "decrypting",
  attachProgress: (name: string, phase: string, percent: number) => `${name}: ${phase}, ${percent}%`,
  attachDone: "done",
  attachInMessage: "Files",
  attachDownload: "Download",
  attachDownloadLabel: (name: string) => `Download ${name}`,
  attachShow: "View",
  attachShowLabel: (name: string) => `View ${name}`,
  attachHide: "Hide",
  attachImageAlt: (name: string) => `Photo: ${name}`,
  attachDownloadNote:
    "A file you download stays on this device. Delete it if someone else also uses this device.",
  attachTampered: (name: string) =>
    `${name} was changed or damaged on the way, so we do not open it. Ask the helpline to send it again.`,
  attachFetchFailed: (name: string, reason: string) => `${name} could not be fetched. ${reason}`,
  errorAttachTooLarge: "A file is larger than the helpline allows. Nothing was sent.",
  errorAttachTooMany: "You are sending more files than allowed. Nothing was sent.",
  errorAttachQuota: (wait: string) =>
    `A lot of files have been sent in this conversation today. You can send files again ${wait}. Nothing was sent.`,
  errorAttachSessionQuota: (wait: string) =>
    `You have sent a lot of files today. You can send files again ${wait}. Nothing was sent.`,
  errorAttachAddressQuota: (wait: string) =>
    `A lot of files have been sent through this internet connection today. You can send files again ${wait}. Nothing was sent.`,
  errorAttachUnsentFull: (wait: string) =>
    `The helpline cannot take files right now. Try again ${wait}. Nothing was sent.`,
  errorAttachInterrupted:
    "Sending a file was interrupted. Your message has not been sent yet. Try again: we continue where it stopped.",
  errorAttachGone: "A file is no longer on the server. Remove it and add it again. Nothing was sent.",
};
