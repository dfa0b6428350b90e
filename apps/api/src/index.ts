/** @briefgeheim/api: the server as a library (tests, benchmarks, the client SDK's types). */
export { type AppOptions, type AppType, createApp } from "./app.js";
export { type Database, openDatabase } from "./db/client.js";
export { runMigrations } from "./db/migrate.js";
export { ProtocolOneDatabaseError, STORED_PROTOCOL } from "./db/protocol-check.js";
export { createWriter, Writer } from "./db/writer.js";
export { type Clock, systemClock } from "./deps.js";
export { jsonLogger, type Logger, memoryLogger, silentLogger } from "./logger.js";
export { runMaintenance } from "./maintenance.js";
export {
  DEFAULT_POW,
  POW_HEADER,
  type PowChallenge,
  type PowConfig,
  type PowPurpose,
  ProofOfWork,
  solvePow,
} from "./middleware/pow/index.js";
export {
  type CreatedHelpline,
  type CreatedOperatorInvite,
  createHelpline,
  createOperatorInvite,
  inviteLink,
  type NewHelpline,
  OperatorInputError,
  type OperatorOptions,
} from "./operator.js";
export { type HelplineSettingsInput, setHelplineSettings } from "./operator-settings.js";
export { DEFAULT_RATE_LIMITS, type RateLimitConfig, scaleRateLimits } from "./rate-limits.js";
export { DEFAULT_QUOTAS, type QuotaConfig, Quotas, scaleQuotas } from "./services/quotas.js";
export { powPurposeOf, TEST_QUOTAS } from "./testing/pow.js";
