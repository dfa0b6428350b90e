import type { RootPin } from "@briefgeheim/client";

/**
 * Settings fixed when the app is built (apps/seeker/vite.config.ts replaces `__BRIEFGEHEIM_BUILD__`):
 * the pinned helpline roots, whether an unpinned helpline may be trusted on first use (demos and
 * development only), and where the quick exit goes. Nothing here comes from the server.
 */
export interface BuildConfig {
  /**
   * Helpline id -> pinned root fingerprint (or base64url root key), or `{ root, roster }` with the
   * minimum roster head, from config/pins.json.
   */
  readonly pins: Readonly<Record<string, RootPin>>;
  /** Development and demo builds only: an unpinned helpline is usable, with a warning. */
  readonly trustOnFirstUse: boolean;
  /** The neutral site the quick exit replaces the page with. */
  readonly exitUrl: string;
}

declare const __BRIEFGEHEIM_BUILD__: BuildConfig;

export const BUILD: BuildConfig = __BRIEFGEHEIM_BUILD__;
