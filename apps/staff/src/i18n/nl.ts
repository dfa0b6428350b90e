/**
 * Dutch, the default language and the source of the keys: `en.ts` must have exactly the same keys
 * with the same shapes (`Messages`), or the type check fails. Same shape as the help-seeker app's
 * catalog: strings, functions for texts with values, and a few maps for codes the server or the SDK
 * sends (errors, statuses, audit actions). Split by area (`nl/*.ts`), merged here into one object.
 */
import { access } from "./nl/access.js";
import { attachments } from "./nl/attachments.js";
import { audit } from "./nl/audit.js";
import { common } from "./nl/common.js";
import { everyday } from "./nl/everyday.js";
import { inbox } from "./nl/inbox.js";
import { profile } from "./nl/profile.js";
import { reading } from "./nl/reading.js";
import { savedReplies } from "./nl/saved-replies.js";
import { settings } from "./nl/settings.js";
import { stats } from "./nl/stats.js";
import { team } from "./nl/team.js";
import type { Shape } from "./shape.js";

export const nl = {
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

/** Every message key with its shape: a string, a function that makes one, or a map of strings. */
export type Messages = Shape<typeof nl>;
