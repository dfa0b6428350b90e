import type { RootPin } from "@briefgeheim/client";

/** What this build trusts, fixed at build time (vite.config.ts): the server cannot change it. */
export interface BuildConfig {
  /**
   * Pinned helpline roots by helpline id: fingerprint or base64url root public key, or `{ root, roster }`
   * with the minimum roster head the build was made with.
   */
  readonly pins: Readonly<Record<string, RootPin>>;
  /** Development and test builds only: accept an unpinned helpline root, with a visible warning. */
  readonly trustOnFirstUse: boolean;
}

export const BUILD_CONFIG: BuildConfig =
  typeof __BRIEFGEHEIM_STAFF_CONFIG__ === "undefined"
    ? { pins: {}, trustOnFirstUse: false }
    : __BRIEFGEHEIM_STAFF_CONFIG__;
