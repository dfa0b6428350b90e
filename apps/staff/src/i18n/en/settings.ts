import type { settings as nl } from "../nl/settings.js";
import type { Shape } from "../shape.js";

/** English texts, helpline settings: crisis options, quick exit, retention and lock (slice D). */
export const settings: Shape<typeof nl> = {
  crisisTitle: "Crisis help",
  crisisLead:
    "Help-seekers see these numbers and websites on every screen, for when waiting for a reply is not possible. They are signed with the profile.",
  crisisEmpty: "No crisis help of your own: the app then shows 112, 113 Suicide prevention and Veilig Thuis.",
  crisisOption: (n: number) => `Crisis help ${n}`,
  crisisKind: "Kind",
  crisisKindPhone: "Phone number",
  crisisKindUrl: "Website",
  crisisLabelNl: "Text (Dutch)",
  crisisLabelEn: "Text (English)",
  crisisTargetPhone: "Phone number (digits, spaces, dashes)",
  crisisTargetUrl: "Address (starts with https://)",
  crisisRemove: (n: number) => `Remove crisis help ${n}`,
  crisisAdd: "Add crisis help",
  crisisDefaults: "Fill in 112, 113 and Veilig Thuis",
  crisisMax: (n: number) => `At most ${n} options.`,
  exitLabel: "Quick exit: go to this website",
  exitHint: "An ordinary, unremarkable website (https://). Empty: the website the operator set.",
  proposalTitle: "The operator's proposal",
  proposalLead:
    "The operator proposes other details than the signed profile. Help-seekers see them only once a supervisor signs them.",
  proposalFields: (fields: string) => `Different: ${fields}.`,
  proposalAdopt: "Put the proposal in the form",
  proposalAdopted: "The proposal is in the form. Check it and sign it to publish it.",
  proposalFieldNames: {
    name: "name",
    descriptionNl: "description (Dutch)",
    descriptionEn: "description (English)",
    replyWithinHours: "reply time",
    crisisOptions: "crisis help",
    exitUrl: "quick-exit website",
  },
  serverTitle: "Keeping and locking",
  serverLead:
    "The server applies these settings itself; they are not signed. Every change goes into the audit log.",
  serverRetention: "Keep conversations after the last message (days)",
  serverRetentionHint:
    "Shortening also applies to existing conversations: what becomes too old is removed at the next clean-up.",
  serverLock: "Lock automatically after (minutes without activity)",
  serverSave: "Save settings",
  serverSaved: "The settings are saved and in the audit log.",
};
