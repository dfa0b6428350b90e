import { plural } from "../plural.js";
/** Dutch texts, signing in, locking, invitations, passphrases, the recovery sheet and recovery. */
export const access = {
  signInTitle: "Aanmelden",
  signInLead: "Meld je aan met je gebruikersnaam en wachtwoordzin.",
  signInUsername: "Gebruikersnaam",
  signInPassphrase: "Wachtwoordzin",
  signInSubmit: "Aanmelden",
  signInMissing: "Vul je gebruikersnaam en wachtwoordzin in.",
  signInForgot: "Wachtwoordzin vergeten? Gebruik je herstelsleutel",
  signInNoticeSignedOut: "Je bent afgemeld. De sleutels zijn uit het geheugen van deze browser gewist.",
  signInNoticeExpired: "Je sessie is verlopen. Meld je opnieuw aan.",
  signInNoticeRemoved: "Je account is uit het team verwijderd. Je hebt geen toegang meer.",
  signInStepLoading: "Versleuteling laden…",
  signInStepDeriving: "Sleutel afleiden uit je wachtwoordzin (dit duurt even)…",
  signInStepUnlocking: "Sleutels ontgrendelen…",
  signInStepRoster: "Teamlijst van de hulplijn controleren…",
  signInStepSigningIn: "Aanmelden…",
  /** A 429 on sign-in, with the wait the server gave (Retry-After, in seconds). */
  signInRateLimited: (seconds: number) =>
    `Te veel aanmeldpogingen vanaf dit adres. Probeer het over ${
      seconds < 90
        ? plural("nl", seconds, { one: "1 seconde", other: `${seconds} seconden` })
        : `${Math.ceil(seconds / 60)} minuten`
    } opnieuw.`,
  lockedTitle: "Vergrendeld",
  lockedLead: (username: string) =>
    `De app is vergrendeld na een tijd zonder activiteit (${username}). Sleutels en berichten zijn uit het geheugen gewist.`,
  lockedUnlock: "Ontgrendelen",
  lockedSomeoneElse: "Als iemand anders aanmelden",
  inviteTitle: "Uitnodiging aannemen",
  inviteLoading: "Uitnodiging controleren…",
  inviteToSignIn: "Naar aanmelden",
  inviteLeadCounsellor: (helpline: string) => `Je bent uitgenodigd als hulpverlener bij ${helpline}.`,
  inviteLeadSupervisor: (helpline: string) => `Je bent uitgenodigd als coördinator bij ${helpline}.`,
  inviteFirstSupervisor:
    "Je bent de eerste coördinator. Je browser maakt nu ook de hoofdsleutel van de hulplijn. Je krijgt daarna een herstelblad met die sleutel en de vingerafdruk die de hulplijn publiceert.",
  inviteExpires: (at: string) => `Deze uitnodiging is eenmalig en geldig tot ${at}.`,
  inviteUsername: "Gebruikersnaam",
  inviteUsernameHint: "3 tot 32 tekens: kleine letters, cijfers, punt, liggend streepje of koppelteken.",
  inviteUsernameInvalid: "Kies een gebruikersnaam van 3 tot 32 tekens (a-z, 0-9, . _ -).",
  inviteDisplayName: "Weergavenaam",
  inviteDisplayNameHint: "Deze naam zien hulpvragers en collega's, bijvoorbeeld je voornaam.",
  inviteDisplayNameInvalid: "Kies een weergavenaam (hoogstens 64 tekens).",
  inviteSubmit: "Account maken",
  inviteSubmitFirst: "Account en hulplijnsleutel maken",
  inviteStepChecking: "Uitnodiging controleren…",
  inviteStepKeys: "Sleutels maken in deze browser…",
  inviteStepWrapping: "Sleutel versleutelen met je wachtwoordzin (dit duurt even)…",
  inviteStepUploading: "Versleutelde sleutels opslaan…",
  passphraseLegend: "Wachtwoordzin",
  passphraseHint: (n: number) =>
    `Minstens ${n} tekens. Een zin van vier of meer losse woorden is sterk en goed te onthouden. Niemand kan hem voor je terughalen.`,
  passphraseNew: "Nieuwe wachtwoordzin",
  passphraseAgain: "Herhaal de wachtwoordzin",
  passphraseTooShort: (n: number) => `De wachtwoordzin moet minstens ${n} tekens hebben.`,
  passphraseTooWeak: "Deze wachtwoordzin is te makkelijk te raden. Maak hem langer of minder voorspelbaar.",
  passphraseMismatch: "De twee wachtwoordzinnen zijn niet gelijk.",
  strengthLabel: "Sterkte",
  strengthEmpty: "nog niets ingevuld",
  sheetTitle: "Je herstelblad",
  sheetLead:
    "Druk dit blad af of schrijf het over, en bewaar het op een veilige plek. Het wordt maar één keer getoond.",
  sheetHeading: "Briefgeheim – herstelblad",
  sheetHelpline: "Hulplijn",
  sheetUsername: "Gebruikersnaam",
  sheetDisplayName: "Weergavenaam",
  sheetRole: "Rol",
  sheetDate: "Gemaakt op",
  sheetRecoveryKey: "Herstelsleutel",
  sheetRecoveryUse:
    "Ben je je wachtwoordzin vergeten? Kies op het aanmeldscherm ‘Wachtwoordzin vergeten’ en typ deze sleutel over om een nieuwe wachtwoordzin in te stellen.",
  sheetRootTitle: "Hoofdsleutel van de hulplijn",
  sheetRootUse:
    "Hiermee is de teamlijst van de hulplijn opgericht. Hij staat nergens anders: niet op de server en niet in deze browser. Je hebt hem alleen nodig als er geen coördinator meer is, of om hem door een nieuwe hoofdsleutel te vervangen. Bewaar hem apart, bijvoorbeeld in een kluis. Wie hem heeft, kan bepalen wie berichten kan lezen.",
  sheetFingerprint: "Vingerafdruk om te publiceren",
  sheetFingerprintUse:
    "Publiceer deze vingerafdruk (bijvoorbeeld op de website van de hulplijn) en laat de beheerder hem vastzetten in de apps.",
  sheetKeepSafe: "Deel dit blad met niemand. De server heeft deze sleutels niet.",
  sheetPrint: "Afdrukken",
  sheetConfirm: "Ik heb dit blad afgedrukt of veilig bewaard",
  sheetConfirmFirst: "Bevestig eerst dat je het herstelblad hebt bewaard.",
  sheetContinue: "Verder",
  sheetGone: "Het herstelblad is niet meer beschikbaar.",
  pendingTitle: "Bijna klaar",
  pendingLead: (username: string) =>
    `Je account ${username} is gemaakt. Een coördinator moet je nog toelaten tot het team.`,
  pendingThen: "Meld je aan zodra dat gebeurd is.",
  pendingSafetyCode: "Jouw veiligheidscode",
  pendingRole: (role: string) => `Voor de rol: ${role}`,
  pendingSafetyHint:
    "De coördinator die je toelaat, vraagt je misschien deze code voor te lezen (telefoon of in persoon, niet via dit platform) en vergelijkt hem met de code op het eigen scherm. Noem ook de rol erbij: de code hoort bij je sleutels én bij deze rol. Zo weet je zeker dat jouw sleutels, met de rol van je uitnodiging, op de teamlijst komen.",
  myKeysTitle: "Mijn sleutels",
  myKeysSafetyCode: "Mijn veiligheidscode",
  myKeysHint:
    "Dezelfde code staat bij jouw naam in het teamscherm van de coördinatoren. Verschilt hij, waarschuw dan de beheerder.",
  recoverTitle: "Nieuwe wachtwoordzin met je herstelsleutel",
  recoverLead:
    "Typ de herstelsleutel van je herstelblad over. Hoofdletters, spaties en streepjes maken niet uit.",
  recoverKey: "Herstelsleutel",
  recoverKeyHint: "36 tekens, in groepjes van vier.",
  recoverKeyMissing: "Typ je herstelsleutel.",
  recoverSubmit: "Nieuwe wachtwoordzin instellen",
  recoverBack: "Terug naar aanmelden",
  recoverStepChecking: "Herstelsleutel controleren…",
  strengthNames: {
    "0": "heel zwak",
    "1": "zwak",
    "2": "matig",
    "3": "sterk",
    "4": "heel sterk",
  },
};
