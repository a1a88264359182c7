/**
 * What commands get from the engine and the planner, loaded only when they use it: the CLI and the
 * fleet's workers wire the same ones.
 */
import type { Plan } from "../engine/graph.js";
import type { LoadedTenant } from "../model/tenant-text.js";
import type { StackOutputsSource } from "./stack-outputs.js";

/** What commands that need deployed stacks are given; main.ts wires the real source once there is one. */
export interface StackDeps {
  stackOutputs: StackOutputsSource;
}

/** Plans a tenant's stacks offline, as `botinfra plan` does; `environment` limits it to one stack. */
export type Planner = (tenant: LoadedTenant, options: { environment?: string }) => Promise<Plan>;

export interface CheckDeps {
  /** `botinfra plan`'s planner, for one --tenant or --tenant-file (--all: the fleet's workers, cli/fleet/). */
  planner: Planner;
}

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
