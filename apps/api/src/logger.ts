/**
 * Structured logging. Log lines carry events, routes, statuses, durations and error codes: never a
 * request body, query string, header, IP address, user agent, key or token.
 */
export type LogFields = Record<string, string | number | boolean | null | undefined>;

export interface Logger {
  info(fields: LogFields): void;
  warn(fields: LogFields): void;
  error(fields: LogFields): void;
}

/** One JSON object per line on stdout (info) or stderr (warn, error). */
export function jsonLogger(
  write: (line: string, level: "info" | "warn" | "error") => void = defaultWrite,
): Logger {
  const emit = (level: "info" | "warn" | "error", fields: LogFields) =>
    write(JSON.stringify({ level, time: new Date().toISOString(), ...fields }), level);
  return {
    info: (f) => emit("info", f),
    warn: (f) => emit("warn", f),
    error: (f) => emit("error", f),
  };
}

function defaultWrite(line: string, level: "info" | "warn" | "error"): void {
  if (level === "info") process.stdout.write(`${line}\n`);
  else process.stderr.write(`${line}\n`);
}

/** A logger that keeps lines in memory (tests). */
export function memoryLogger(): Logger & { lines: string[] } {
  const lines: string[] = [];
  return { lines, ...jsonLogger((line) => lines.push(line)) };
}

export const silentLogger: Logger = { info() {}, warn() {}, error() {} };
