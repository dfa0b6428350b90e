/**
 * The lazily loaded half of the app: the client SDK with libsodium. Only `./sdk.ts` imports this
 * module, with a dynamic `import()`, so the first screen never waits for it.
 */
// First, before any module that builds zod schemas (ESM evaluates imports in order).
import "./zod-jitless.js";

export * from "@briefgeheim/client";
