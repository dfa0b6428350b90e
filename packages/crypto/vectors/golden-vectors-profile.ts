/**
 * Golden vector of the signed helpline profile (docs/PROTOCOL.md §10): built from the fixed inputs,
 * signed by Vera (the golden supervisor, whose account key the key vectors fix), and checked
 * independently by verifying the committed bytes against the committed roster chain.
 */
import type { AccountKey, HelplineId } from "../src/core/brand.js";
import type { Sodium } from "../src/core/sodium.js";
import { deriveAccountKeys } from "../src/keys/account-keys.js";
import { signHelplineProfile, verifyHelplineProfile } from "../src/roster/helpline-profile.js";
import type { GoldenContext } from "./golden-vectors-context.js";
import { GOLDEN_HELPLINE_ID, GOLDEN_HELPLINE_TAG, GOLDEN_T0, hex, MINUTE } from "./golden-vectors-inputs.js";
import { expectBytes, expectSame, type VectorFile } from "./golden-vectors-read.js";
import type { NamedCheck } from "./golden-vectors-verify-keys.js";

/** Type 0x07: the first layout, kept so profiles stored before type 0x0b keep verifying. */
const PROFILE_INPUTS = {
  type: 0x07,
  helplineId: GOLDEN_HELPLINE_ID,
  tag: GOLDEN_HELPLINE_TAG,
  profileVersion: 1,
  issuedAt: GOLDEN_T0 + 3 * MINUTE,
  name: "De Luisterlijn",
  descriptionNl: "Schrijf ons, anoniem. Wij lezen alles.",
  descriptionEn: "Write to us, anonymously. We read everything.",
  replyWithinHours: 72,
} as const;

/** Type 0x0b: the same fields plus crisis options and the quick-exit destination (profile version 2). */
const SAFETY_PROFILE_INPUTS = {
  ...PROFILE_INPUTS,
  type: 0x0b,
  profileVersion: 2,
  issuedAt: GOLDEN_T0 + 4 * MINUTE,
  crisisOptions: [
    { kind: "phone", labelNl: "Direct gevaar: 112", labelEn: "Immediate danger: 112", target: "112" },
    { kind: "url", labelNl: "Chat met 113", labelEn: "Chat with 113", target: "https://www.113.nl/" },
  ],
  exitUrl: "https://www.buienradar.nl/",
} as const;

/** `helplineProfile`: the inputs, the signer and the exact bytes. */
export function buildProfileVectors(sodium: Sodium, veraAccountKey: AccountKey) {
  const signing = deriveAccountKeys(sodium, veraAccountKey).signing;
  const bytes = signHelplineProfile(sodium, PROFILE_INPUTS, signing);
  const safety = signHelplineProfile(sodium, SAFETY_PROFILE_INPUTS, signing);
  return {
    helplineProfile: {
      inputs: { ...PROFILE_INPUTS, signer: "vera" },
      expected: { signerPk: hex(sodium, signing.publicKey), bytes: hex(sodium, bytes) },
    },
    helplineSafetyProfile: {
      inputs: { ...SAFETY_PROFILE_INPUTS, signer: "vera" },
      expected: { signerPk: hex(sodium, signing.publicKey), bytes: hex(sodium, safety) },
    },
  };
}

/** The committed profile verifies against the committed roster chain and says what its inputs say. */
export function profileChecks(sodium: Sodium, file: VectorFile, ctx: GoldenContext): NamedCheck[] {
  return [
    {
      name: "helplineProfile: verify",
      run: () => {
        const roster = ctx.rosters().at(-1)!;
        const profile = verifyHelplineProfile(sodium, file.bytes("helplineProfile.expected.bytes"), {
          helplineId: file.text("helplineProfile.inputs.helplineId") as HelplineId,
          roster,
          tag: file.int("helplineProfile.inputs.tag"),
        });
        expectBytes(sodium, "signer", profile.signerPk, ctx.member("vera").signing.publicKey);
        expectBytes(sodium, "signerPk", profile.signerPk, file.bytes("helplineProfile.expected.signerPk"));
        for (const field of ["name", "descriptionNl", "descriptionEn"] as const) {
          expectSame(field, profile[field], file.text(`helplineProfile.inputs.${field}`));
        }
        expectSame(
          "profileVersion",
          profile.profileVersion,
          file.int("helplineProfile.inputs.profileVersion"),
        );
        expectSame(
          "replyWithinHours",
          profile.replyWithinHours,
          file.int("helplineProfile.inputs.replyWithinHours"),
        );
        expectSame("issuedAt", profile.issuedAt, file.int("helplineProfile.inputs.issuedAt"));
        expectSame("type", profile.type, 0x07);
      },
    },
    {
      name: "helplineSafetyProfile: verify",
      run: () => {
        const roster = ctx.rosters().at(-1)!;
        const bytes = file.bytes("helplineSafetyProfile.expected.bytes");
        const profile = verifyHelplineProfile(sodium, bytes, {
          helplineId: file.text("helplineSafetyProfile.inputs.helplineId") as HelplineId,
          roster,
          tag: file.int("helplineSafetyProfile.inputs.tag"),
          rememberedVersion: file.int("helplineProfile.inputs.profileVersion"),
        });
        expectSame("type", bytes[1], 0x0b);
        expectBytes(sodium, "signer", profile.signerPk, ctx.member("vera").signing.publicKey);
        for (const field of ["name", "descriptionNl", "descriptionEn", "exitUrl"] as const) {
          expectSame(field, profile[field], file.text(`helplineSafetyProfile.inputs.${field}`));
        }
        expectSame(
          "profileVersion",
          profile.profileVersion,
          file.int("helplineSafetyProfile.inputs.profileVersion"),
        );
        expectSame(
          "crisisOptions",
          JSON.stringify(profile.crisisOptions),
          JSON.stringify(file.at("helplineSafetyProfile.inputs.crisisOptions")),
        );
      },
    },
  ];
}
