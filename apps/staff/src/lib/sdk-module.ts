/**
 * The lazily loaded half of the app: the client SDK with libsodium. Only `./sdk.ts` imports this
 * module, with a dynamic `import()`, so the first screen never waits for it.
 */
// First, before any module that builds zod schemas (ESM evaluates imports in order).
import "./zod-jitless.js";

export * from "@briefgeheim/client";

// Slice B (issue 12): images are cleaned of hidden data before they are attached, and a name that
// could show as another is refused beside the picker (the SDK's own rule, ATTACHMENT_NAME_INVALID).
export { checkAttachmentName } from "@briefgeheim/crypto";
export { type PreparedFile, prepareFile } from "@briefgeheim/media";
