import type { Sodium } from "@briefgeheim/crypto";
import {
  type OpenBulkInput,
  type OpenedBulkItem,
  openBulkThreadsJob,
  wipeOpenBulk,
} from "./bulk-open-job.js";
import {
  type CountSurveyItemsInput,
  type CountSurveyPageInput,
  countSurveyItemsJob,
  countSurveyPageJob,
  type SurveyCounts,
  wipeCountSurvey,
} from "./survey-count-job.js";
import { type WarmUpSurveyCountInput, warmUpSurveyCountJob } from "./survey-warm-up.js";
import {
  type VerifiedThreadItem,
  type VerifyThreadsInput,
  verifyThreadsJob,
  wipeVerifyThreads,
} from "./verify-threads-job.js";

/**
 * Every job a `WorkRunner` (work-pool.ts) can run, by name: its input and its output. Both cross to
 * a worker by structured cloning, so they hold plain data only (objects, arrays, strings, numbers,
 * `Uint8Array`, `Map`); no functions, no class instances, no `Error`s (use `WireError`).
 *
 * To add a job (docs/CLIENT.md, "Work off the main thread"): write its handler as a pure function
 * `(sodium, input) => output` in its own file, add `name: { input; output }` here and
 * `name: { run, wipe? }` to `WORK_JOBS` (TypeScript insists on both), then call
 * `runner.run("name", input)` with `ctx.work` (or `inlineRunner(sodium)` where there is no pool).
 */
export interface WorkJobs {
  /** Staff inbox: the cryptographic checks of reading threads (verify-threads-job.ts). */
  readonly verifyThreads: { readonly input: VerifyThreadsInput; readonly output: VerifiedThreadItem[] };
  /** Bulk re-keying (reassign, remove, admit): the checks of loading threads (bulk-open-job.ts). */
  readonly openBulkThreads: { readonly input: OpenBulkInput; readonly output: OpenedBulkItem[] };
  /** Statistics: parse, check and count one page of the listing, unparsed bytes in (survey-count-job.ts). */
  readonly countSurveyPage: { readonly input: CountSurveyPageInput; readonly output: SurveyCounts };
  /** Statistics: count items already parsed (the fallback on the page's thread, in small jobs). */
  readonly countSurveyItems: { readonly input: CountSurveyItemsInput; readonly output: SurveyCounts };
  /** Statistics: a worker counts a small page of its own making before the first count (survey-warm-up.ts). */
  readonly warmUpSurveyCount: {
    readonly input: WarmUpSurveyCountInput;
    readonly output: { counted: number };
  };
}

export type WorkJobName = keyof WorkJobs;
export type WorkInput<N extends WorkJobName> = WorkJobs[N]["input"];
export type WorkOutput<N extends WorkJobName> = WorkJobs[N]["output"];

/** How a job runs: `run` everywhere; `wipe` only in a worker, after its answer was posted. */
export interface WorkJob<N extends WorkJobName> {
  /** May answer with a promise (Web Crypto is asynchronous); the worker posts what it resolves to. */
  readonly run: (sodium: Sodium, input: WorkInput<N>) => WorkOutput<N> | Promise<WorkOutput<N>>;
  /**
   * Overwrites the worker's copies of secret keys in the input and output (none when the job
   * failed). Never called on the calling thread, where the input holds the session's own keys.
   */
  readonly wipe?: (input: WorkInput<N>, output: WorkOutput<N> | undefined) => void;
}

export const WORK_JOBS: { readonly [N in WorkJobName]: WorkJob<N> } = {
  verifyThreads: { run: verifyThreadsJob, wipe: wipeVerifyThreads },
  openBulkThreads: { run: openBulkThreadsJob, wipe: wipeOpenBulk },
  countSurveyPage: { run: countSurveyPageJob, wipe: wipeCountSurvey },
  countSurveyItems: { run: countSurveyItemsJob, wipe: wipeCountSurvey },
  warmUpSurveyCount: { run: warmUpSurveyCountJob },
};

/** True for the name of a job in `WORK_JOBS` (a worker checks what it is asked to run). */
export function isWorkJobName(name: unknown): name is WorkJobName {
  return typeof name === "string" && Object.hasOwn(WORK_JOBS, name);
}
