import { access } from "./en/access.js";
import { attachments } from "./en/attachments.js";
import { audit } from "./en/audit.js";
import { common } from "./en/common.js";
import { everyday } from "./en/everyday.js";
import { inbox } from "./en/inbox.js";
import { profile } from "./en/profile.js";
import { reading } from "./en/reading.js";
import { savedReplies } from "./en/saved-replies.js";
import { settings } from "./en/settings.js";
import { stats } from "./en/stats.js";
import { team } from "./en/team.js";
import type { Messages } from "./nl.js";

/**
 * English. Typed as `Messages`: a missing, extra or wrongly shaped key is a type error (each area in
 * `en/*.ts` is also typed against its Dutch part).
 */
export const en: Messages = {
  ...common,
  ...everyday,
  ...attachments,
  ...access,
  ...inbox,
  ...team,
  ...audit,
  ...profile,
  ...settings,
  ...reading,
  ...stats,
  ...savedReplies,
};
