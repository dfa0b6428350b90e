/** Set by vite.config.ts at build time (see there). */
declare const __BRIEFGEHEIM_STAFF_CONFIG__: {
  readonly pins: Readonly<Record<string, import("@briefgeheim/client").RootPin>>;
  readonly trustOnFirstUse: boolean;
};

declare module "*.css";

/** Vite: the URL of a worker script built on its own (apps/staff/src/workers/pool.ts). */
declare module "*?worker&url" {
  const url: string;
  export default url;
}
