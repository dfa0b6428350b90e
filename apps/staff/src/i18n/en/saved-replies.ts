import type { savedReplies as nl } from "../nl/saved-replies.js";
import type { Shape } from "../shape.js";

/** English texts of the saved replies and the signature (issue 10, staff item 6). */
export const savedReplies: Shape<typeof nl> = {
  navReplies: "Saved replies",
  repliesTitle: "Saved replies",
  repliesLead:
    "Texts you use often, to put into a reply. They are stored encrypted: the server cannot read them.",
  repliesLoading: "Loading saved replies…",
  repliesOwnTitle: "My saved replies",
  repliesOwnHint: "Only you can read these, on every device you sign in on.",
  repliesTeamTitle: "Team saved replies",
  repliesTeamHintSupervisor: "Everyone on the team can read and use these. Only supervisors change them.",
  repliesTeamHintCounsellor: "A supervisor writes these. You can use them but not change them.",
  repliesNone: "No saved replies yet.",
  repliesTitleLabel: "Title",
  repliesBodyLabel: "Text",
  repliesAdd: "Add",
  repliesSave: "Save",
  repliesCancel: "Cancel",
  repliesEdit: (title: string) => `Edit “${title}”`,
  repliesDelete: (title: string) => `Delete “${title}”`,
  repliesEditShort: "Edit",
  repliesDeleteShort: "Delete",
  repliesSaved: "Saved.",
  repliesDeleted: "Deleted.",
  repliesNeedTitle: "Give the saved reply a title.",
  repliesNeedBody: "Write the text of the saved reply.",
  repliesTitleCount: (n: number, max: number) => `${n} of ${max} characters`,
  signatureTitle: "Signature",
  signatureHint: "For example your name and the helpline's name. You can still change it in every reply.",
  signatureLabel: "Signature",
  signatureAuto: "Add it to a new reply automatically",
  signatureSave: "Save signature",
  signatureSaved: "Signature saved.",
  insertLabel: "Insert a saved reply",
  insertChoose: "Choose a saved reply",
  insertOwnGroup: "My replies",
  insertTeamGroup: "Team",
  insertButton: "Insert",
  insertNothing: "Choose a saved reply first.",
  insertDone: (title: string) => `“${title}” was inserted.`,
  insertNone: "You have no saved replies yet. Make them under Saved replies.",
  repliesErrors: {
    UNEXPECTED_RESPONSE:
      "The server gave an unexpected answer. Your change may not have been kept. Open this screen again and check.",
    REVISION_CONFLICT:
      "Someone else saved this list meanwhile (perhaps you, on another device). The list was loaded again. Make your change once more.",
    TEAM_REPLIES_NOT_SHARED:
      "The team's saved replies have not been shared with you yet. Ask a supervisor to share the list again.",
    TEAM_REPLIES_SIGNER:
      "The team's saved replies were saved by someone who is no longer a supervisor. They are not shown. A supervisor must save them again.",
    TEAM_REPLIES_ROLLBACK:
      "The server shows an older list than you saw before. It is not shown. Tell the administrator.",
    SAVED_REPLIES_ROLLBACK:
      "The server shows an older list than you saw before. It is not shown. Tell the administrator.",
    BAD_SIGNATURE: "The list was changed on its way. It is not shown. Tell the administrator.",
    DECRYPT_FAILED: "The list cannot be opened. It is not shown. Tell the administrator.",
    TOO_LARGE: "The list is too large. Shorten a saved reply or delete one.",
    PAYLOAD_TOO_LARGE: "The list is too large. Shorten a saved reply or delete one.",
  },
  repliesSupervisorStartOver: "You can save a new list for the team below.",
  repliesShareHint:
    "The team has changed since this list was saved. New team members cannot read it yet. Check that this is the newest list, then share it again.",
  repliesShareButton: "Share again with the team",
  repliesShared: "The list was shared with the whole team.",
};
