import { loadSodium } from "@briefgeheim/crypto";
import { afterAll, describe, expect, it } from "vitest";
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

  it("sends one job to each worker of the pool", async () => {
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
