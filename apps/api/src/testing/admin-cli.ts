/**
 * Runs the operator's CLI (`npm run admin -- ...`, admin.ts) in the test's process: the environment
 * it reads is set for the call (DATABASE_URL first) and put back after, and what it prints is
 * collected instead of shown. Test-only.
 */
import { vi } from "vitest";
import { main as adminMain } from "../admin.js";

export interface AdminRun {
  /** Each `console.log` call, its arguments joined by spaces. */
  readonly lines: string[];
  /** `process.exitCode` as the command left it (restored for the test runner afterwards). */
  readonly exitCode: number | string | undefined;
}

export async function runAdmin(args: string[], env: Record<string, string>): Promise<AdminRun> {
  const lines: string[] = [];
  const log = vi.spyOn(console, "log").mockImplementation((...a: unknown[]) => {
    lines.push(a.map(String).join(" "));
  });
  const saved: Record<string, string | undefined> = {};
  for (const [k, v] of Object.entries(env)) {
    saved[k] = process.env[k];
    process.env[k] = v;
  }
  const exitCode = process.exitCode;
  process.exitCode = undefined;
  try {
    await adminMain(args);
    return { lines, exitCode: process.exitCode };
  } finally {
    log.mockRestore();
    process.exitCode = exitCode;
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  }
}
