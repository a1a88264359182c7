/**
 * What commands get from the engine and the planner, loaded only when they use it: the CLI and the
 * fleet's workers wire the same ones.
 */
import type { CheckDeps } from "./commands/check.js";
import type { StackDeps } from "./commands/render.js";

/** render and configure read deployed stacks through the engine, loaded only when they do. */
export const stackDeps: StackDeps = {
  stackOutputs: async (stack) => (await import("./deployed-outputs.js")).deployedStackOutputs(stack),
};

/** check plans a tenant with `botinfra plan`'s offline planner, loaded only when it does. */
export const checkDeps: CheckDeps = {
  planner: async ({ platform }, { environment }) => {
    const [{ planOffline }, { selectEnvironments }] = await Promise.all([import("../engine/offline.js"), import("./environments.js")]);
    return planOffline(platform, selectEnvironments(platform, environment));
  },
};
