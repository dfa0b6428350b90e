import { attachmentsEn } from "./attachments.js";
import { crisisEn } from "./crisis.js";
import type { Messages } from "./nl.js";
import { surveyEn } from "./survey.js";

/** English. Typed as `Messages`: a missing, extra or wrongly shaped key is a type error. */
export const en: Messages = {
  locale: "en-GB",
  otherLanguage: "Nederlands",
  otherLanguageLabel: "Wissel naar Nederlands",
  tabTitle: "Notes",

  skipToContent: "Skip to content",
  appName: "Briefgeheim",
  appTagline: "write to a helpline anonymously",
  footerSafety: "Browsing safely",
  footerHome: "Start",

  quickExit: "Exit now",
  quickExitLong: "leave this page",
  quickExitHint: "Or press Esc twice, or Shift three times.",
  shiftCount: (left: number) =>
    left === 1
      ? "Press Shift 1 more time to leave this page."
      : `Press Shift ${left} more times to leave this page.`,
  escCount: "Press Esc 1 more time to leave this page.",

  loading: "Loading…",
  resumeConversation: "Back to your conversation",
  justNow: "just now",
  back: "Back",

  startTitle: "Write to a helpline anonymously",
  startIntro:
    "You write without a name, e-mail address or phone number. Your message is encrypted in this browser: only the helpline can read it, not the people who run this website.",
  startChoose: "Choose a helpline",
  startNoHelplines: "There are no helplines here yet.",
  startListError: "The list of helplines could not be loaded. Check your internet connection and try again.",
  retry: "Try again",
  startReturnTitle: "Written before?",
  startReturnText: "Your code takes you back to your conversation, on any device.",
  startReturnLink: "I have a code",
  writeTo: (name: string) => `Write to ${name}`,

  replyTime: (hours: number) => {
    if (hours % 24 === 0) {
      const days = hours / 24;
      return days === 1 ? "Reply within 1 day" : `Reply within ${days} days`;
    }
    return hours === 1 ? "Reply within 1 hour" : `Reply within ${hours} hours`;
  },

  fingerprint: "Is this really the helpline?",
  fingerprintPending: "being checked…",
  rootPinned: "The helpline's key is built into this version of the website.",
  rootFirstUse:
    "Note: this key is not built into this version of the website (test version). Compare the fingerprint with the one on the helpline's own website before you write.",
  rootUnpinned:
    "You cannot use this helpline here yet: its key is not built into this version of the website.",
  rootMismatch:
    "Warning: this helpline's key is not the key built into this website. Do not write here. Contact the helpline in another way.",
  rootNotReady: "This helpline is not ready to receive messages yet.",

  helplineNotFound: "This helpline does not exist (any more).",
  helplineToStart: "To the list of helplines",
  helplineCompare:
    "Want to check for yourself? Open ‘Technical details’ and compare the fingerprint with the one on the helpline's own website. If they match, only this helpline can read your messages.",
  helplineRetention: (days: number) =>
    `A conversation is deleted for good ${days} days after its last message.`,
  helplineLock: (minutes: number) =>
    `If you are inactive for ${minutes} minutes, we close your conversation on this device.`,
  helplineStart: "Start writing",
  helplineVerifying: "Checking that this really is the helpline…",
  helplineVerifyFailed:
    "The helpline's keys could not be checked. Do not write here now, and try again later.",

  writeTitle: (name: string) => `Your message to ${name}`,
  writeMemoryNote:
    "Your message is only in this tab for now. If you close the tab, or are inactive for a while, it is gone. Once your code exists, we keep your draft encrypted.",
  writeSavedNote: "Your draft is kept encrypted. With your code you can continue writing later.",
  draftSaving: "Saving draft…",
  draftSaved: (time: string) => `Draft saved encrypted at ${time}.`,
  draftSaveFailed: "The draft could not be saved. Your text is still here.",
  draftRestored: "Your saved draft has been restored.",
  subject: "Subject",
  subjectHint: "A few words. The subject is encrypted too.",
  body: "Your message",
  bodyHint:
    "Write at your own pace. Only mention names, addresses or numbers if you want to. Never write your code in a message.",
  writeNext: "Next: make my code",
  writeNextCode: "Next: to my code",
  send: "Send",
  sending: "Sending…",
  bodyRequired: "Write your message first.",

  warningsTitle: "Please have another look at your message",
  warnContainsCode:
    "Your message seems to contain (part of) your code. Anyone who sees the message could then read your whole conversation. Take the code out of your message.",
  warnEmail: "Your message seems to contain an e-mail address. That is not needed: your reply arrives here.",
  warnPhone: "Your message seems to contain a phone number. That is not needed: your reply arrives here.",
  warnShort:
    "Your message is very short. Feel free to say a bit more, so the counsellor can help you better. It may also stay short.",
  warnEdit: "Edit",
  warnSendAnyway: "Send anyway",
  warnContinueAnyway: "Continue anyway",

  ceremonyTitle: "Your code",
  ceremonyMaking: "We are making your code. This takes a few seconds.",
  stepCheckingCode: "Checking the code",
  stepVerifyingHelpline: "Checking that this really is the helpline",
  stepDerivingKeys: "Getting your code ready",
  stepSigningIn: "Connecting securely",
  stepsLabel: "Progress",
  stepDone: "done",
  stepBusy: "in progress",
  ceremonyOnlyWay:
    "This code is the only way back to your conversation. We cannot look it up for you or make it again.",
  ceremonyBearer:
    "Anyone who has your code can read and delete your whole conversation. Give it to no one and never write it in a message.",
  ceremonyCodeLabel: "Your code, in groups of 4 characters",
  ceremonyKeep:
    "Write your code down, print it or save it as a text file. The note and the file do not say what the code is for. Keep it where no one else will find it.",
  print: "Print",
  download: "Save as a text file",
  downloadName: "note.txt",
  downloadText: (code: string) => `${code}\n`,
  printHeading: "Note",
  confirmTitle: "Check: type part of your code",
  confirmIntro: (a: number, b: number) => `Type group ${a} and group ${b} of your code.`,
  confirmGroup: (n: number) => `Group ${n}`,
  confirmWrong: "This does not match your code. Look again: capitals, spaces and dashes do not matter.",
  confirmSend: "Correct: send my message",
  ceremonyEdit: "Back to my message",
  ceremonyFailed: "Your code could not be made.",

  returnTitle: "Back to your conversation",
  returnIntro: "Enter your code. Your conversation is opened and decrypted in this browser.",
  codeLabel: "Your code",
  codeHint:
    "24 characters in groups, for example 07K2-MQX9-R4TB-ZD1E-H8PS-WN3C. Capitals, spaces and dashes do not matter.",
  openConversation: "Open my conversation",
  opening: "Opening…",
  codeEmpty: "Enter your code first.",
  codeFormat: (count: number) =>
    `A code has 24 letters and digits; you entered ${count}. Nothing has been sent yet.`,
  codeFormatChars:
    "This code contains characters that never appear in a code (such as U or punctuation). Look again; nothing has been sent yet.",
  codeChecksum:
    "This code is not right: it probably contains a typo. Look especially at characters that look alike, such as 5 and S, 2 and Z, 8 and B. Nothing has been sent yet.",
  noConversation:
    "There is no conversation (any more) for this code. It may have been deleted or expired, or you may have another code. You can also write a new message.",
  writeNew: "Write a new message",

  threadsTitle: "Your conversations",
  threadsIntro: "There are several conversations for this code.",
  threadStarted: (helpline: string, date: string) => `Conversation with ${helpline}, started on ${date}`,
  threadOpen: "Open",
  threadLast: (when: string) => `Last message ${when}`,

  conversationTitle: (name: string) => `Your conversation with ${name}`,
  reload: "Check for new messages",
  reloading: "Checking…",
  signOut: "Close",
  fromMe: "You",
  fromHelpline: (name: string) => name,
  fromCounsellor: (person: string, helpline: string) => `${person}, ${helpline}`,
  sentAt: (when: string) => `sent ${when}`,
  verified: "Verified",
  verifiedExplain: "This message is genuine and unchanged: its signature and its order are correct.",
  allVerified: "Every message in this conversation has been verified.",
  problemsTitle: "Not everything in this conversation could be verified",
  problemsText: (n: number) =>
    `${n === 1 ? "One check fails" : `${n} checks fail`}. What is wrong is marked on the message itself; a damaged message is not shown. This may be a fault, but it may also mean that someone tampered with the conversation. Messages marked "Verified" are genuine. You can go on writing. If this warning stays, contact the helpline in another way.`,
  tamperedTitle: "This conversation could not be verified",
  tamperedText:
    "We could not check that this conversation really is between you and the helpline. So we do not show the conversation and you cannot write in it now. Your code is safe. Try again later or contact the helpline in another way.",
  unreadable: (n: number) => (n === 1 ? "You cannot read one message." : `You cannot read ${n} messages.`),
  notVerified: "Not verified",
  damagedMessage: "Damaged message: not shown, because it does not check out.",
  messageProblem: (reasons: string) => `Careful: ${reasons}.`,
  continuesPastDamaged: "This message continues past a damaged message.",
  threadProblem: (reason: string) => `In this conversation: ${reason}.`,
  problemReason: (code: string) =>
    code === "MISSING"
      ? "a message that had been seen is gone"
      : code === "WITHHELD"
        ? "a message you saw before is no longer shown"
        : code === "AFTER_EPOCH_CHANGE"
          ? "written after the conversation was handed to someone else"
          : code === "SEQ_GAP"
            ? "a message is missing"
            : code === "BAD_SIGNATURE" || code === "DECRYPT_FAILED"
              ? "the message is damaged"
              : code === "REORDERED"
                ? "the order was changed"
                : code === "DUPLICATE"
                  ? "a message appears twice"
                  : code === "NOT_REKEYED"
                    ? "someone who no longer works at the helpline can still read new messages until the helpline renews the keys"
                    : code === "HISTORY_CHANGED"
                      ? "this message was put in later between messages you had already read"
                      : "the message does not check out",
  statusLabel: "About this conversation",
  status: (s: string) => (s === "closed" ? "closed" : s === "waiting" ? "waiting for you" : "open"),
  lastMessage: (when: string) => `Last message: ${when}.`,
  yourLastMessage: (when: string) => `You sent your last message ${when}.`,
  replyDue: (date: string) => `The helpline aims to reply before ${date}.`,
  expires: (date: string) =>
    `This conversation will be deleted for good on ${date}, unless a new message is added.`,

  readersTitle: "Who can read this conversation?",
  readersYou: "You, with your code.",
  readersHelpline: (name: string) => `${name}:`,
  readersCounsellors: (names: string) => `your counsellor: ${names}`,
  readersIntake: (names: string) =>
    names === ""
      ? "no counsellor assigned yet"
      : `no counsellor assigned yet; new messages are read by: ${names}`,
  readersSupervisors: "the helpline's supervisors (as a group)",
  readersNotServer: "The people who run this website cannot read your messages.",

  replyTitle: "Write another message",
  replyLabel: "Your message",
  replySent: "Your message has been sent.",
  sentFirst: "Your message has been sent. The helpline will read it as soon as possible.",

  deleteButton: "Delete conversation",
  deleteTitle: "Delete this conversation?",
  deleteText: "The whole conversation is deleted for good, also for the helpline. You cannot undo this.",
  deleteConfirm: "Yes, delete the conversation",
  deleteCancel: "No, keep it",
  deleting: "Deleting…",

  noticeLocked: (minutes: number) =>
    `You were inactive for ${minutes} minutes. To protect you, we closed and wiped everything on this device. Your code takes you back to your conversation.`,
  noticeSignedOut: "Your conversation is closed and wiped from this device. Your code takes you back.",
  noticeDeleted: "Your conversation has been deleted for good.",
  noticeExpired: "Your session has expired. Enter your code again to continue.",
  lockSoon:
    "You have been inactive for a while. In one minute we will close your conversation on this device.",
  lockStay: "I am still here",

  errorNetwork: "There is no connection to the server. Check your internet connection and try again.",
  errorRateLimited: "It is a bit busy. Wait a minute and try again.",
  errorNoHelpline: "The helpline of this code does not exist here (any more).",
  errorNotPinned:
    "You cannot use this code's helpline in this version of the website: its key is not built in.",
  errorWrongRoot:
    "Warning: this helpline's key is not the key built into this website. We stop here. Contact the helpline in another way.",
  errorRoster: "The helpline's keys could not be checked. We stop here. Try again later.",
  errorCrypto: "This browser cannot run the encryption. Try a recent version of another browser.",
  errorNotFound: "This conversation does not exist (any more).",
  errorUnknown: "Something went wrong. Please try again.",

  safetyTitle: "Browsing safely",
  safetyIntro:
    "Do you share a computer, tablet or phone with others? These tips help keep your visit private.",
  safetyPrivateTitle: "Use a private window",
  safetyPrivate:
    "Open this website in a private (incognito) window. When you close the window, the browser forgets which pages you visited.",
  safetyHistoryTitle: "Clear your history",
  safetyHistory:
    "If you do not use a private window, remove this website from your browser history and cache afterwards. The quick exit only keeps this page out of the back button, not out of the history.",
  safetyExitTitle: "Quick exit",
  safetyExit:
    "Someone coming? Click ‘Exit now’ or press Esc twice or Shift three times. Everything is wiped from memory and you land on an ordinary, unrelated website.",
  safetyCodeTitle: "Your code",
  safetyCode:
    "Do not let your browser or password manager save your code. Remove a saved code file from your downloads if others can look there, and do not leave a printout at the printer.",
  safetyLockTitle: "Automatic close",
  safetyLock:
    "If you are inactive for a while, we close your conversation by ourselves. This website keeps nothing on your device except a cookie that disappears when you close the browser.",
  safetyDeviceTitle: "Work or school device",
  safetyDevice:
    "On a work or school device, the administrator can sometimes watch. Prefer a device of your own.",

  // The signed helpline directory (docs/PROTOCOL.md §10).
  helplineChecking: "Checking this helpline…",
  helplineUnusable: "You cannot use this helpline here",
  helplineNotOpen: "Not open yet",
  helplineNotOpenText: "This helpline is not open yet. You cannot write here yet. Please look again later.",
  helplinesRefused: (n: number) =>
    n === 1
      ? "1 helpline is not shown: what the server sent about it was not signed by the helpline itself."
      : `${n} helplines are not shown: what the server sent about them was not signed by the helplines themselves.`,
  errorProfile:
    "This helpline's details were not signed by the helpline itself. We stop here. Try again later.",
  errorTagMismatch:
    "Warning: the server is sending your code to another helpline than the one your code belongs to. We stop here and nothing was sent. Try again later.",
  // Issue 9: limits shown before sending, the proof of work, and every refusal in one plain sentence.
  charCount: (used: string, max: string) => `${used} of ${max} characters`,
  charCountOver: (over: string, max: string) =>
    `${over === "1" ? "1 character" : `${over} characters`} too many: a message can have at most ${max} characters. Please shorten it.`,
  tooLong: (max: string) =>
    `Your message is too long to send. Please shorten it to at most ${max} characters.`,
  workProgress: (percent: number) =>
    `One moment: your browser is doing a small calculation that protects the helpline from misuse (${percent}%).`,
  workLabel: "Calculation against misuse",
  powFailed: "The check against misuse did not succeed. Nothing was sent. Please try again.",
  quotaExceeded: (wait: string) =>
    `A lot has been sent today from this connection or in this conversation. Nothing was sent. You can write again ${wait}.`,
  rateLimitedWait: (wait: string) => `It is a bit busy. Nothing was sent. Try again ${wait}.`,
  storageFull: "The helpline cannot take new messages right now. Nothing was sent. Please try again later.",
  waitSeconds: (n: number) => (n === 1 ? "in 1 second" : `in ${n} seconds`),
  waitMinutes: (n: number) => (n === 1 ? "in 1 minute" : `in ${n} minutes`),
  waitHours: (n: number) => (n === 1 ? "in about 1 hour" : `in about ${n} hours`),
  // Slice E (issue 10): nothing unsent is lost, quick exit by tap, the sent state, plain words.
  resumeWriting: "Back to your message",
  noticeLeftText:
    "The page was opened again. Your message had not been sent yet. No code yet? Then the text is gone: it was only in this tab. Did you already have a code? Then you can go on writing with your code.",
  noticeLeftCode:
    "The page was opened again while your code was on the screen. Your message has not been sent yet. Did you write down or save your code? Then you can go on with that code. Otherwise you can start again.",
  quickExitTouchHint: "Tap Exit now and you are on another website at once.",
  sentTitle: "Sent",
  sentWhen: (promise: string) => `${promise}.`,
  sentDue: (date: string) => `You will get an answer by ${date} at the latest.`,
  sentComeBack:
    "You will not get a notification. Come back later with your code to read the answer. You can also add something now.",
  writeAnother: "Write another message",
  technicalDetails: "Technical details",
  fingerprintLabel: "Key fingerprint",
  plainPinned: "Checked: this really is this helpline.",
  plainFirstUse:
    "Note: this is a test version. We could not check ourselves that this really is this helpline.",
  plainUnpinned: "You cannot use this helpline here yet.",
  plainMismatch:
    "Warning: we cannot check that this really is this helpline. Do not write here. Contact the helpline in another way.",
  plainNotReady: "This helpline cannot receive messages yet.",
  // Slice F (handover event, PROTOCOL.md §5.1): shown in the conversation where it happened.
  handoverTo: (name: string) => `Your conversation was handed over to ${name}.`,
  handoverTaken: (name: string) => `${name} took over your conversation.`,
  statusSentence: (s: string) =>
    s === "closed"
      ? "This conversation is closed."
      : s === "waiting"
        ? "The helpline has answered. You can write again."
        : "The helpline has your message and will answer as soon as possible.",
  // Issue 12: attachments (attachments.ts).
  ...attachmentsEn,
  // Slice G (issue 13): the optional questions after a first message (survey.ts).
  ...surveyEn,
  // Slice D (issue 10 item 5): the crisis block on every screen (crisis.ts).
  ...crisisEn,
};
