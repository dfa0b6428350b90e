/**
 * Types the entry chunk shares with the lazy SDK chunk. Type-only imports are erased by the build,
 * so nothing here pulls `@briefgeheim/client` (or libsodium) into the entry.
 */
import type { SeekerSession, ThreadView } from "@briefgeheim/client";

export type {
  AttachmentLimits,
  AttachmentMeta,
  AttachmentProgress,
  SeekerProgress,
  SeekerSession,
  ThreadMessage,
  ThreadView,
} from "@briefgeheim/client";

/** A helpline as the API lists it (public: name, description, reply time, tag, root key). */
export type Helpline = SeekerSession["helpline"];

/** A thread's server metadata (status, times, expiry) as the help-seeker sees it. */
export type ThreadSummary = Awaited<ReturnType<SeekerSession["listThreads"]>>[number];

/** One verification problem of a thread (shown as a calm warning, never as a message). */
export type ThreadProblem = ThreadView["problems"][number];

/** How this build trusts a helpline's root key. */
export interface RootCheck {
  readonly status: "pinned" | "first-use" | "unpinned" | "mismatch" | "not-ready";
  readonly fingerprint?: string;
}

/**
 * A helpline's signed profile as this build verified it (docs/PROTOCOL.md §10): only `open` entries
 * carry what a help-seeker is shown; `not-open` has no signed profile yet; `refused` did not verify
 * (the reason code is for the message, the helpline itself is not shown).
 */
export type ProfileCheck =
  | {
      readonly status: "open";
      readonly name: string;
      readonly descriptionNl: string;
      readonly descriptionEn: string;
      readonly replyWithinHours: number;
      /** Signed crisis options (type 0x0b; empty for a 0x07 profile: the app's built-in ones). */
      readonly crisisOptions: readonly {
        readonly kind: "phone" | "url";
        readonly labelNl: string;
        readonly labelEn: string;
        readonly target: string;
      }[];
      /** Signed quick-exit destination; "" = the build's BRIEFGEHEIM_EXIT_URL. */
      readonly exitUrl: string;
    }
  | { readonly status: "not-open" }
  /** The root is not pinned in this build (or differs from the pin): nothing of it can be verified. */
  | { readonly status: "unusable" }
  | { readonly status: "refused"; readonly code: string };
