/** Worker threads for the fleet: one per lane, started when first needed, each running one task at a time. */
import { Worker } from "node:worker_threads";
import { EXIT_FAILED } from "../../model/errors.js";
import { failed, type FleetTask, type Outcome } from "./tasks.js";

const WORKER = new URL("./worker.js", import.meta.url);

/**
 * A worker's heap limit. Nothing of a tenant outlives its task (with forced collections a worker's heap
 * stays at about 50 MB, the SDKs included, tenant after tenant), but without a limit V8 sizes a thread's
 * heap from the machine's memory and collects lazily: `plan --all` with 2 workers peaked at 415 MB for
 * 10 tenants and 630 MB for 100. With this limit it collects sooner: 365 MB and 380 MB, for about 10%
 * more CPU time (bench/fleet; the README has the figures).
 */
const WORKER_HEAP_MB = 512;

/**
 * A worker's young generation. The SDK allocates short-lived objects by the million (outputs, promises,
 * protobuf messages); with V8's default nursery a quarter of a worker's time went to scavenges. 64 MB
 * cut `plan --all` for 100 tenants from 11.0 s to 7.8 s and `check --all` from 14.0 s to 11.1 s, for
 * about 60 MB more peak memory (128 MB was faster still, at 600 MB peak for 2 workers).
 */
const WORKER_NURSERY_MB = 64;

/** A worker and the task it is running: a worker that dies fails that task alone. */
class TaskWorker {
  private readonly worker = new Worker(WORKER, { resourceLimits: { maxOldGenerationSizeMb: WORKER_HEAP_MB, maxYoungGenerationSizeMb: WORKER_NURSERY_MB } });
  private pending?: { task: FleetTask; resolve: (outcome: Outcome<unknown>) => void };
  dead = false;

  constructor() {
    this.worker.on("message", (outcome: Outcome<unknown>) => this.settle(outcome));
    this.worker.on("error", (error) => this.fail(`a worker stopped: ${error.message}`));
    this.worker.on("exit", (code) => this.fail(`a worker exited with code ${code}`));
  }

  run(task: FleetTask): Promise<Outcome<unknown>> {
    return new Promise((resolve) => {
      this.pending = { task, resolve };
      this.worker.postMessage(task);
    });
  }

  terminate(): Promise<number> {
    this.dead = true;
    return this.worker.terminate();
  }

  private settle(outcome: Outcome<unknown>) {
    const pending = this.pending;
    this.pending = undefined;
    pending?.resolve(outcome);
  }

  private fail(message: string) {
    this.dead = true;
    const task = this.pending?.task;
    if (!task) return;
    this.settle(failed(task, { message, exitCode: EXIT_FAILED, internal: true }));
  }
}

export class WorkerPool {
  private readonly workers: (TaskWorker | undefined)[] = [];

  /** Runs the task on the lane's worker, starting one if the lane has none (or its last one died). */
  run(task: FleetTask, lane: number): Promise<Outcome<unknown>> {
    let worker = this.workers[lane];
    if (!worker || worker.dead) this.workers[lane] = worker = new TaskWorker();
    return worker.run(task);
  }

  async close(): Promise<void> {
    await Promise.all(this.workers.map((worker) => worker?.terminate()));
  }
}
