import { loadSodium } from "@briefgeheim/crypto";
import { afterAll, describe, expect, it, vi } from "vitest";
import { type ChannelWorker, channelWorker, closeChannelWorkers } from "../test-support/channel-worker.js";
import type { StaffContext } from "./staff-context.js";
import { warmUpSurveyCount } from "./staff-stats.js";
import { warmUpSurveyCountJob } from "./survey-warm-up.js";
import { inlineRunner, WorkerPool, type WorkRunner } from "./work-pool.js";

const sodium = await loadSodium();
afterAll(() => closeChannelWorkers());

/** Only what warmUpSurveyCount reads of a session. */
const ctxWith = (work: WorkRunner | undefined, role = "supervisor") =>
  ({ role, work }) as unknown as StaffContext;

describe("warming the survey count up", () => {
  it("the job counts every conversation it made up, through the real page job", async () => {
    expect(await warmUpSurveyCountJob(sodium, { items: 40 })).toEqual({ counted: 40 });
    expect(await warmUpSurveyCountJob(sodium, { items: 0 })).toEqual({ counted: 0 });
  });

  it("a Web Crypto whose X25519 fails costs time, not counts: libsodium opens what the native path did not", async () => {
    // The page job opens grants natively first; a platform where that breaks must not turn genuine
    // records into "changed or damaged" (the warm-up job throws unless every record counts).
    const derive = vi.spyOn(globalThis.crypto.subtle, "deriveBits").mockRejectedValue(new Error("broken"));
    try {
      expect(await warmUpSurveyCountJob(sodium, { items: 20 })).toEqual({ counted: 20 });
      expect(derive).toHaveBeenCalledTimes(20);
    } finally {
      derive.mockRestore();
    }
  });

  it("sends one job to each worker of the pool, once per pool", async () => {
    const workers: ChannelWorker[] = [];
    const pool = new WorkerPool(
      () => {
        const w = channelWorker();
        workers.push(w);
        return w;
      },
      2,
      inlineRunner(sodium),
    );
    try {
      await warmUpSurveyCount(ctxWith(pool));
      expect(workers.map((w) => w.jobs)).toEqual([1, 1]);
      // The screen shows again: the same pool is warm already.
      await warmUpSurveyCount(ctxWith(pool));
      expect(workers.map((w) => w.jobs)).toEqual([1, 1]);
    } finally {
      pool.close();
    }
  });

  it("does nothing without workers (the page's own thread is not spent on it), and refuses a counsellor", async () => {
    let ran = 0;
    const noWorkers: WorkRunner = {
      workers: 0,
      run: () => {
        ran++;
        return Promise.reject(new Error("not expected"));
      },
      close: () => undefined,
    };
    await warmUpSurveyCount(ctxWith(noWorkers));
    await warmUpSurveyCount(ctxWith(undefined));
    expect(ran).toBe(0);
    await expect(warmUpSurveyCount(ctxWith(noWorkers, "counsellor"))).rejects.toMatchObject({
      code: "NOT_A_SUPERVISOR",
    });
  });
});
