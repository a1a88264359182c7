/** Runs a fleet command's tasks on worker threads and hands on each tenant's outcome in tenant order. */
import { performance } from "node:perf_hooks";
import { describeFailure } from "../failures.js";
import { plural, progress, style } from "../output.js";
import { WorkerPool } from "./pool.js";
import { fleetProgress, shouldShowProgress } from "./progress.js";
import { runInOrder } from "./schedule.js";
import type { FleetTask, Outcome } from "./tasks.js";

export interface FleetRun {
  jobs: number;
  /** What the progress line says is under way: "planning". */
  verb: string;
  /** What the summary says was done: "planned". */
  done: string;
  json: boolean;
}

/**
 * Runs every task, at most `jobs` at once, and gives `onOutcome` each tenant's outcome in the tasks'
 * order. A failed tenant is reported on stderr and the others carry on. Resolves to the worst (highest)
 * exit code of the failed tenants, 0 when none failed.
 */
export async function runFleet<V>(tasks: FleetTask[], run: FleetRun, onOutcome: (outcome: Outcome<V>) => void): Promise<number> {
  const started = performance.now();
  const pool = new WorkerPool();
  const display = fleetProgress(run.verb, tasks.length, shouldShowProgress(run.json));
  const failed: string[] = [];
  let worst = 0;
  try {
    await runInOrder(
      tasks,
      run.jobs,
      async (task, _index, lane) => {
        display.started("file" in task.ref ? task.ref.file : task.ref.name);
        const outcome = await pool.run(task, lane);
        display.finished();
        return outcome as Outcome<V>;
      },
      (outcome) => {
        display.clear();
        if (outcome.error) {
          failed.push(outcome.tenant);
          worst = Math.max(worst, outcome.error.exitCode);
          process.stderr.write(`${style.red("error:")} ${outcome.tenant}: ${describeFailure(outcome.error)}\n`);
        }
        onOutcome(outcome);
      },
    );
  } finally {
    display.stop();
    await pool.close();
  }
  if (!run.json) {
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    const lanes = Math.min(run.jobs, tasks.length);
    progress(
      `${run.done} ${tasks.length - failed.length} of ${plural(tasks.length, "tenant")} in ${seconds} s (${plural(lanes, "worker")})` +
        (failed.length > 0 ? `; failed: ${failed.join(", ")}` : ""),
    );
  }
  return worst;
}
