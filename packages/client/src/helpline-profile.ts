/**
 * The signed helpline directory (docs/PROTOCOL.md §10, issue 8 item 7): what a help-seeker is shown
 * about a helpline (name, descriptions, promised reply time, the tag its codes carry) comes from a
 * profile signed by a supervisor of the helpline's newest verified roster, or its current root, and is
 * verified against the pinned root here. The server's own `name`/`description` fields are never shown.
 */
import {
  type CrisisOption,
  fromBase64,
  type HelplineId,
  type HelplineProfile,
  type HelplineProfileFields,
  signHelplineProfile,
  toBase64,
  verifyHelplineProfile,
} from "@briefgeheim/crypto";
import type { Helpline } from "@briefgeheim/protocol";
import type { BriefgeheimClient } from "./client.js";
import { recallJson, rememberJson } from "./device-memory.js";
import { ClientError, guard, isClientError } from "./errors.js";
import type { TrustedHelpline } from "./helplines.js";
import { requireSupervisor, type StaffContext } from "./staff-context.js";
import { readJson } from "./transport.js";

export type { CrisisOption, HelplineProfile, HelplineProfileFields };

/** The DeviceMemory key of the newest profile version verified for a helpline. */
const memoryKey = (helplineId: string) => `helpline-profile:${helplineId}`;
const isVersion = (v: unknown): v is number => typeof v === "number" && Number.isSafeInteger(v) && v >= 1;

/** A helpline whose profile verified against the pinned root, with the roster it verified under. */
export interface OpenHelpline {
  readonly helpline: Helpline;
  readonly profile: HelplineProfile;
  readonly trusted: TrustedHelpline;
}

/**
 * Verifies the profile the server lists for a helpline whose roster chain is already trusted.
 * `HELPLINE_NOT_OPEN` when there is none yet; `BAD_SIGNATURE`, `PROFILE_SIGNER_NOT_ALLOWED`,
 * `WRONG_CONTEXT`, `PROFILE_TAG_MISMATCH` (with `tag`) or `PROFILE_ROLLBACK` (older than the version
 * this device verified before, kept in `client.memory`) when the server's profile is not the helpline's.
 */
export function checkProfile(
  client: BriefgeheimClient,
  trusted: TrustedHelpline,
  options: { readonly tag?: number } = {},
): HelplineProfile {
  const helplineId = trusted.helpline.id as HelplineId;
  const text = trusted.helpline.profile;
  if (text === null) {
    throw new ClientError("HELPLINE_NOT_OPEN", "this helpline has not signed its profile yet: not open yet");
  }
  let bytes: Uint8Array;
  try {
    bytes = fromBase64(client.sodium, text);
  } catch (e) {
    throw new ClientError("MALFORMED", "the helpline profile is not base64url", {
      source: "crypto",
      cause: e,
    });
  }
  const remembered = recallJson(client.memory, memoryKey(helplineId), isVersion);
  const profile = verifyHelplineProfile(client.sodium, bytes, {
    helplineId,
    roster: trusted.roster,
    ...(options.tag === undefined ? {} : { tag: options.tag }),
    ...(remembered === undefined ? {} : { rememberedVersion: remembered }),
  });
  if (remembered === undefined || profile.profileVersion > remembered) {
    rememberJson(client.memory, memoryKey(helplineId), profile.profileVersion);
  }
  return profile;
}

/**
 * A helpline's verified profile: the roster chain against the pin first (`client.helplines.trust`),
 * then the profile (see {@link checkProfile}). Pass `tag` when a code names the helpline: a profile
 * that signs another tag means the server routed the code to another helpline.
 *
 * @example
 * const { profile } = await openHelpline(client, helplineId);
 * show(profile.name, lang === "nl" ? profile.descriptionNl : profile.descriptionEn);
 */
export function openHelpline(
  client: BriefgeheimClient,
  helplineId: HelplineId,
  options: { readonly tag?: number } = {},
): Promise<OpenHelpline> {
  return guard(async () => {
    const trusted = await client.helplines.trust(helplineId);
    return { helpline: trusted.helpline, trusted, profile: checkProfile(client, trusted, options) };
  });
}

/** One entry of {@link helplineDirectory}: open (verified), not open yet, or refused with its reason. */
export type DirectoryEntry =
  | { readonly status: "open"; readonly helpline: Helpline; readonly profile: HelplineProfile }
  | { readonly status: "not-open"; readonly helpline: Helpline }
  | { readonly status: "refused"; readonly helpline: Helpline; readonly code: ClientError["code"] };

/**
 * Every helpline of the deployment with what the help-seeker may be shown: only `open` entries carry
 * a name and descriptions (from the verified profile); `not-open` is a pinned helpline without a
 * signed profile yet; `refused` says why a profile or roster did not verify (never shown as a helpline).
 *
 * @example
 * const open = (await helplineDirectory(client)).filter((e) => e.status === "open");
 */
export function helplineDirectory(client: BriefgeheimClient): Promise<DirectoryEntry[]> {
  return guard(async () => {
    const all = await client.helplines.list();
    const entries: DirectoryEntry[] = [];
    for (const helpline of all) {
      try {
        const { profile } = await openHelpline(client, helpline.id as HelplineId);
        entries.push({ status: "open", helpline, profile });
      } catch (e) {
        if (isClientError(e, "HELPLINE_NOT_OPEN") || isClientError(e, "HELPLINE_NOT_READY")) {
          entries.push({ status: "not-open", helpline });
        } else if (isClientError(e)) {
          entries.push({ status: "refused", helpline, code: e.code });
        } else {
          throw e;
        }
      }
    }
    return entries;
  });
}

/** What a supervisor edits: the fields of the current profile, or the operator's proposal before v1. */
export interface ProfileForEditing {
  /** Every field, the safety ones filled in (none signed yet: empty list, ""). */
  readonly fields: Required<HelplineProfileFields>;
  /** The verified current profile; undefined while the helpline is not open yet. */
  readonly current: HelplineProfile | undefined;
  /** The code tag the profile signs (the operator assigned it when creating the helpline). */
  readonly tag: number;
  /**
   * The operator's unsigned proposal (`helpline set`) when it differs from the signed profile: the
   * screen offers it, nobody signs it unseen. `undefined` when there is none (or before version 1,
   * where `fields` already is the proposal).
   */
  readonly proposal: Required<HelplineProfileFields> | undefined;
  /** What the server applies itself (unsigned): retention days and idle-lock minutes. */
  readonly settings: { readonly retentionDays: number; readonly lockAfterMinutes: number };
}

/** The server's unsigned copy of the profile fields (the operator's proposal, or the last signed). */
function unsignedFields(h: Helpline): Required<HelplineProfileFields> {
  return {
    name: h.name,
    descriptionNl: h.description,
    descriptionEn: h.descriptionEn ?? h.description,
    replyWithinHours: h.replyTimeHours,
    crisisOptions: h.crisisOptions ?? [],
    exitUrl: h.exitUrl ?? "",
  };
}

/** The fields a profile signs, with the safety fields filled in (a 0x07 profile has none). */
export function editableFields(p: HelplineProfileFields): Required<HelplineProfileFields> {
  return {
    name: p.name,
    descriptionNl: p.descriptionNl,
    descriptionEn: p.descriptionEn,
    replyWithinHours: p.replyWithinHours,
    crisisOptions: (p.crisisOptions ?? []).map((o) => ({ ...o })),
    exitUrl: p.exitUrl ?? "",
  };
}

const sameFields = (a: Required<HelplineProfileFields>, b: Required<HelplineProfileFields>) =>
  JSON.stringify(a) === JSON.stringify(b);

/**
 * The profile a supervisor starts from: the verified current one, or (not open yet) the name,
 * description and reply time the operator proposed, which nobody has signed.
 *
 * @example
 * const { fields, current } = await profileForEditing(ctx);
 */
export async function profileForEditing(ctx: StaffContext): Promise<ProfileForEditing> {
  await ctx.client.helplines.list(); // the newest profile the server lists, not a cached one
  const trusted = await ctx.client.helplines.trust(ctx.helplineId);
  if (trusted.helpline.profile === null || trusted.helpline.profile === undefined) {
    // A server that hides the current profile would otherwise have this supervisor sign version 1
    // over its own unsigned text and tag.
    const remembered = recallJson(ctx.client.memory, memoryKey(ctx.helplineId), isVersion);
    if (remembered !== undefined) {
      throw new ClientError(
        "PROFILE_ROLLBACK",
        `the server lists no profile, but this device verified profile version ${remembered}`,
        { source: "crypto" },
      );
    }
    const h = trusted.helpline;
    await refuseTagOfAnotherHelpline(ctx.client, ctx.helplineId, h.tag);
    return {
      fields: unsignedFields(h),
      current: undefined,
      tag: h.tag,
      proposal: undefined,
      settings: settingsOf(h),
    };
  }
  const current = checkProfile(ctx.client, trusted);
  const fields = editableFields(current);
  const unsigned = unsignedFields(trusted.helpline);
  return {
    fields,
    current,
    tag: current.tag,
    proposal: sameFields(fields, unsigned) ? undefined : unsigned,
    settings: settingsOf(trusted.helpline),
  };
}

const settingsOf = (h: Helpline) => ({
  retentionDays: h.retentionDays,
  lockAfterMinutes: h.lockAfterMinutes,
});

/**
 * Signs and publishes the next profile version with the supervisor's signing key (version 1 opens the
 * helpline to help-seekers). Always type 0x0b: `fields` is the whole new profile, so crisis options or
 * an exit destination left out are signed as none (start from `profileForEditing(ctx).fields`). A
 * profile another supervisor published meanwhile is `PROFILE_CONFLICT`: load again and retry.
 *
 * @example
 * const { fields } = await profileForEditing(ctx);
 * await publishHelplineProfile(ctx, { ...fields, replyWithinHours: 48 });
 */
export async function publishHelplineProfile(
  ctx: StaffContext,
  fields: HelplineProfileFields,
): Promise<HelplineProfile> {
  requireSupervisor(ctx);
  const { current, tag } = await profileForEditing(ctx);
  const bytes = signHelplineProfile(
    ctx.client.sodium,
    {
      helplineId: ctx.helplineId,
      tag,
      profileVersion: (current?.profileVersion ?? 0) + 1,
      issuedAt: ctx.client.now(),
      ...fields,
    },
    ctx.keys.signing,
  );
  await readJson(
    await ctx.client.api.helplines[":helplineId"].profile.$post({
      param: { helplineId: ctx.helplineId },
      json: { profile: toBase64(ctx.client.sodium, bytes) },
    }),
  );
  await ctx.client.helplines.list();
  const trusted = await ctx.client.helplines.trust(ctx.helplineId);
  return checkProfile(ctx.client, trusted, { tag });
}

/**
 * Refuses (`PROFILE_TAG_MISMATCH`, `details: { tag, helplineId }`) a code tag that the verified profile
 * of another helpline this build pins already signs: the tag of a new helpline comes from the server
 * unsigned, and signing another helpline's tag would let the server route that helpline's returning
 * codes here. Pinned helplines that do not verify (or are not open) are skipped.
 *
 * @example
 * await refuseTagOfAnotherHelpline(client, helplineId, proposed.tag);
 */
export async function refuseTagOfAnotherHelpline(
  client: BriefgeheimClient,
  helplineId: HelplineId,
  tag: number,
): Promise<void> {
  for (const id of client.helplines.pinnedIds()) {
    if (id === helplineId) continue;
    let taken: number;
    try {
      taken = (await openHelpline(client, id)).profile.tag;
    } catch (e) {
      if (isClientError(e)) continue;
      throw e;
    }
    if (taken === tag) {
      throw new ClientError(
        "PROFILE_TAG_MISMATCH",
        "the server proposes the code tag another pinned helpline signed: nothing was signed",
        { source: "crypto", details: { tag, helplineId: id } },
      );
    }
  }
}

/**
 * Profile version 1, signed by the first supervisor while accepting the operator's invite (the
 * helpline opens with it): the operator's proposal from the invite, or `fields` when the supervisor
 * changed it. The caller first refuses a tag another pinned helpline signed
 * ({@link refuseTagOfAnotherHelpline}). `undefined` when the server proposed nothing (an older server): the helpline then stays
 * "not open yet" until a supervisor publishes a profile from the staff app.
 */
export function firstProfile(
  client: BriefgeheimClient,
  helplineId: HelplineId,
  proposed: ({ readonly tag: number } & HelplineProfileFields) | null | undefined,
  signing: { readonly publicKey: Uint8Array; readonly secretKey: Uint8Array },
  fields?: HelplineProfileFields,
): string | undefined {
  if (proposed === null || proposed === undefined) return undefined;
  const chosen = fields ?? proposed;
  // Crisis options and the exit destination are signed only when the supervisor gave them: the
  // invite screen does not show them, so nothing the server proposes there is signed unseen.
  const safety =
    fields === undefined ? {} : { crisisOptions: fields.crisisOptions ?? [], exitUrl: fields.exitUrl ?? "" };
  const bytes = signHelplineProfile(
    client.sodium,
    {
      helplineId,
      tag: proposed.tag,
      profileVersion: 1,
      issuedAt: client.now(),
      name: chosen.name,
      descriptionNl: chosen.descriptionNl,
      descriptionEn: chosen.descriptionEn,
      replyWithinHours: chosen.replyWithinHours,
      ...safety,
    },
    signing,
  );
  return toBase64(client.sodium, bytes);
}
