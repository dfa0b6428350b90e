import type { access as nl } from "../nl/access.js";
import { plural } from "../plural.js";
import type { Shape } from "../shape.js";

/** English texts, signing in, locking, invitations, passphrases, the recovery sheet and recovery. Typed against the Dutch part: a missing or extra key is a type error. */
export const access: Shape<typeof nl> = {
  signInTitle: "Sign in",
  signInLead: "Sign in with your username and passphrase.",
  signInUsername: "Username",
  signInPassphrase: "Passphrase",
  signInSubmit: "Sign in",
  signInMissing: "Enter your username and passphrase.",
  signInForgot: "Forgot your passphrase? Use your recovery key",
  signInNoticeSignedOut: "You are signed out. The keys were wiped from this browser's memory.",
  signInNoticeExpired: "Your session has expired. Please sign in again.",
  signInNoticeRemoved: "Your account was removed from the team. You no longer have access.",
  signInStepLoading: "Loading encryption…",
  signInStepDeriving: "Deriving the key from your passphrase (this takes a moment)…",
  signInStepUnlocking: "Unlocking keys…",
  signInStepRoster: "Checking the helpline's team list…",
  signInStepSigningIn: "Signing in…",
  signInRateLimited: (seconds: number) =>
    `Too many sign-in attempts from this address. Try again in ${
      seconds < 90
        ? plural("en", seconds, { one: "1 second", other: `${seconds} seconds` })
        : `${Math.ceil(seconds / 60)} minutes`
    }.`,
  lockedTitle: "Locked",
  lockedLead: (username: string) =>
    `The app locked after a period without activity (${username}). Keys and messages were wiped from memory.`,
  lockedUnlock: "Unlock",
  lockedSomeoneElse: "Sign in as someone else",
  inviteTitle: "Accept invitation",
  inviteLoading: "Checking the invitation…",
  inviteToSignIn: "Go to sign in",
  inviteLeadCounsellor: (helpline: string) => `You are invited as a counsellor at ${helpline}.`,
  inviteLeadSupervisor: (helpline: string) => `You are invited as a supervisor at ${helpline}.`,
  inviteFirstSupervisor:
    "You are the first supervisor. Your browser now also creates the helpline's root key. Afterwards you get a recovery sheet with that key and the fingerprint the helpline publishes.",
  inviteExpires: (at: string) => `This invitation can be used once and is valid until ${at}.`,
  inviteUsername: "Username",
  inviteUsernameHint: "3 to 32 characters: lower-case letters, digits, dot, underscore or hyphen.",
  inviteUsernameInvalid: "Choose a username of 3 to 32 characters (a-z, 0-9, . _ -).",
  inviteDisplayName: "Display name",
  inviteDisplayNameHint: "Help-seekers and colleagues see this name, for example your first name.",
  inviteDisplayNameInvalid: "Choose a display name (at most 64 characters).",
  inviteSubmit: "Create account",
  inviteSubmitFirst: "Create account and helpline key",
  inviteStepChecking: "Checking the invitation…",
  inviteStepKeys: "Creating keys in this browser…",
  inviteStepWrapping: "Encrypting the key with your passphrase (this takes a moment)…",
  inviteStepUploading: "Storing the encrypted keys…",
  passphraseLegend: "Passphrase",
  passphraseHint: (n: number) =>
    `At least ${n} characters. A sentence of four or more unrelated words is strong and easy to remember. Nobody can recover it for you.`,
  passphraseNew: "New passphrase",
  passphraseAgain: "Repeat the passphrase",
  passphraseTooShort: (n: number) => `The passphrase must have at least ${n} characters.`,
  passphraseTooWeak: "This passphrase is too easy to guess. Make it longer or less predictable.",
  passphraseMismatch: "The two passphrases are not the same.",
  strengthLabel: "Strength",
  strengthEmpty: "nothing entered yet",
  sheetTitle: "Your recovery sheet",
  sheetLead: "Print this sheet or copy it by hand, and keep it somewhere safe. It is shown only once.",
  sheetHeading: "Briefgeheim – recovery sheet",
  sheetHelpline: "Helpline",
  sheetUsername: "Username",
  sheetDisplayName: "Display name",
  sheetRole: "Role",
  sheetDate: "Created",
  sheetRecoveryKey: "Recovery key",
  sheetRecoveryUse:
    "Forgot your passphrase? Choose ‘Forgot your passphrase’ on the sign-in screen and type this key to set a new passphrase.",
  sheetRootTitle: "The helpline's root key",
  sheetRootUse:
    "It founded the helpline's team list. It is stored nowhere else: not on the server, not in this browser. You need it only when no supervisor is left, or to replace it by a new root key. Keep it separately, for example in a safe. Whoever holds it can decide who can read messages.",
  sheetFingerprint: "Fingerprint to publish",
  sheetFingerprintUse:
    "Publish this fingerprint (for example on the helpline's website) and have the operator pin it in the apps.",
  sheetKeepSafe: "Share this sheet with nobody. The server does not have these keys.",
  sheetPrint: "Print",
  sheetConfirm: "I have printed this sheet or stored it safely",
  sheetConfirmFirst: "First confirm that you have kept the recovery sheet.",
  sheetContinue: "Continue",
  sheetGone: "The recovery sheet is no longer available.",
  pendingTitle: "Almost done",
  pendingLead: (username: string) =>
    `Your account ${username} was created. A supervisor still has to admit you to the team.`,
  pendingThen: "Sign in once that has happened.",
  pendingSafetyCode: "Your safety code",
  pendingRole: (role: string) => `For the role: ${role}`,
  pendingSafetyHint:
    "The supervisor who admits you may ask you to read out this code (by phone or in person, not through this platform) and compare it with the code on their own screen. Say the role too: the code belongs to your keys and to this role. That way you know your keys, with the role of your invitation, are the ones put on the team list.",
  myKeysTitle: "My keys",
  myKeysSafetyCode: "My safety code",
  myKeysHint:
    "The same code is shown next to your name on the supervisors' team screen. If it differs, warn the operator.",
  recoverTitle: "New passphrase with your recovery key",
  recoverLead: "Type the recovery key from your recovery sheet. Case, spaces and dashes do not matter.",
  recoverKey: "Recovery key",
  recoverKeyHint: "36 characters, in groups of four.",
  recoverKeyMissing: "Type your recovery key.",
  recoverSubmit: "Set new passphrase",
  recoverBack: "Back to sign in",
  recoverStepChecking: "Checking the recovery key…",
  strengthNames: {
    "0": "very weak",
    "1": "weak",
    "2": "fair",
    "3": "strong",
    "4": "very strong",
  },
};
