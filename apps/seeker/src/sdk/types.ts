/**
 * Types the entry chunk shares with the lazy SDK chunk. Type-only imports are erased by the build,
 * so nothing here pulls `@briefgeheim/client` (or libsodium) into the entry.
 */
import type { SeekerSession, ThreadView } from "@briefgeheim/client";

export type { SeekerProgress, SeekerSession, ThreadMessage, ThreadView } from "@briefgeheim/client";

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
