import type { common as nl } from "../nl/common.js";
import { plural } from "../plural.js";
import type { Shape } from "../shape.js";

/** English texts, shared by every screen: app frame, navigation, common words, durations, errors and code maps. Typed against the Dutch part: a missing or extra key is a type error. */
export const common: Shape<typeof nl> = {
  locale: "en-GB",
  otherLanguage: "Nederlands",
  otherLanguageLabel: "Wissel naar Nederlands",
  appTitle: "Briefgeheim – staff",
  appStaffApp: "staff",
  appSignedOut: "You are signed out.",
  appLoading: "Loading…",
  navSkip: "Skip to content",
  navLabel: "Main menu",
  navInbox: "Inbox",
  navOverview: "Overview",
  navTeam: "Team",
  navReassign: "Reassign",
  navAudit: "Audit log",
  navSignOut: "Sign out",
  footerE2ee: "Messages are encrypted and decrypted in this browser. The server only sees encrypted text.",
  footerLock: (minutes: number) =>
    `The app locks after ${plural("en", minutes, { one: `${minutes} minute`, other: `${minutes} minutes` })} without activity.`,
  footerFingerprint: (fingerprint: string) => `Helpline fingerprint: ${fingerprint}.`,
  commonYes: "yes",
  commonNo: "no",
  commonClose: "Close",
  tofuBuildWarning:
    "This build of the app is for development or tests: it also accepts helplines whose key is not pinned.",
  tofuSessionWarning: (fingerprint: string) =>
    `Warning: this helpline's key is not pinned in this app. Compare the fingerprint ${fingerprint} with the published fingerprint before you go on.`,
  durationDh: (d: number, h: number) => `${d} d ${h} h`,
  durationHm: (h: number, m: number) => `${h} h ${m} min`,
  durationM: (m: number) => `${m} min`,
  errorUnknown: "Something went wrong. Please try again.",
  errorWithCode: (code: string) => `Something went wrong (${code}). Please try again.`,
  errors: {
    NETWORK: "No connection to the server. Check your internet connection and try again.",
    INVALID_CREDENTIALS: "The username or passphrase is not right.",
    UNWRAP_FAILED: "The username or passphrase is not right.",
    ACCOUNT_REMOVED: "This account was removed from the team. Signing in is no longer possible.",
    NOT_ON_ROSTER: "Your account has not been admitted to the team yet. Ask a supervisor to admit you.",
    ROSTER_KEY_MISMATCH:
      "This account's keys do not match the team list. Do not sign in and warn the operator.",
    ROOT_NOT_PINNED:
      "This helpline's key is not pinned in this version of the app. Ask the operator to pin its fingerprint.",
    ROSTER_WRONG_ROOT:
      "The helpline uses another key than the one pinned in this app. Do not use the app and warn the operator.",
    ROSTER_ROLLBACK: "The server offered an older team list. Warn the operator.",
    ROSTER_CHAIN_BROKEN: "The helpline's team list is incomplete. Warn the operator.",
    ROSTER_INVALID: "The team list does not check out.",
    BAD_SIGNATURE: "A signature does not match.",
    THREAD_TAMPERED: "This conversation could not be verified and is not shown.",
    WORKER_LOST: "Counting was interrupted because one of the app's background workers stopped. Try again.",
    HELPLINE_NOT_READY: "This helpline has not been set up yet.",
    RATE_LIMITED: "Too many attempts. Wait a moment and try again.",
    INVITE_USED: "This invitation has been used already. Ask for a new one.",
    INVITE_EXPIRED: "This invitation has expired. Ask for a new one.",
    NOT_FOUND: "Not found, or you have no access to it.",
    USERNAME_TAKEN: "This username is taken. Choose another one.",
    SESSION_EXPIRED: "Your session has expired. Please sign in again.",
    UNAUTHENTICATED: "You are not (or no longer) signed in.",
    FORBIDDEN: "Your role does not allow this.",
    WIPED: "The app was locked; please sign in again.",
    INVALID_RECOVERY_KEY: "This recovery key contains a typo. Check it against your recovery sheet.",
    WEAK_KDF_PARAMS: "The server asked for a key derivation that is too weak. Tell the operator.",
    NO_ROOT_KEY: "You hold no copy of the root key. Ask another supervisor to share it.",
    NOT_A_SUPERVISOR: "Only a supervisor can do this.",
    NOT_A_READER: "You hold no key for this conversation.",
    EPOCH_CONFLICT: "The conversation changed meanwhile. Please try again.",
    SEQUENCE_CONFLICT: "The conversation changed meanwhile. Please try again.",
    ROSTER_CONFLICT: "The team list changed meanwhile. Please try again.",
    CONFLICT: "This clashes with an earlier change. Please try again.",
    VALIDATION_FAILED: "The input is not valid.",
    PAYLOAD_TOO_LARGE: "The message is too large.",
    SODIUM_UNAVAILABLE: "The encryption could not be loaded in this browser.",
    SELF_CHECK_FAILED: "The encryption does not work properly in this browser. Use another browser.",
    UNAVAILABLE: "The server is busy. Please try again shortly.",
    INTERNAL: "Server error. Please try again later.",
    UNEXPECTED_RESPONSE: "The server gave an unexpected answer.",
    WRONG_CONTEXT: "That is not possible in this conversation (yet).",
    INVITE_KEY_MISMATCH:
      "This account's keys are not bound to an invitation you made. Nothing was changed. Compare the safety code with the person, or invite them again.",
    SAFETY_CODE_MISMATCH:
      "The safety code does not match the keys the server shows. Nobody was admitted. Check the code again; if it really differs, do not admit the person and warn the operator.",
    ROSTER_FORK:
      "The server shows another team list than this device checked before (or than the one this app was built with). Do not use the app and warn the operator.",
    PROFILE_ROLLBACK:
      "The server shows an older helpline description, or none, while this device checked a newer one. Nothing was signed. Warn the operator.",
    PROFILE_TAG_MISMATCH:
      "The server proposes a code number that already belongs to another helpline. Nothing was signed. Warn the operator.",
    ROSTER_SIGNER_NOT_ALLOWED:
      "The team list is signed by someone who may not sign it (for example a removed supervisor). Do not use the app and warn the operator.",
    MALFORMED: "The link or input is damaged. Check that you copied the whole link.",
  },
  dueNames: {
    late: "late",
    "due-soon": "due soon",
    "on-time": "on time",
    answered: "answered",
  },
  roles: {
    counsellor: "counsellor",
    supervisor: "supervisor",
  },
};
