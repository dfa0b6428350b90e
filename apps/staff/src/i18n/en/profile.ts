import type { profile as nl } from "../nl/profile.js";
import type { Shape } from "../shape.js";

/** English texts, the helpline profile (what help-seekers see, signed by a supervisor). */
export const profile: Shape<typeof nl> = {
  navProfile: "Helpline",
  profileTitle: "Helpline profile",
  profileLead:
    "What help-seekers see about the helpline: its name, a description in Dutch and in English, and within how many hours you reply. Their app shows only what a supervisor signed.",
  profileNotOpen:
    "The helpline is not open yet: there is no signed profile. Check the operator's proposal below and sign it to open the helpline.",
  profileOpen: (version: number) => `Open. Help-seekers see version ${version} of the profile.`,
  profileName: "Name",
  profileDescriptionNl: "Description (Dutch)",
  profileDescriptionEn: "Description (English)",
  profileReplyHours: "Reply within (hours)",
  profileSignNote: "Saving signs a new version with your key.",
  profileSign: "Sign and publish",
  profileSignOpen: "Sign and open the helpline",
  profileSaved: (version: number) => `Version ${version} is signed and published.`,
};
