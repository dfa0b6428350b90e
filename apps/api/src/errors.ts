import { ERROR_STATUS, type ErrorCode } from "@briefgeheim/protocol";

/**
 * The one error type routes and middleware throw. `onError` (middleware/errors) turns it into
 * `{ error: { code, message } }` with the status of `code`.
 *
 * @example
 * throw new AppError("NOT_FOUND", "no such thread");
 */
export class AppError extends Error {
  override readonly name = "AppError";
  readonly status: number;
  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.status = ERROR_STATUS[code];
  }
}

export function isAppError(e: unknown, code?: ErrorCode): e is AppError {
  return e instanceof AppError && (code === undefined || e.code === code);
}
