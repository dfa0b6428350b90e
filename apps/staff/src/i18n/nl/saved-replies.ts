/** Dutch texts of the saved replies and the signature (issue 10, staff item 6). */
export const savedReplies = {
  navReplies: "Standaardantwoorden",
  repliesTitle: "Standaardantwoorden",
  repliesLead:
    "Teksten die je vaak gebruikt, om in een antwoord te zetten. Ze worden versleuteld bewaard: de server kan ze niet lezen.",
  repliesLoading: "Standaardantwoorden worden geladen…",
  repliesOwnTitle: "Mijn standaardantwoorden",
  repliesOwnHint: "Alleen jij kunt deze lezen, op elk apparaat waarop je je aanmeldt.",
  repliesTeamTitle: "Standaardantwoorden van het team",
  repliesTeamHintSupervisor:
    "Iedereen in het team kan deze lezen en gebruiken. Alleen coördinatoren passen ze aan.",
  repliesTeamHintCounsellor: "Een coördinator stelt deze op. Je kunt ze gebruiken, maar niet aanpassen.",
  repliesNone: "Nog geen standaardantwoorden.",
  repliesTitleLabel: "Titel",
  repliesBodyLabel: "Tekst",
  repliesAdd: "Toevoegen",
  repliesSave: "Opslaan",
  repliesCancel: "Annuleren",
  repliesEdit: (title: string) => `„${title}” aanpassen`,
  repliesDelete: (title: string) => `„${title}” verwijderen`,
  repliesEditShort: "Aanpassen",
  repliesDeleteShort: "Verwijderen",
  repliesSaved: "Opgeslagen.",
  repliesDeleted: "Verwijderd.",
  repliesNeedTitle: "Geef het standaardantwoord een titel.",
  repliesNeedBody: "Schrijf de tekst van het standaardantwoord.",
  repliesTitleCount: (n: number, max: number) => `${n} van ${max} tekens`,
  signatureTitle: "Ondertekening",
  signatureHint:
    "Bijvoorbeeld je naam en de naam van de hulplijn. Je kunt hem in elk antwoord nog aanpassen.",
  signatureLabel: "Ondertekening",
  signatureAuto: "Automatisch onder een nieuw antwoord zetten",
  signatureSave: "Ondertekening opslaan",
  signatureSaved: "Ondertekening opgeslagen.",
  insertLabel: "Standaardantwoord invoegen",
  insertChoose: "Kies een standaardantwoord",
  insertOwnGroup: "Mijn antwoorden",
  insertTeamGroup: "Team",
  insertButton: "Invoegen",
  insertNothing: "Kies eerst een standaardantwoord.",
  insertDone: (title: string) => `„${title}” is ingevoegd.`,
  insertNone: "Je hebt nog geen standaardantwoorden. Maak ze aan onder Standaardantwoorden.",
  repliesErrors: {
    UNEXPECTED_RESPONSE:
      "De server gaf een onverwacht antwoord. Misschien is je wijziging niet bewaard. Open dit scherm opnieuw en kijk het na.",
    REVISION_CONFLICT:
      "Iemand anders heeft deze lijst intussen opgeslagen (misschien jijzelf op een ander apparaat). De lijst is opnieuw geladen. Doe je wijziging nog een keer.",
    TEAM_REPLIES_NOT_SHARED:
      "De standaardantwoorden van het team zijn nog niet met jou gedeeld. Vraag een coördinator om de lijst opnieuw te delen.",
    TEAM_REPLIES_SIGNER:
      "De standaardantwoorden van het team zijn opgeslagen door iemand die geen coördinator meer is. Ze worden niet getoond. Een coördinator moet ze opnieuw opslaan.",
    TEAM_REPLIES_ROLLBACK:
      "De server toont een oudere lijst dan je eerder zag. Ze wordt niet getoond. Waarschuw de beheerder.",
    SAVED_REPLIES_ROLLBACK:
      "De server toont een oudere lijst dan je eerder zag. Ze wordt niet getoond. Waarschuw de beheerder.",
    BAD_SIGNATURE: "De lijst is onderweg veranderd. Ze wordt niet getoond. Waarschuw de beheerder.",
    DECRYPT_FAILED: "De lijst kan niet worden geopend. Ze wordt niet getoond. Waarschuw de beheerder.",
    TOO_LARGE: "De lijst is te groot. Maak een standaardantwoord korter of verwijder er een.",
    PAYLOAD_TOO_LARGE: "De lijst is te groot. Maak een standaardantwoord korter of verwijder er een.",
  },
  repliesSupervisorStartOver: "Je kunt hieronder een nieuwe lijst voor het team opslaan.",
  repliesShareHint:
    "Het team is veranderd sinds deze lijst is opgeslagen. Nieuwe teamleden kunnen hem nog niet lezen. Kijk of dit de nieuwste lijst is en deel hem dan opnieuw.",
  repliesShareButton: "Opnieuw delen met het team",
  repliesShared: "De lijst is gedeeld met het hele team.",
};
