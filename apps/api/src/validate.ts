import { zValidator } from "@hono/zod-validator";
import type { ValidationTargets } from "hono";
import type { z } from "zod";
import { AppError } from "./errors.js";

/**
 * zod validation of one request part; a failure is `400 VALIDATION_FAILED` listing the failing paths
 * and rules (never the submitted values). Malformed JSON is `400 BAD_REQUEST` (from Hono).
 *
 * @example
 * app.post("/x", validate("json", schema), (c) => c.json(c.req.valid("json")));
 */
export function validate<T extends z.ZodType, Target extends keyof ValidationTargets>(
  target: Target,
  schema: T,
) {
  const middleware = zValidator(target, schema, (result) => {
    if (!result.success) throw new AppError("VALIDATION_FAILED", describeIssues(result.error.issues));
  });
  VALIDATED.set(middleware, { target, schema });
  return middleware;
}

/**
 * What each `validate(...)` middleware checks, keyed by the middleware itself: the OpenAPI document
 * (routes/openapi) reads a route's parameters, query and body from the middleware the app registered
 * for it, so the description cannot drift from the checks.
 */
export const VALIDATED = new WeakMap<object, { target: keyof ValidationTargets; schema: z.ZodType }>();

function describeIssues(issues: readonly z.core.$ZodIssue[]): string {
  const parts = issues.slice(0, 5).map((i) => `${i.path.length ? i.path.join(".") : "(root)"}: ${i.message}`);
  if (issues.length > 5) parts.push(`and ${issues.length - 5} more`);
  return parts.join("; ").slice(0, 500);
}
