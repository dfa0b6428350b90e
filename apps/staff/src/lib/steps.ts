import type { AcceptInviteProgress, StaffSignInProgress } from "@briefgeheim/client";
import { type Messages, t } from "../i18n/index.js";
import type { RecoverStep } from "./recover.js";

/** Every step of signing in, accepting an invite and recovering, as announced to the user. */
export type Step = StaffSignInProgress | AcceptInviteProgress | RecoverStep;

const STEP_TEXT: Record<Step, (m: Messages) => string> = {
  loading: (m) => m.signInStepLoading,
  "deriving-keys": (m) => m.signInStepDeriving,
  unlocking: (m) => m.signInStepUnlocking,
  "verifying-roster": (m) => m.signInStepRoster,
  "signing-in": (m) => m.signInStepSigningIn,
  "checking-invite": (m) => m.inviteStepChecking,
  "generating-keys": (m) => m.inviteStepKeys,
  "wrapping-key": (m) => m.inviteStepWrapping,
  uploading: (m) => m.inviteStepUploading,
  "checking-key": (m) => m.recoverStepChecking,
};

/** The sentence for a step (empty when there is none). */
export function stepText(step: Step | undefined): string {
  return step === undefined ? "" : STEP_TEXT[step](t());
}
