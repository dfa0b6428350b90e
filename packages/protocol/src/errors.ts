import { z } from "zod";
import { ERROR_CODES, type ErrorBody, type ErrorCode } from "./error-codes.js";

export * from "./error-codes.js";

export const errorCodeSchema = z.enum(ERROR_CODES as [ErrorCode, ...ErrorCode[]]);

/** The body of every error response. */
export const errorBodySchema: z.ZodType<ErrorBody> = z.object({
  error: z.object({ code: errorCodeSchema, message: z.string() }),
});
