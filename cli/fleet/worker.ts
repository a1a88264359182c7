/**
 * A fleet worker: a thread that loads the Pulumi SDK and the cloud's SDK once and runs tenant after
 * tenant, one at a time (the SDK's mock runtime is this thread's global state).
 */
import { parentPort } from "node:worker_threads";
import { runTask, type FleetTask } from "./tasks.js";

const port = parentPort!;
port.on("message", (task: FleetTask) => {
  void runTask(task).then((outcome) => port.postMessage(outcome));
});
