/**
 * The wire contract of the Briefgeheim HTTP API (docs/API.md): zod schemas for every request and
 * response, their inferred types, error codes with HTTP statuses and shared limits. Server and
 * clients import the same schemas. Pure TypeScript: no Node or DOM-only APIs beyond Web Crypto.
 */
export * from "./attachments.js";
export * from "./audit.js";
export * from "./auth.js";
export * from "./common.js";
export * from "./drafts.js";
export * from "./errors.js";
export * from "./health.js";
export * from "./helplines.js";
export * from "./invites.js";
export * from "./limits.js";
export * from "./saved-replies.js";
export * from "./staff.js";
export * from "./stats.js";
export * from "./stats-report.js";
export * from "./threads.js";
